"""Shared set-up of the benchmarks that run the platform on a throw-away SQLite database."""

from __future__ import annotations

import os
import tempfile


def fresh_sqlite_django() -> str:
    """Point Django at a new SQLite file and file store in a temporary folder, migrate, return the folder.

    Call before importing any model; the caller may change settings (e.g. MEDIA_ROOT) afterwards.
    """
    workdir = tempfile.mkdtemp(prefix="xuncha-bench-")
    os.environ["XUNCHA_VAR_DIR"] = workdir
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir
