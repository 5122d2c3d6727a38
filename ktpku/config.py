"""The one place that reads the environment.

Every setting that may differ between one office's server and another's comes from an
environment variable (or a `.env` file next to `manage.py`). A value that is unreadable
stops start-up with a single line naming the variable and the form it accepts, rather than
a traceback or, worse, a silent default in production (`manage.py` prints the line and
exits with status 2). A variable that is unset, or set to an empty value, takes its default.
"""

import re

import environ
from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


env = environ.Env()

TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")
BOOLEAN_FORM = "/".join(word for pair in zip(TRUE_WORDS, FALSE_WORDS, strict=True) for word in pair)
WHOLE_NUMBER = re.compile(r"[0-9]+")


def read_env_file(path):
    if path.exists():
        environ.Env.read_env(str(path), overwrite=False)


def _raw(name):
    """The variable's text, or None when it is unset or empty."""
    value = env.str(name, default="").strip()
    return value or None


def string(name, default):
    return _raw(name) or default


def strings(name, default):
    """A comma-separated list: `ALLOWED_HOSTS=a.example,b.example`."""
    raw = _raw(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def choice(name, default, choices):
    value = _raw(name) or default
    if value not in choices:
        raise ConfigError(f'{name} must be one of {"/".join(choices)}, not "{value}"')
    return value


def boolean(name, default):
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ConfigError(f'{name} must be one of {BOOLEAN_FORM}, not "{raw}"')


def integer(name, default, *, minimum):
    """A size, a count or a number of days: digits only, at least `minimum`."""
    raw = _raw(name)
    if raw is None:
        return default
    if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < minimum:
        raise ConfigError(f'{name} must be a whole number of at least {minimum}, not "{raw}"')
    return int(raw)


def database(name, default):
    raw = string(name, default)
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ConfigError(f"{name} cannot be read as a database URL: {exc}") from exc
    if not str(config.get("ENGINE", "")).startswith("django."):
        raise ConfigError(f"{name} names an unknown database scheme: {raw.split(':', 1)[0]}")
    if config["ENGINE"].endswith("sqlite3"):
        if not config.get("NAME"):
            raise ConfigError(f"{name} names no SQLite file")
    elif not config.get("NAME"):
        raise ConfigError(f"{name} names no database")
    return config


def required_when(name, condition, *, default=""):
    value = string(name, default)
    if condition and not value:
        raise ConfigError(f"{name} must be set when DEBUG is off")
    return value


def email(name, default):
    raw = string(name, default)
    try:
        return environ.Env.email_url_config(raw)
    except Exception as exc:
        raise ConfigError(f"{name} cannot be read as an e-mail URL: {exc}") from exc


def point(name, default):
    """A place on the earth written "latitude,longitude" (decimal degrees)."""
    raw = string(name, default)
    try:
        latitude, longitude = (float(part) for part in raw.split(","))
    except ValueError as exc:
        raise ConfigError(f"{name} must be written latitude,longitude, e.g. -2.3,115.6") from exc
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ConfigError(f"{name} must have a latitude in -90..90 and a longitude in -180..180")
    return (latitude, longitude)


def positive_number(name, default):
    raw = _raw(name)
    if raw is None:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not value > 0 or value == float("inf"):
        raise ConfigError(f'{name} must be a number greater than 0, not "{raw}"')
    return value
