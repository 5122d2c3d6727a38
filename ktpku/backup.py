"""Back up and restore the database (DB-04): pg_dump -Fc / pg_restore, or the SQLite file.

The dump is written with mode 600: it holds every child's NIK. Keep it off the host.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path


class NotEmpty(Exception):
    """The database to restore into already holds tables."""


def _program(name):
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return path


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def backup(db, target):
    """Write the database `db` (a settings.DATABASES entry) to the file `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600, exist_ok=True)
    os.chmod(target, 0o600)
    if db["ENGINE"].endswith("sqlite3"):
        with (
            closing(sqlite3.connect(db["NAME"])) as source,
            closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
        return target
    subprocess.run(  # noqa: S603 - the PostgreSQL client, arguments from settings
        [
            _program("pg_dump"),
            "--format=custom",
            "--no-owner",
            *_pg_args(db),
            "--file",
            str(target),
            str(db["NAME"]),
        ],
        env=_pg_env(db),
        check=True,
    )
    return target


def restore(db, source):
    """Load the dump `source` into the empty database `db`, all or nothing, then ANALYZE.

    SQLite: the file `db` names may not exist yet (nor its folder); it is created with mode
    600. A database that already holds tables is refused (NotEmpty), as pg_restore
    refuses to overwrite: a restore never silently replaces live data.
    """
    if db["ENGINE"].endswith("sqlite3"):
        target = Path(db["NAME"])
        if _sqlite_tables(target):
            raise NotEmpty(f"{target} already holds tables: restore only into an empty database")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600, exist_ok=True)
        with closing(sqlite3.connect(source)) as dump, closing(sqlite3.connect(target)) as copy:
            dump.backup(copy)
        return
    subprocess.run(  # noqa: S603
        [
            _program("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            *_pg_args(db),
            "--dbname",
            str(db["NAME"]),
            str(source),
        ],
        env=_pg_env(db),
        check=True,
    )
    subprocess.run(  # noqa: S603
        [
            _program("psql"),
            "--quiet",
            *_pg_args(db),
            "--dbname",
            str(db["NAME"]),
            "--command",
            "ANALYZE",
        ],
        env=_pg_env(db),
        check=True,
    )


def _sqlite_tables(path):
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as db:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
