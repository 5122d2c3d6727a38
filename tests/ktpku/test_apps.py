"""UP-03: the start-up check that openpyxl reads workbooks only through defusedxml."""

import os
import subprocess
import sys
from pathlib import Path

import openpyxl.xml

from ktpku.apps import check_openpyxl_uses_defusedxml

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = (
    "openpyxl is not using defusedxml: install the defusedxml package and leave "
    "OPENPYXL_DEFUSEDXML unset (or set it to True). Uploads are read by "
    "the intake's own reader, but no workbook openpyxl reads may expand XML entities "
    "(SECURITY.md UP-03)."
)


def _manage_check(extra_env):
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
            "OPENPYXL_DEFUSEDXML",
        )
    }
    env.update({"DEBUG": "true", **extra_env})
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_openpyxl_defusedxml_is_on_in_this_environment():
    assert openpyxl.xml.DEFUSEDXML is True
    assert check_openpyxl_uses_defusedxml() is None


def test_startup_with_defusedxml_passes_the_check():
    result = _manage_check({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_startup_without_defusedxml_is_refused_with_the_reason():
    # openpyxl reads this variable at import: "False" makes it fall back to the stdlib parser.
    result = _manage_check({"OPENPYXL_DEFUSEDXML": "False"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {MESSAGE}"
    )
