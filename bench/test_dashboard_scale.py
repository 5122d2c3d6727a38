"""dashboard_scale: the staff home, the dashboard and the student list at 10,000 and at
1,000,000 students (Django test client, cache off, PostgreSQL).

Prints {"scenario": "dashboard_scale", "ratio", "queries_small", "queries_large", ...}:
`ratio` is the time of the three pages at the large size over the time at the small one
(each page the median of a few requests after one to warm up), the query counts are the
three pages' together. Target: ratio at most 3, the same number of queries at both sizes.
"""

import statistics
import time

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench.report import emit
from tests.helpers import pass_second_factor

SMALL, LARGE = 10_000, 1_000_000
REPEATS = 5
NO_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def staff_client():
    user, _created = User.objects.get_or_create(username="bench_staf")
    user.groups.add(Group.objects.get(name="staf"))
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def measure(client):
    """{page: (median seconds, queries)} for the three pages."""
    pages = {
        "home": reverse("home"),
        "dashboard": reverse("campaigns:dashboard"),
        "students": reverse("students:list"),
    }
    figures = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warms the templates and the caches
        timings = []
        for _attempt in range(REPEATS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        figures[name] = (statistics.median(timings), len(queries))
    return figures


def test_dashboard_scale(bench_data, settings):
    settings.CACHES = {**settings.CACHES, "default": NO_CACHE}
    measured = {}
    for size in (SMALL, LARGE):
        made = bench_data.ensure(size)
        with override_settings(DEBUG=False):
            measured[size] = measure(staff_client())
        print(f"\n{size} students ({made['seconds']} s to make): {measured[size]}")
    small = sum(seconds for seconds, _queries in measured[SMALL].values())
    large = sum(seconds for seconds, _queries in measured[LARGE].values())
    queries_small = sum(queries for _seconds, queries in measured[SMALL].values())
    queries_large = sum(queries for _seconds, queries in measured[LARGE].values())
    emit(
        "dashboard_scale",
        ratio=round(large / small, 2),
        queries_small=queries_small,
        queries_large=queries_large,
        ms_small={page: round(1000 * s) for page, (s, _q) in measured[SMALL].items()},
        ms_large={page: round(1000 * s) for page, (s, _q) in measured[LARGE].items()},
    )
    assert queries_small == queries_large
