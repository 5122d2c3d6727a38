"""The one place that reads the environment.

Every setting that may differ between one office's server and another's comes from an
environment variable (or a `.env` file next to `manage.py`). A value that is missing or
unreadable stops start-up with a single line naming the variable, rather than a
traceback or, worse, a silent default in production.
"""

import environ
from django.core.exceptions import ImproperlyConfigured


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


env = environ.Env()


def read_env_file(path):
    if path.exists():
        environ.Env.read_env(str(path), overwrite=False)


def database(name, default):
    raw = env.str(name, default=default)
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
    value = env.str(name, default=default)
    if condition and not value:
        raise ConfigError(f"{name} must be set when DEBUG is off")
    return value


def boolean(name, default):
    try:
        return env.bool(name, default=default)
    except ValueError as exc:
        raise ConfigError(f"{name} must be true or false") from exc


def email(name, default):
    raw = env.str(name, default=default)
    try:
        return environ.Env.email_url_config(raw)
    except Exception as exc:
        raise ConfigError(f"{name} cannot be read as an e-mail URL: {exc}") from exc


def point(name, default):
    """A place on the earth written "latitude,longitude" (decimal degrees)."""
    raw = env.str(name, default=default)
    try:
        latitude, longitude = (float(part) for part in raw.split(","))
    except ValueError as exc:
        raise ConfigError(f"{name} must be written latitude,longitude, e.g. -2.3,115.6") from exc
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ConfigError(f"{name} must have a latitude in -90..90 and a longitude in -180..180")
    return (latitude, longitude)


def positive_number(name, default):
    try:
        value = env.float(name, default=default)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0")
    return value
