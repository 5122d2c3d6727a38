import logging
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Each benchmark's sign-ins would log a line each: the JSON lines are what `make bench` shows.
logging.getLogger("axes").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database (test_<name>), made for every run: pytest-django makes it only
    when a collected test asks for `db`, and a scenario may write committed data instead."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def bench_data(django_db_setup, django_db_blocker):
    """The generated data (bench/generate.py), committed to the test database so that a
    server process sees it too; made once per size and shared by the scenarios that ask
    for the same size in one run."""
    from bench import generate

    with django_db_blocker.unblock():
        yield generate.Data()


def pytest_runtest_teardown(item, nextitem):
    """Empty the tables after the last scenario in a row that uses the generated data, so
    the scenarios after it start from the database as migrations left it."""
    if "bench_data" in item.fixturenames and (
        nextitem is None or "bench_data" not in nextitem.fixturenames
    ):
        data = item.funcargs.get("bench_data")
        if data is not None:
            data.wipe()
