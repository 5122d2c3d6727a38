"""Celery tasks of the campaigns app: thin, by id, safe to run twice."""

from celery import shared_task

# The planner has a deterministic effort limit; this is the net under it.
PLAN_TIME_LIMIT = 5 * 60


@shared_task(
    name="campaigns.plan_campaign",
    time_limit=PLAN_TIME_LIMIT,
    soft_time_limit=PLAN_TIME_LIMIT - 30,
)
def plan_campaign(campaign_id):
    from .services import plan_run

    report = plan_run(campaign_id)
    return None if report is None else {k: report[k] for k in ("team_days", "lower_bound")}


@shared_task(
    name="campaigns.send_visit_reminders", time_limit=10 * 60, soft_time_limit=10 * 60 - 30
)
def send_visit_reminders():
    from .notifications import visit_reminders_send

    return visit_reminders_send()


@shared_task(name="campaigns.notify_visits_set", time_limit=5 * 60, soft_time_limit=5 * 60 - 30)
def notify_visits_set(visit_ids):
    from .notifications import visits_set_notify

    return visits_set_notify(visit_ids)


@shared_task(name="campaigns.notify_visit_moved", time_limit=5 * 60, soft_time_limit=5 * 60 - 30)
def notify_visit_moved(visit_id, previous_date):
    from .notifications import visit_moved_notify

    return visit_moved_notify(visit_id, previous_date)


@shared_task(name="campaigns.make_visit_packs", time_limit=15 * 60, soft_time_limit=14 * 60)
def make_visit_packs(job_id):
    from .print_jobs import print_job_run

    return print_job_run(job_id)


@shared_task(
    name="campaigns.attach_printed_cards", time_limit=15 * 60, soft_time_limit=15 * 60 - 30
)
def attach_printed_cards():
    from .cards.batches import attach_printed

    return attach_printed()
