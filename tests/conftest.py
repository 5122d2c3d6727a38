import os

import pytest
from django.test import Client
from django.utils import translation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import SchoolFactory, UserFactory  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="concurrency test: needs PostgreSQL (DATABASE_URL is not)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


_password_only_login = Client.force_login


@pytest.fixture(autouse=True)
def _second_factor_passed(monkeypatch):
    """`client.force_login(user)` also passes the second step (AUTH-03) for staff.

    Tests of the second step itself sign in with `password_only_login` instead.
    """
    from tests.helpers import pass_second_factor

    def force_login(client, user, backend=None):
        _password_only_login(client, user, backend)
        pass_second_factor(client, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def password_only_login():
    """Sign a test client in with the password step alone, as the login form does."""
    return _password_only_login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright's own browser download is not available here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Makassar"}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the rows migrations create, which a transactional test's flush removes.

    Browser and worker tests run with transaction=True: after each of them the database is
    emptied, taking the roles and the region table that migrations loaded with it.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from ktpku.roles import sync_roles
    from schools import regions
    from schools.models import Region

    if not Region.objects.exists():
        regions.load(Region)
    sync_roles(apps)


@pytest.fixture
def english(settings):
    """Messages and pages in their English source text, whatever the catalogue says.

    The language setting covers pages (the middleware activates it per request); the
    override covers services and commands called directly.
    """
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, and stop running tasks in-process."""
    from ktpku.celery import app

    saved = (app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager)
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    app.conf.task_always_eager = False
    app._pool = app.amqp._producer_pool = None
    yield
    app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = saved
    app._pool = app.amqp._producer_pool = None


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and generated files go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Personas: the people of the design, each with a school where that applies.
@pytest.fixture
def school_a(db):
    return SchoolFactory(name="SMA Negeri 1 Paringin", npsn="30304567")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="SMA Negeri 1 Halong", npsn="30304568")


@pytest.fixture
def staf(db):
    return UserFactory(username="staf", role="staf")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin1", role="admin")


@pytest.fixture
def petugas(db):
    return UserFactory(username="petugas", role="petugas")


@pytest.fixture
def pimpinan(db):
    return UserFactory(username="pimpinan", role="pimpinan")


@pytest.fixture
def koordinator_a(school_a):
    user = UserFactory(username="koord_a", role="koordinator")
    school_a.coordinators.add(user)
    return user


@pytest.fixture
def koordinator_b(school_b):
    user = UserFactory(username="koord_b", role="koordinator")
    school_b.coordinators.add(user)
    return user
