"""LOAD-01 (../shared/SECURITY.md): office staff at work, for bench/load_01.py.

Each simulated user is a signed-in staff member (a session of their own, the second factor
passed) who waits three to ten seconds between requests, in the scenario's mix: 60 %
filtered and paged lists, 20 % a student's page, 10 % searches (a name by GET, a NIK by
POST, as the list's form sends it), 5 % a card handed over at a batch (the batch page,
then its form posted), 5 % an export of thousands of students asked for (a job for the
worker; none runs here, so the jobs wait in the broker). The requests carry what the office's nginx
adds in front of gunicorn (X-Forwarded-Proto, X-Forwarded-For).

When locust stops, every endpoint's figures are checked against the scenario's limits:
p95 under 500 ms, p99 under 1.5 s, failures under 1 %, no 5xx; a breach is printed and
makes locust exit with 1.

Read from the environment: BENCH_COOKIE (the session cookie's name), BENCH_SESSIONS,
BENCH_STUDENTS, BENCH_SCHOOLS (comma-separated session keys, student and school ids),
BENCH_NIKS (NIKs to search for), BENCH_HANDOVERS (batch:student pairs, each handed once),
BENCH_TODAY (the office's date, ISO).
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task

COOKIE = os.environ["BENCH_COOKIE"]
SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
STUDENTS = os.environ["BENCH_STUDENTS"].split(",")
SCHOOLS = os.environ["BENCH_SCHOOLS"].split(",")
NIKS = os.environ["BENCH_NIKS"].split(",")
HANDOVERS = iter(pair.split(":") for pair in os.environ["BENCH_HANDOVERS"].split(","))
TODAY = os.environ["BENCH_TODAY"]
STATUSES = ["on_roster", "recorded", "print_ready", "due_for_print", "printed", "handed_over"]
NAMES = ["Ahmad", "Siti", "Nur", "Rizky", "Putri", "Hidayat", "Saputra", "Lestari"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

P95_MS, P99_MS, MAX_FAILURE_RATIO = 500, 1500, 0.01
SERVER_ERRORS = []


class Staff(HttpUser):
    wait_time = between(3, 10)

    def on_start(self):
        self.session = f"{COOKIE}={next(SESSIONS)}"
        self.headers = {
            "Cookie": self.session,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "10.0.0.7",
        }

    def check(self, response, *expected):
        if response.status_code >= 500:
            SERVER_ERRORS.append(f"{response.status_code} {response.request.url}")
        if response.status_code not in expected:  # a redirect to the login page fails too
            response.failure(f"{response.status_code} for {response.request.url}")
        elif response.status_code in (301, 302) and "/masuk/" in response.headers["Location"]:
            response.failure(f"signed out at {response.request.url}")

    def get(self, url, name, *expected):
        with self.client.get(
            url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            self.check(response, *(expected or (200,)))
            return response

    def post(self, url, name, data, page, *expected):
        """POST `data` to `url` with the CSRF token of `page` (a response that had a form)."""
        token = TOKEN.search(page.text)
        csrf = next((f"{k}={v}" for k, v in page.cookies.items() if "csrftoken" in k), "")
        headers = {
            **self.headers,
            "Cookie": "; ".join(filter(None, [self.session, csrf])),
            "Referer": f"https://{page.request.url.split('://', 1)[1]}",
        }
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self.check(response, *(expected or (200, 302)))
            if "/ekspor/" in url or response.status_code != 302:
                return
            if name == "export" and "/ekspor/" not in response.headers["Location"]:
                response.failure(f"no export job: {response.headers['Location']}")

    @task(30)
    def filtered_list(self):
        self.get(f"/siswa/?status={random.choice(STATUSES)}", "list: by status")  # noqa: S311

    @task(20)
    def school_list(self):
        self.get(f"/siswa/?school={random.choice(SCHOOLS)}", "list: by school")  # noqa: S311

    @task(10)
    def paged_list(self):
        self.get(f"/siswa/?page={random.randint(2, 40)}", "list: a later page")  # noqa: S311

    @task(20)
    def student_page(self):
        self.get(f"/siswa/{random.choice(STUDENTS)}/", "student page")  # noqa: S311

    @task(5)
    def name_search(self):
        self.get(f"/siswa/?q={random.choice(NAMES)}", "search: name")  # noqa: S311

    @task(5)
    def nik_search(self):
        page = self.get("/siswa/", "list: first page")
        self.post("/siswa/", "search: NIK", {"nik": random.choice(NIKS)}, page)  # noqa: S311

    @task(5)
    def hand_over(self):
        batch, student = next(HANDOVERS, (None, None))
        if batch is None:
            return
        url = f"/kartu/serah-terima/{batch}/"
        page = self.get(url, "batch page")
        self.post(url, "hand over", {"siswa": student, "tanggal": TODAY}, page)

    @task(5)
    def export(self):
        """The list's "Download Excel" on thousands of students: a job for the worker."""
        page = self.get("/siswa/?status=handed_over", "list: by status")
        self.post("/siswa/unduh/?status=handed_over", "export", {}, page, 302)


@events.quitting.add_listener
def check_limits(environment, **_kwargs):
    breaches = []
    for (name, method), entry in environment.stats.entries.items():
        if not entry.num_requests:
            continue
        p95 = entry.get_response_time_percentile(0.95)
        p99 = entry.get_response_time_percentile(0.99)
        if p95 >= P95_MS:
            breaches.append(f"{method} {name}: p95 {p95} ms")
        if p99 >= P99_MS:
            breaches.append(f"{method} {name}: p99 {p99} ms")
        if entry.num_failures > MAX_FAILURE_RATIO * entry.num_requests:
            breaches.append(f"{method} {name}: {entry.num_failures} failures")
    if SERVER_ERRORS:
        breaches.append(f"{len(SERVER_ERRORS)} server errors, the first {SERVER_ERRORS[0]}")
    for breach in breaches:
        print("LOAD-01 breach:", breach)
    if breaches:
        environment.process_exit_code = 1
