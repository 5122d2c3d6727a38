import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _check(extra_env, *args):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "PYTEST_CURRENT_TEST",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(extra_env)
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_startup_without_secret_key_when_debug_off_names_the_variable():
    result = _check({"DEBUG": "false"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "KTPku configuration error: SECRET_KEY must be set when DEBUG is off"
    )
    assert "Traceback" not in result.stderr


def test_startup_with_unreadable_database_url_names_the_variable():
    result = _check({"DEBUG": "true", "DATABASE_URL": "postgres://"})
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("KTPku configuration error: DATABASE_URL ")
    assert "Traceback" not in result.stderr


def test_startup_with_unknown_database_scheme_names_the_variable():
    result = _check({"DEBUG": "true", "DATABASE_URL": "oracle-ish:/nowhere"})
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("KTPku configuration error: DATABASE_URL ")
    )


def test_deploy_check_with_production_environment_has_no_warning():
    result = _check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x7-" + "kP2qL9vR4tY8wZ1mN6bC3dF5gH0jK" * 2,
            "ALLOWED_HOSTS": "ktpku.example.go.id",
            "DATABASE_URL": "postgres://ktpku@127.0.0.1:5432/ktpku",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "OFFICE_AREA_CENTRE",
            "115.6,-2.3",
            "OFFICE_AREA_CENTRE must have a latitude in -90..90 and a longitude in -180..180",
        ),
        (
            "OFFICE_AREA_CENTRE",
            "Paringin",
            "OFFICE_AREA_CENTRE must be written latitude,longitude, e.g. -2.3,115.6",
        ),
        ("OFFICE_AREA_RADIUS_KM", "0", "OFFICE_AREA_RADIUS_KM must be more than 0"),
    ],
)
def test_startup_with_unreadable_office_area_names_the_variable(variable, value, message):
    result = _check({"DEBUG": "true", variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"KTPku configuration error: {message}"
