"""How the background work is set up: what recovers from a lost task, and when the
nightly erasures run (JOB-02, JOB-03, JOB-07, UP-02, PDP-03)."""

from celery import current_app
from celery.schedules import crontab
from django.conf import settings

from students.roster.tasks import READ_TIME_LIMIT, read_roster_import


def schedule_of(task):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == task]
    return entry["schedule"]


def test_a_lost_upload_is_sent_again_within_five_minutes():
    # The sweep runs every two minutes and resends what waited more than two.
    from students.roster.services.upkeep import SWEEP_AFTER

    every = schedule_of("students.sweep_roster_imports")
    assert (every, SWEEP_AFTER.total_seconds()) == (120.0, 120.0)
    assert every + SWEEP_AFTER.total_seconds() <= 5 * 60


def test_tasks_are_acknowledged_when_done_and_come_back_after_a_crash():
    conf = current_app.conf  # what the worker reads
    assert (
        conf.task_acks_late,
        conf.task_reject_on_worker_lost,
        conf.worker_prefetch_multiplier,
        conf.worker_cancel_long_running_tasks_on_connection_loss,
        read_roster_import.acks_late,
    ) == (True, True, 1, True, True)


def test_the_visibility_timeout_outlasts_every_task():
    """A task still running when the timeout passes would be handed to a second worker."""
    current_app.loader.import_default_modules()  # every app's tasks, as a worker has them
    timeout = current_app.conf.broker_transport_options["visibility_timeout"]
    limits = [current_app.conf.task_time_limit] + [
        task.time_limit for task in current_app.tasks.values() if task.time_limit
    ]
    assert timeout == 3600
    assert max(limits) < timeout


def test_reading_a_roster_has_a_hard_time_limit():
    assert (read_roster_import.time_limit, read_roster_import.soft_time_limit) == (600, 570)
    assert READ_TIME_LIMIT == 600


def test_personal_data_and_old_uploads_are_erased_every_night():
    assert schedule_of("students.purge_personal_data") == crontab(hour=2, minute=45)
    assert schedule_of("students.purge_roster_imports") == crontab(hour=2, minute=30)
