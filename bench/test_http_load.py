"""http_load: 50 staff at once for 30 seconds against gunicorn, on 1,000,000 students.

gunicorn (2 workers, `ktpku.wsgi`) runs as in production, on a free loopback port: DEBUG
off, the static files collected (whitenoise), the second factor required, the session
cookie secure; the requests carry the headers the office's nginx adds (bench/locustfile.py
says which). It shares the benchmark's database (bench/generate.py) and uses Redis as its
cache (REDIS_URL), as the README says for several web processes. Before the load, each
page is opened twice, as on a server that has been up. locust (headless, 50 users started
at once, each a staff member with a session of their own, one to three seconds between
pages) opens the staff home, the dashboard, the student list and students' pages.

Prints {"scenario": "http_load", "rps", "p50_ms", "p95_ms", "errors", ...}.
Target: no errors, p95 under 500 ms.
"""

import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db.models import Max, Min
from django.test import Client

from bench.report import emit
from students.models import Student
from tests.helpers import database_url, pass_second_factor

STUDENTS = 1_000_000
USERS = 50
SECONDS = 30
ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/dasbor/", "/siswa/"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def staff_sessions(count):
    """The session keys of `count` staff members, signed in with the second factor passed."""
    group = Group.objects.get(name="staf")
    keys = []
    for number in range(count):
        user, _created = User.objects.get_or_create(username=f"bench_staf_{number:02d}")
        user.groups.add(group)
        client = Client()
        client.force_login(user)
        pass_second_factor(client, user)
        keys.append(client.session.session_key)
    return keys


def server_env():
    env = {key: value for key, value in os.environ.items() if key not in ("KTPKU_TESTING", "DEBUG")}
    redis = settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"
    return {**env, "DATABASE_URL": database_url(), "DEBUG": "false", "REDIS_URL": redis}


def cookie_name(env):
    """The session cookie's name as the server's settings give it (production's differs)."""
    return subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", COOKIE_NAME],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


COOKIE_NAME = (
    "import django; django.setup(); "
    "from django.conf import settings; print(settings.SESSION_COOKIE_NAME)"
)


def get(url, **headers):
    """The status of GET `url`, as nginx would forward it; a redirect (to the login page)
    answers its final URL's status but counts as a failure here."""
    headers = {"X-Forwarded-Proto": "https", **headers}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status if response.url == url else 302


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped"
        try:
            if get(url) == 200:
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError("gunicorn did not answer in time")


@contextmanager
def gunicorn(env, work):
    """gunicorn (2 workers, `ktpku.wsgi`) on a free loopback port with `env`, the static
    files collected, its output in `work`/gunicorn.log; yields its base URL."""
    subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    with open(Path(work) / "gunicorn.log", "w") as output:
        server = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
            [sys.executable, "-m", "gunicorn", "ktpku.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"{host}/healthz", server)
        yield host
    finally:
        server.terminate()
        server.wait(timeout=30)


def summary(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")


def test_http_load(bench_data):
    made = bench_data.ensure(STUDENTS)
    sessions = staff_sessions(USERS)
    ids = Student.objects.aggregate(first=Min("pk"), last=Max("pk"))
    sample = random.Random(13).sample(range(ids["first"], ids["last"] + 1), 500)
    students = ",".join(str(pk) for pk in sample)
    env = server_env()
    with tempfile.TemporaryDirectory() as work:
        with gunicorn(env, work) as host:
            # As a server that has been up: each worker has served the pages once, and the
            # day's first figures have cut the tallies' age bands at today's birth dates.
            cookie = f"{cookie_name(env)}={sessions[0]}"
            for url in [*PAGES, f"/siswa/{sample[0]}/"] * 2:
                assert get(host + url, Cookie=cookie) == 200, url
            prefix = str(Path(work) / "locust")
            subprocess.run(  # noqa: S603 (our own load, loopback only)
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")]
                + ["--headless", "--host", host, "-u", str(USERS), "-r", str(USERS)]
                + ["-t", f"{SECONDS}s", "--csv", prefix, "--only-summary", "--loglevel", "ERROR"],
                cwd=ROOT,
                env={
                    **os.environ,
                    "BENCH_COOKIE": cookie.split("=")[0],
                    "BENCH_SESSIONS": ",".join(sessions),
                    "BENCH_STUDENTS": students,
                },
                check=False,  # locust exits 1 when a request failed: the figures say so
                timeout=SECONDS + 60,
            )
            row = summary(prefix)
        errors = int(row["Failure Count"])
        if errors:
            print((Path(work) / "gunicorn.log").read_text()[-3000:])
    emit(
        "http_load",
        rps=round(float(row["Requests/s"]), 1),
        p50_ms=round(float(row["50%"])),
        p95_ms=round(float(row["95%"])),
        errors=errors,
        requests=int(row["Request Count"]),
        users=USERS,
        seconds=SECONDS,
        students=made["students"],
    )
