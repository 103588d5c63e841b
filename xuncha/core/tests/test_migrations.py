"""The models and the committed migrations agree (a missing migration fails here, not in production)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exited:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"missing migrations (exit {exited.code}):\n{out.getvalue()}")


@pytest.mark.django_db
def test_default_roles_and_dictionaries_are_seeded():
    from xuncha.accounts.models import Role
    from xuncha.core.models import DictType
    from xuncha.core.permissions import DEFAULT_ROLES, PERMISSIONS

    assert set(Role.objects.values_list("code", flat=True)) == set(DEFAULT_ROLES)
    for role in Role.objects.all():
        assert set(role.permissions) <= set(PERMISSIONS), role.code
    assert {"unit_category", "unit_level", "managing_authority", "cadre_skill", "family_relation"} <= set(
        DictType.objects.values_list("code", flat=True))
