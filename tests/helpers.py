"""Helpers shared by the browser and worker tests."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def pass_second_factor(client, user):
    """Mark `client`'s session as having passed the second step, as a real code would.

    The same session entry `django_otp.login` writes, for a confirmed authenticator app
    of the user's own. tests/conftest.py applies it after every `force_login`, so a test
    that is not about the second factor signs staff in as before.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ktpku.second_factor import APP_DEVICE_NAME, needs_second_factor

    if not needs_second_factor(user):
        return
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": APP_DEVICE_NAME}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def log_in(page, live_server, user):
    """A real session for `user`, handed to the browser (axes refuses test logins)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(queue=None, **extra_env):
    """A real Celery worker process on the configured broker, sharing the test database.

    It listens on `queue`, by default a queue of its own so that no other worker takes its
    tasks; yields the queue's name. Skips, with the reason, where there is no broker or no
    server database.
    """
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is empty: tasks run eagerly, there is no worker to reach")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can share only a server database, not the test's SQLite")
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true", **extra_env}
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ktpku",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def open_workbook(content):
    """A downloaded xlsx, read back with openpyxl (cells keep their data type)."""
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_values(sheet):
    """Every row of a worksheet as a list of cell values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]
