import os
import subprocess
import sys
from pathlib import Path

import pytest

from ktpku import config

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


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [
        ("DEBUG", "maybe", 'DEBUG must be one of true/false/1/0/yes/no, not "maybe"'),
        (
            "UPLOAD_MAX_BYTES",
            "abc",
            'UPLOAD_MAX_BYTES must be a whole number of at least 1, not "abc"',
        ),
        ("UPLOAD_MAX_ROWS", "-1", 'UPLOAD_MAX_ROWS must be a whole number of at least 1, not "-1"'),
        ("LOG_LEVEL", "loud", 'LOG_LEVEL must be one of DEBUG/INFO/WARNING/ERROR, not "loud"'),
    ],
)
def test_startup_with_malformed_value_prints_one_line_naming_the_variable(variable, value, line):
    result = _check({"DEBUG": "true", variable: value})
    assert result.returncode == 2
    assert result.stderr == f"KTPku configuration error: {line}\n"
    assert result.stdout == ""


def test_manage_py_check_prints_nothing_but_its_result():
    # No start-up banner (axes logs one at INFO) for a newcomer to read as a failure.
    result = _check({"DEBUG": "true"})
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == "System check identified no issues (0 silenced).\n"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), (" Yes ", True)]
    + [("false", False), ("False", False), ("0", False), ("no", False)]
    + [("", None)],
)
def test_boolean_reads_the_accepted_words_and_an_empty_value_as_the_default(
    monkeypatch, raw, value
):
    monkeypatch.setenv("KTPKU_SOME_FLAG", raw)
    assert config.boolean("KTPKU_SOME_FLAG", default=None) is value


@pytest.mark.parametrize("raw", ["maybe", "on", "2", "tru"])
def test_boolean_refuses_any_other_word(monkeypatch, raw):
    monkeypatch.setenv("KTPKU_SOME_FLAG", raw)
    with pytest.raises(config.ConfigError) as error:
        config.boolean("KTPKU_SOME_FLAG", default=False)
    assert str(error.value) == f'KTPKU_SOME_FLAG must be one of true/false/1/0/yes/no, not "{raw}"'


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("7", 7), (" 60000 ", 60000), ("", 30)])
def test_integer_reads_whole_numbers_from_its_minimum(monkeypatch, raw, value):
    monkeypatch.setenv("KTPKU_SOME_COUNT", raw)
    assert config.integer("KTPKU_SOME_COUNT", 30, minimum=0) == value


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "5MB", "1_000", "+3", "0"])
def test_integer_refuses_anything_but_digits_at_or_above_the_minimum(monkeypatch, raw):
    monkeypatch.setenv("KTPKU_SOME_COUNT", raw)
    with pytest.raises(config.ConfigError) as error:
        config.integer("KTPKU_SOME_COUNT", 30, minimum=1)
    assert str(error.value) == (
        f'KTPKU_SOME_COUNT must be a whole number of at least 1, not "{raw.strip()}"'
    )


def test_strings_split_on_commas_and_drop_blanks(monkeypatch):
    monkeypatch.setenv("KTPKU_SOME_HOSTS", "a.example, b.example,,")
    assert config.strings("KTPKU_SOME_HOSTS", default=["x"]) == ["a.example", "b.example"]


def test_choice_refuses_a_value_outside_its_list(monkeypatch):
    monkeypatch.setenv("LEAP_DAY_BIRTHDAY", "02-29")
    with pytest.raises(config.ConfigError) as error:
        config.choice("LEAP_DAY_BIRTHDAY", "03-01", ["03-01", "02-28"])
    assert str(error.value) == 'LEAP_DAY_BIRTHDAY must be one of 03-01/02-28, not "02-29"'


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
        (
            "OFFICE_AREA_RADIUS_KM",
            "0",
            'OFFICE_AREA_RADIUS_KM must be a number greater than 0, not "0"',
        ),
    ],
)
def test_startup_with_unreadable_office_area_names_the_variable(variable, value, message):
    result = _check({"DEBUG": "true", variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"KTPku configuration error: {message}"
