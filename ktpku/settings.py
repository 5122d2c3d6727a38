"""Django settings for KTPku.

Everything that changes between deployments is read in `ktpku.config`; this module only
assembles it. Defaults are for a developer's machine: SQLite under `var/`, tasks run
eagerly, DEBUG on. Production sets DEBUG=false and the variables the README lists.
"""

import sys
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from . import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
config.read_env_file(BASE_DIR / ".env")

TESTING = "pytest" in sys.modules or config.boolean("KTPKU_TESTING", default=False)

DEBUG = config.boolean("DEBUG", default=False)
SECRET_KEY = config.required_when("SECRET_KEY", not DEBUG and not TESTING)
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - reached only with DEBUG on or in tests
ALLOWED_HOSTS = config.strings("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = config.strings("CSRF_TRUSTED_ORIGINS", default=[])

# The office running this copy. Nothing else in the code names a regency.
OFFICE_NAME = config.string("OFFICE_NAME", default="Dinas Kependudukan dan Pencatatan Sipil")
OFFICE_REGENCY_CODE = config.string("OFFICE_REGENCY_CODE", default="63.11")
OFFICE_REGENCY_NAME = config.string("OFFICE_REGENCY_NAME", default="Kabupaten Balangan")
# Where the regency lies: a school whose coordinates are farther than the radius from
# this centre gets a warning (a typo, or latitude and longitude swapped).
OFFICE_AREA_CENTRE = config.point("OFFICE_AREA_CENTRE", default="-2.3,115.6")
OFFICE_AREA_RADIUS_KM = config.positive_number("OFFICE_AREA_RADIUS_KM", default=60)
# Birthday of someone born on 29 February in a common year: "03-01" or "02-28".
LEAP_DAY_BIRTHDAY = config.choice("LEAP_DAY_BIRTHDAY", "03-01", ["03-01", "02-28"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ktpku.third_party_apps.SignInAttemptsConfig",  # axes
    "ktpku.third_party_apps.ScheduledJobsConfig",  # django_celery_beat
    "ktpku.third_party_apps.JobResultsConfig",  # django_celery_results
    "ktpku",
    "audit",
    "schools",
    "students",
    "campaigns",
]

MIDDLEWARE = [
    "ktpku.log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ktpku.middleware.AllowedMethodsMiddleware",
    "ktpku.middleware.BodySizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ktpku.middleware.OfficeLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ktpku.middleware.UnsentWorkMiddleware",
    "ktpku.session_limits.SessionLimitsMiddleware",
    "ktpku.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ktpku.middleware.PrivateCacheMiddleware",
    "ktpku.middleware.DownloadLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ktpku.urls"
WSGI_APPLICATION = "ktpku.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ktpku.context_processors.office",
                "ktpku.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": config.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ktpku.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = config.integer("CONN_MAX_AGE", 0, minimum=0)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # JIT compiling pays off for long analytic queries, not for ours: a page's or a
    # trigger's query over a million students spent longer compiling than running.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = config.string("REDIS_URL", "")
if REDIS_URL:
    # With Redis down a read is a miss and a write is skipped (ktpku.cache): pages answer.
    CACHES = {
        "default": {
            "BACKEND": "ktpku.cache.RedisCacheThatMayBeDown",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Counts every process must share and that must survive Redis going down (the upload
# quota): a database table, created by the ktpku migration 0001.
CACHES["shared"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "ktpku_shared_cache",
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# SESS-04: signed out after 30 minutes without a request, and 12 hours after signing in.
SESSION_IDLE_SECONDS = config.integer("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = config.integer("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",  # refuses locked-out users first; never logs anyone in
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is not what the tests are about; the real hasher costs half a second a user.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# AUTH-03: staff and administrators prove a TOTP code (or a recovery code) after the
# password. Only a DEBUG demo may switch it off; production refuses to start without it.
OTP_REQUIRED = config.boolean("OTP_REQUIRED", default=True)
if not OTP_REQUIRED and not DEBUG and not TESTING:
    raise config.ConfigError("OTP_REQUIRED may be off only when DEBUG is on")
OTP_TOTP_ISSUER = "KTPku"
# The admin never shows a device's key, QR code or recovery codes once it exists.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies stand in front (docker-compose: nginx, so 1). The client's
# address is then the last X-Forwarded-For entry; anything to its left is the client's own
# word and ignored (ktpku.client_ip).
TRUSTED_PROXY_HOPS = config.integer("TRUSTED_PROXY_HOPS", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "ktpku.client_ip.client_ip"
CSRF_FAILURE_VIEW = "ktpku.views.csrf_failure"

# Lock a username from one address, not a whole school's shared connection.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = config.boolean("AXES_ENABLED", default=True)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"
USE_TZ = True
FORMAT_MODULE_PATH = ["ktpku.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(config.string("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = config.email("EMAIL_URL", "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = config.string("DEFAULT_FROM_EMAIL", "ktpku@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Celery. Without a broker every task runs in the web process and still stores its result,
# so a page that polls a task's state works the same in both set-ups.
CELERY_BROKER_URL = config.string("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# A task whose pool process died goes back to the queue rather than being acknowledged;
# the tests turn it off once to show the sweeper still recovers such an upload.
CELERY_TASK_REJECT_ON_WORKER_LOST = config.boolean("CELERY_TASK_REJECT_ON_WORKER_LOST", True)
# When a worker loses the broker, the broker hands its unacknowledged tasks out again: the
# worker stops its own copies rather than run them twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that then died (kill -9, a lost machine) goes back to the queue
# after the visibility timeout: longer than any task runs, or a slow task would be handed
# to a second worker while the first still works on it (JOB-07).
CELERY_VISIBILITY_TIMEOUT = config.integer("CELERY_VISIBILITY_TIMEOUT", 60 * 60, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for such tasks (interval x throttle seconds).
    "unacked_restore_interval": min(10, CELERY_VISIBILITY_TIMEOUT),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Slow work (the planner, large PDFs) never delays the nightly jobs and reminders.
CELERY_TASK_ROUTES = {
    "campaigns.plan_campaign": {"queue": "slow"},
    "campaigns.make_visit_packs": {"queue": "slow"},
    "ktpku.make_export": {"queue": "slow"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every scheduled job is also a management command of the same name, to run by hand.
CELERY_BEAT_SCHEDULE = {
    "sweep-roster-imports": {"task": "students.sweep_roster_imports", "schedule": 120.0},
    "purge-roster-imports": {
        "task": "students.purge_roster_imports",
        "schedule": crontab(hour=2, minute=30),
    },
    # Just after midnight WITA (CELERY_TIMEZONE): a 17th birthday counts from the office's
    # midnight, not UTC's. A night missed is covered by the next run.
    "flag-due-cards": {
        "task": "students.flag_due_cards",
        "schedule": crontab(hour=0, minute=5),
    },
    "attach-printed-cards": {
        "task": "campaigns.attach_printed_cards",
        "schedule": crontab(hour=0, minute=20),
    },
    "purge-personal-data": {
        "task": "students.purge_personal_data",
        "schedule": crontab(hour=2, minute=45),
    },
    # Made export files are kept EXPORT_KEEP_HOURS; the hourly purge erases older ones.
    "purge-exports": {"task": "ktpku.purge_exports", "schedule": crontab(minute=35)},
    # In the morning (WITA, CELERY_TIMEZONE), so the reminder arrives at the start of a day.
    "send-visit-reminders": {
        "task": "campaigns.send_visit_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
}

# Security. Production (DEBUG off) gets the full set; a developer's http://127.0.0.1 keeps
# working without TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# CFG-04: scripts and styles only from our own static files; nothing inline, no plugins,
# no <base>, no framing. Bootstrap draws a few icons (the select arrow, the close button)
# as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "worker-src": [SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = config.boolean("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# One console handler, at the root. Django's own "django" handlers are taken off so that a
# message is printed once, not twice with DEBUG on; a 403 is one WARNING line (ktpku.access)
# and axes' start-up banner, printed by every manage.py command, is left out.
LOG_FORMAT = config.choice("LOG_FORMAT", "json", ["json", "plain"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_forbidden": {"()": "ktpku.log.SkipForbidden"}},
    "formatters": {
        "json": {"()": "ktpku.log.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {
        "handlers": ["console"],
        "level": config.choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["skip_forbidden"]},
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        # A line per page of every PDF ("Step 5 - Creating layout - Page 17") says nothing.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Upload limits for rosters and school lists.
UPLOAD_MAX_BYTES = config.integer("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
UPLOAD_MAX_ROWS = config.integer("UPLOAD_MAX_ROWS", 60_000, minimum=1)
UPLOAD_MAX_UNCOMPRESSED_BYTES = config.integer(
    "UPLOAD_MAX_UNCOMPRESSED_BYTES", 120 * 1024 * 1024, minimum=1
)
# Days an upload keeps its rows (names, NIKs) for the uploader to fix and save; then erased.
ROSTER_RETENTION_DAYS = config.integer("ROSTER_RETENTION_DAYS", 30, minimum=1)
# A printed card rides along with the school's next visit when one is planned this many days ahead.
CARD_HANDOVER_WITHIN_DAYS = config.integer("CARD_HANDOVER_WITHIN_DAYS", 30, minimum=1)
# Months after a card's handover (or a closed record) that a student's personal data is
# kept; then students.retention anonymises it, nightly.
PERSONAL_DATA_RETENTION_MONTHS = config.integer("PERSONAL_DATA_RETENTION_MONTHS", 12, minimum=1)
# School moves one school's uploads may ask for in a day (WITA): more rows are refused, so
# an upload cannot test thousands of NIKs for registration elsewhere (the NIK oracle).
ROSTER_MOVES_PER_SCHOOL_PER_DAY = config.integer("ROSTER_MOVES_PER_SCHOOL_PER_DAY", 30, minimum=0)
# Staff are warned on the moves page when one upload asks for this many moves or more.
ROSTER_MOVES_WARNING = config.integer("ROSTER_MOVES_WARNING", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Exports (xlsx): up to this many rows are written while the user waits; a larger export is
# made by a task on the slow queue, with a progress page and a download for its requester.
EXPORT_SYNC_MAX_ROWS = config.integer("EXPORT_SYNC_MAX_ROWS", 2000, minimum=1)
# Hours a made export file (names, perhaps full NIKs) is kept for download; then erased.
EXPORT_KEEP_HOURS = config.integer("EXPORT_KEEP_HOURS", 24, minimum=1)
# Seconds a queued export may wait before its page says no worker seems to be running.
EXPORT_WORKER_WAIT_SECONDS = config.integer("EXPORT_WORKER_WAIT_SECONDS", 60, minimum=1)
