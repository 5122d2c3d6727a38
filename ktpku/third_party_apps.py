"""Indonesian names for the third-party apps the admin shows.

The admin lists each app as a section; axes, django-celery-beat and django-celery-results
name theirs in English ("Axes", "Periodic Tasks", "Celery Results") and the two Celery apps
ship no Indonesian catalogue. INSTALLED_APPS names these configs instead of the apps' own,
so each section gets a name from our catalogue; the labels, and so the tables and
migrations, stay the apps' own.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_celery_beat.apps import BeatConfig
from django_celery_results.apps import CeleryResultConfig


class SignInAttemptsConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class ScheduledJobsConfig(BeatConfig):
    verbose_name = _("Scheduled jobs")


class JobResultsConfig(CeleryResultConfig):
    verbose_name = _("Background job results")


# The Celery apps' model names, as they write them: listed here so that makemessages keeps
# them in our catalogue, which translates the apps' own gettext calls.
CELERY_MODEL_NAMES = [
    gettext_noop("clocked"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("group result"),
    gettext_noop("group results"),
    gettext_noop("task result"),
    gettext_noop("task results"),
]
