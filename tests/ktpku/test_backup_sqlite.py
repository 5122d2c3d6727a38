"""DB-04 on SQLite (`make run`): `make backup` copies the file, `make restore` loads it into
an empty place, and a database that already holds data is never overwritten."""

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing

from tests.helpers import ROOT


def _run(command, database, **extra_env):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        **extra_env,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(  # noqa: S603 - our own Makefile and manage.py, fixed arguments
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _dump(path):
    with closing(sqlite3.connect(path)) as db:
        return list(db.iterdump())


def test_backup_and_restore_of_the_sqlite_file_into_an_empty_place(tmp_path):
    live = tmp_path / "live.sqlite3"
    manage = [sys.executable, "manage.py"]
    assert _run([*manage, "migrate", "--no-input"], live).returncode == 0
    made = _run(
        [*manage, "createsuperuser", "--no-input", "--username", "kepala_dinas"],
        live,
        DJANGO_SUPERUSER_PASSWORD="kata-sandi-cadangan-123",
        DJANGO_SUPERUSER_EMAIL="kepala@dinas.go.id",
    )
    assert made.returncode == 0, made.stderr
    dump = tmp_path / "backups" / "ktpku.dump"

    backed_up = _run(["make", "-s", "backup", f"OUTPUT={dump}"], live)

    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.strip() == str(dump)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    restored = tmp_path / "new-host" / "var" / "ktpku.sqlite3"
    assert not restored.parent.exists()

    loaded = _run(["make", "-s", "restore", f"DUMP={dump}"], restored)

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == f"restored {dump}"
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert _dump(restored) == _dump(live)
    with closing(sqlite3.connect(restored)) as db:
        assert db.execute("SELECT username, is_superuser FROM auth_user").fetchall() == [
            ("kepala_dinas", 1)
        ]
    # The app starts on the restored file and finds every migration applied.
    booted = _run([*manage, "migrate", "--check"], restored)
    assert booted.returncode == 0, booted.stdout + booted.stderr


def test_restore_refuses_a_database_that_already_holds_data(tmp_path):
    dump = tmp_path / "ktpku.dump"
    with closing(sqlite3.connect(dump)) as db:
        db.execute("CREATE TABLE kept (name TEXT)")
        db.execute("INSERT INTO kept VALUES ('from the dump')")
        db.commit()
    live = tmp_path / "live.sqlite3"
    with closing(sqlite3.connect(live)) as db:
        db.execute("CREATE TABLE kept (name TEXT)")
        db.execute("INSERT INTO kept VALUES ('live data')")
        db.commit()
    before = _dump(live)

    refused = _run(["make", "-s", "restore", f"DUMP={dump}"], live)

    assert refused.returncode != 0
    assert f"CommandError: {live} already holds tables: restore only into an empty database" in (
        refused.stderr
    )
    assert _dump(live) == before
