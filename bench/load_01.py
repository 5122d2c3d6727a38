"""LOAD-01 (../shared/SECURITY.md): 50 office staff for ten minutes, with limits that fail.

`make load` runs it (`pytest bench/load_01.py`; not part of `make bench`, whose scenarios
fit in fifteen minutes). On the bench's generated data at 100,000 students (about 300
schools), with last night's printed cards put on their schools' next visits by the
product's own job (`attach_printed_cards`), gunicorn serves the app as in production
(2 workers, DEBUG off, Redis as the cache, the second factor required) and locust
(bench/locust_load01.py) starts 50 staff at 5 a second, each waiting 3 to 10 s between
requests, for LOAD_SECONDS (600 unless set).

It fails when any endpoint's p95 reaches 500 ms or its p99 1.5 s, more than 1 % of its
requests fail, any answer is a 5xx (locust's exit code, set by the locustfile), a page of
the mix needs more than 20 queries, or the database's connections reach its limit.
Prints {"scenario": "load_01", "rps", "p95_ms" per endpoint, "max_connections_seen", ...}.
"""

import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import redis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.report import emit
from bench.test_http_load import (
    ROOT,
    cookie_name,
    get,
    gunicorn,
    server_env,
    staff_sessions,
    summary,
)
from campaigns.card_models import HandoverItem
from schools.models import School
from students import dates
from students.models import Student
from tests.helpers import pass_second_factor

STUDENTS = 100_000
USERS = 50
SPAWN_RATE = 5
SECONDS = int(os.environ.get("LOAD_SECONDS", "600"))
MAX_QUERIES = 20
BROKER = "redis://127.0.0.1:6379/14"


def handovers():
    """ "batch:student" for every printed card waiting on a batch: each is handed once."""
    waiting = HandoverItem.objects.filter(state=HandoverItem.State.WAITING)
    pairs = [f"{batch}:{student}" for batch, student in waiting.values_list("batch", "student")]
    random.Random(1).shuffle(pairs)
    return pairs


def queries_per_page(pages):
    """{url: queries} of each page of the mix, for a staff member (cache as configured)."""
    user = User.objects.get(username="bench_staf_00")
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    counts = {}
    with override_settings(DEBUG=False):
        for url in pages:
            client.get(url)  # the first request of a session reads what later ones keep
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts[url] = len(queries)
    return counts


class ConnectionWatch(threading.Thread):
    """The most connections the database had open at once, sampled every second."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.most, self.limit = threading.Event(), 0, 0

    def run(self):
        cursor = connections["default"].cursor()
        cursor.execute("SHOW max_connections")
        self.limit = int(cursor.fetchone()[0])
        while not self.stop.wait(1):
            cursor.execute("SELECT count(*) FROM pg_stat_activity")
            self.most = max(self.most, cursor.fetchone()[0])
        connections["default"].close()


def test_load_01(bench_data):
    made = bench_data.ensure(STUDENTS)
    call_command("attach_printed_cards", verbosity=0)
    sessions = staff_sessions(USERS)
    rng = random.Random(13)
    students = list(Student.objects.values_list("pk", "nik").order_by("?")[:500])
    schools = list(School.objects.values_list("pk", flat=True))
    pairs = handovers()
    assert len(pairs) >= 300, f"only {len(pairs)} cards waiting on batches"
    counts = queries_per_page(
        [
            "/siswa/?status=print_ready",
            f"/siswa/?school={schools[0]}",
            "/siswa/?page=3",
            f"/siswa/{students[0][0]}/",
            "/siswa/?q=Ahmad",
            f"/kartu/serah-terima/{pairs[0].split(':')[0]}/",
        ]
    )
    assert max(counts.values()) <= MAX_QUERIES, counts

    # The export jobs wait in a broker database of their own, emptied at the end: no
    # worker of a later test run takes them.
    env = {**server_env(), "CELERY_BROKER_URL": BROKER}
    watch = ConnectionWatch()
    with tempfile.TemporaryDirectory() as work:
        try:
            with gunicorn(env, work) as host:
                cookie = cookie_name(env)
                for url in ["/", "/siswa/", f"/siswa/{students[0][0]}/"]:
                    assert get(host + url, Cookie=f"{cookie}={sessions[0]}") == 200, url
                prefix = str(Path(work) / "locust")
                watch.start()
                done = subprocess.run(  # noqa: S603 (our own load, loopback only)
                    [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_load01.py")]
                    + ["--headless", "--host", host, "-u", str(USERS), "-r", str(SPAWN_RATE)]
                    + ["-t", f"{SECONDS}s", "--csv", prefix, "--only-summary"]
                    + ["--loglevel", "ERROR"],
                    cwd=ROOT,
                    env={
                        **os.environ,
                        "BENCH_COOKIE": cookie,
                        "BENCH_SESSIONS": ",".join(sessions),
                        "BENCH_STUDENTS": ",".join(str(pk) for pk, _nik in students),
                        "BENCH_NIKS": ",".join(rng.sample([nik for _pk, nik in students], 50)),
                        "BENCH_SCHOOLS": ",".join(map(str, schools)),
                        "BENCH_HANDOVERS": ",".join(pairs),
                        "BENCH_TODAY": dates.today().isoformat(),
                    },
                    capture_output=True,
                    text=True,
                    timeout=SECONDS + 120,
                    check=False,
                )
                watch.stop.set()
                watch.join()
                with open(f"{prefix}_stats.csv", newline="") as stats:
                    rows = list(csv.DictReader(stats))
                total = summary(prefix)
        finally:
            redis.Redis.from_url(BROKER).flushdb()
        print(done.stdout[-4000:], done.stderr[-4000:])
    emit(
        "load_01",
        rps=round(float(total["Requests/s"]), 1),
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p95_ms={row["Name"]: round(float(row["95%"])) for row in rows},
        p99_ms={row["Name"]: round(float(row["99%"])) for row in rows},
        queries=max(counts.values()),
        max_connections_seen=watch.most,
        max_connections=watch.limit,
        users=USERS,
        seconds=SECONDS,
        students=made["students"],
        schools=len(schools),
    )
    assert watch.most < watch.limit
    # Every handover posted went through: each card of the list was handed once (a post
    # still on its way when locust stopped may have been handled but not counted).
    handed = HandoverItem.objects.filter(state=HandoverItem.State.HANDED_OVER).count()
    posted = next((int(row["Request Count"]) for row in rows if row["Name"] == "hand over"), 0)
    assert posted > 0 and posted <= handed <= posted + USERS
    assert int(total["Failure Count"]) == 0
    assert done.returncode == 0, "LOAD-01 limits breached (printed above)"
