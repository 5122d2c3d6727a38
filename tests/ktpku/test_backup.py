"""DB-04: a backup restored into an empty database holds the data."""

import os
import stat
import subprocess
import sys

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import StudentFactory
from tests.helpers import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name):
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def scratch_database():
    """An empty database named after the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_an_empty_database_finds_the_data(tmp_path, scratch_database):
    student = StudentFactory(name="Siti Rahmawati")
    dump = tmp_path / "ktpku.dump"

    call_command("backup", output=str(dump))

    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    env = {**os.environ, "DATABASE_URL": _url(scratch_database), "DEBUG": "true"}
    env.pop("PYTEST_CURRENT_TEST", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "restore", str(dump)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    db = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=scratch_database,
            user=db["USER"],
            password=db.get("PASSWORD") or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
        ) as restored,
        restored.cursor() as cursor,
    ):
        cursor.execute("SELECT name FROM students_student WHERE nik = %s", [student.nik])
        assert cursor.fetchall() == [("Siti Rahmawati",)]
        cursor.execute("SELECT count(*) FROM django_migrations")
        (migrations,) = cursor.fetchone()
    assert migrations > 20
