"""Shared fixtures for textsim tests. Plain pytest: no Django settings, no database."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from textsim.synthetic import edit_paragraph, make_report, shift_year


@pytest.fixture(autouse=True)
def _fresh_dictionary_cache() -> None:
    """Shadow the repository's autouse fixture of the same name, which needs Django.

    textsim never touches xuncha's dictionaries; overriding it here lets this
    suite run with ``-p no:django`` as well as under pytest-django.
    """


# A large block of CJK code points: random strings from it share no 13-grams by chance.
_CJK_START, _CJK_END = 0x4E00, 0x9FA5


def random_cjk(rng: random.Random, n: int) -> str:
    """``n`` random CJK characters (no punctuation): text unique to one document."""
    return "".join(chr(rng.randint(_CJK_START, _CJK_END)) for _ in range(n))


@pytest.fixture
def report_2023_2024() -> tuple[str, str]:
    """A ~2,000-character 述职述廉报告 for 2023 and its 2024 re-use with one paragraph rewritten."""
    rng = random.Random(2023)
    r2023 = make_report(rng, 2023, name="王建国", target_chars=2000)
    r2024 = edit_paragraph(shift_year(r2023, 2023, 2024), rng, index=3)
    return r2023, r2024


def write_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    """Write a .docx with one paragraph per line and an optional table after them."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path
