"""Set up Django for a benchmark on a throwaway database (SQLite file, or PostgreSQL)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def benchmark_database(name: str) -> Iterator[str]:
    """Point Django at a fresh database for the benchmark; drop it afterwards.

    With DATABASE_URL set to PostgreSQL, a database `<name>` is created on that server; else a
    temporary SQLite file is used. Yields a description of the database.
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    tmp = None
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _db = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        label = f"PostgreSQL ({name})"
    else:
        tmp = tempfile.TemporaryDirectory()
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/{name}.sqlite3"
        label = "SQLite (temporary file)"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield label
    finally:
        from django.db import connections

        connections.close_all()
        if tmp is not None:
            tmp.cleanup()
        else:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
