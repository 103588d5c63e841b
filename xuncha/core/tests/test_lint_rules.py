"""Rules of the code base that a linter cannot know: views and API modules never read a scoped
model without going through the user's scope."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
SCOPED_ENTRY_POINTS = {"for_user", "for_user_perm"}


def _scoped_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if hasattr(m.objects, "for_user")}


def _violations(path: Path, scoped: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        # <Model>.objects.<method>: the method must be the scope's entry point.
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("objects", "all_objects") and isinstance(node.value.value, ast.Name)
                and node.value.value.id in scoped and node.attr not in SCOPED_ENTRY_POINTS):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.value.id}.objects.{node.attr}")
    return found


def test_views_and_api_read_scoped_models_through_for_user():
    scoped = _scoped_model_names()
    assert {"Unit", "Cadre", "Region"} <= scoped
    files = [p for p in ROOT.rglob("*.py") if p.name in ("views.py", "api.py") and "tests" not in p.parts]
    assert files
    problems = [v for f in files for v in _violations(f, scoped)]
    assert not problems, "unscoped reads in views/API:\n" + "\n".join(problems)
