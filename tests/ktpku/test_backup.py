"""DB-04: a backup restored into an empty database holds the data."""

import os
import stat
import subprocess
import sys

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import StudentFactory, UserFactory
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


def _contents(cursor):
    """{table: its rows, as sorted text} of every table of the public schema: a restore
    that fired the tally triggers while loading would double the tallies, not the rows."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    contents = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')  # noqa: S608 - catalogue
        contents[table] = [row for (row,) in cursor.fetchall()]
    return contents


# The app started on the restored database: a staff member's password and role are there.
SIGN_IN = (
    "import django; django.setup(); "
    "from django.contrib.auth.models import User; "
    "user = User.objects.get(username='staf_restore'); "
    "print(user.username, user.check_password('kata-sandi-uji-123'), "
    "user.groups.get().name)"
)


def test_restore_into_an_empty_database_finds_the_data(tmp_path, scratch_database):
    student = StudentFactory(name="Siti Rahmawati")
    UserFactory(username="staf_restore", role="staf")
    dump = tmp_path / "ktpku.dump"
    with connection.cursor() as cursor:
        before = _contents(cursor)

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
        after = _contents(cursor)
    assert migrations > 20
    assert after == before  # every table, the tallies the triggers keep included
    assert len(after["students_studenttally"]) == 1
    signed_in = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", SIGN_IN],
        cwd=ROOT,
        env={**env, "KTPKU_TESTING": "true"},  # the tests' password hasher
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert signed_in.stdout.strip() == "staf_restore True staf", signed_in.stderr[-2000:]
