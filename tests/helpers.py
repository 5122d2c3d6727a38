"""Helpers shared by the browser and worker tests."""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from http.cookies import SimpleCookie
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


def wait_for(condition, seconds, step=0.02):
    """Whether `condition()` came true within `seconds` (asked every `step` seconds)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(queue=None, log=None, **extra_env):
    """A real Celery worker process on the configured broker, sharing the test database.

    It listens on `queue`, by default a queue of its own so that no other worker takes its
    tasks; yields the queue's name. Skips, with the reason, where there is no broker or no
    server database.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    process = start_worker(queue, log=log, **extra_env)
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def start_worker(queue, *, pool="solo", log=None, **extra_env):
    """A Celery worker process on `queue` (see celery_worker); the caller stops it. Its
    output goes to the file `log` when given (at level info: every task's lines)."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is empty: tasks run eagerly, there is no worker to reach")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process can share only a server database, not the test's SQLite")
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true", **extra_env}
    pool_arguments = ["-P", pool] + (["-c", "1"] if pool == "prefork" else [])
    return subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ktpku",
            "worker",
            *pool_arguments,
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info" if log else "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=None if log is None else open(log, "a"),  # noqa: SIM115 - the child's to close
        stderr=None if log is None else subprocess.STDOUT,
    )


def open_workbook(content):
    """A downloaded xlsx, read back with openpyxl (cells keep their data type)."""
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_values(sheet):
    """Every row of a worksheet as a list of cell values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def web_server(tmp_path, **extra_env):
    """gunicorn serving the app on the test database, as docker-compose runs it.

    Settings come from the environment at start-up, so `extra_env` (e.g. a dead
    REDIS_URL) changes what the deployed configuration would. Its access log (gunicorn's
    default format: the request line, query string and Referer included, as a proxy logs
    them) is written to tmp_path / "access.log". Yields the base URL. Skips where the
    test database is not a server database the process can share.
    """
    if connection.vendor != "postgresql":
        pytest.skip("a server process can share only a server database, not the test's SQLite")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "KTPKU_TESTING": "true",  # the test settings: plain cookies over http, quick hashes
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra_env,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    with open(tmp_path / "server.log", "w") as server_log:
        process = subprocess.Popen(  # noqa: S603 - our own app under gunicorn, fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ktpku.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                str(tmp_path / "access.log"),
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_it_answers(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_it_answers(port, process, attempts=600):
    for _attempt in range(attempts):
        if process.poll() is not None:
            raise RuntimeError("the web server stopped at start-up (see server.log)")
        try:
            if http_request(f"http://127.0.0.1:{port}", "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the web server did not answer /healthz")


def http_request(base_url, method, path, *, cookies=None, body=None, headers=None):
    """One request, redirects not followed: (status, headers, cookies set, body text)."""
    host = base_url.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=60)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        set_cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            set_cookies.load(header)
        set_cookies = {name: morsel.value for name, morsel in set_cookies.items()}
        return response.status, response.msg, set_cookies, response.read().decode()
    finally:
        conn.close()


def session_cookies(user):
    """The cookies of a signed-in session of `user` (second step passed), for a server."""
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
