"""Office staff at work, for bench/test_http_load.py (locust, headless).

Each simulated user is one signed-in staff member (a session of their own, the second
factor passed) who opens the staff home, the dashboard, the student list and a student's
page, one to three seconds apart, the first one too (fifty people do not all click in the
same millisecond when the test starts). The requests carry what the office's nginx adds in front of
gunicorn: X-Forwarded-Proto (TLS ends at nginx) and X-Forwarded-For.

Read from the environment: BENCH_COOKIE (the session cookie's name), BENCH_SESSIONS and
BENCH_STUDENTS (comma-separated session keys and student ids).
"""

import itertools
import os
import random

from locust import HttpUser, between, task

COOKIE = os.environ["BENCH_COOKIE"]
SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
STUDENTS = os.environ["BENCH_STUDENTS"].split(",")


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.headers = {
            "Cookie": f"{COOKIE}={next(SESSIONS)}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "10.0.0.7",
        }
        self.wait()

    def open(self, url, name):
        with self.client.get(
            url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:  # a redirect to the login page is a failure too
                response.failure(f"{response.status_code} for {url}")

    @task
    def home(self):
        self.open("/", "staff home")

    @task
    def dashboard(self):
        self.open("/dasbor/", "dashboard")

    @task
    def student_list(self):
        self.open("/siswa/", "student list")

    @task
    def student_page(self):
        self.open(f"/siswa/{random.choice(STUDENTS)}/", "student page")  # noqa: S311
