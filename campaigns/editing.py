"""Writes of the campaign pages that are not planning: the campaign itself, its calendar
days, its teams, and a coordinator's answer to a visit date."""

from django.db import transaction
from django.utils import timezone

from .models import Visit, new_ical_token


@transaction.atomic
def campaign_save(*, form, user):
    """Save the campaign form; a new campaign gets the national holidays of its dates."""
    from .calendar_fill import campaign_calendar_fill

    creating = form.instance.pk is None
    campaign = form.save(commit=False)
    campaign.year = campaign.first_day.year
    if creating:
        campaign.created_by = user
    campaign.save()
    form.save_m2m()
    # A new campaign, or new dates, get the national days of the (new) period.
    if creating or {"first_day", "last_day"} & set(form.changed_data):
        campaign_calendar_fill(campaign=campaign)
    return campaign


@transaction.atomic
def calendar_day_add(*, form):
    return form.save()


@transaction.atomic
def calendar_day_remove(*, day):
    day.delete()


@transaction.atomic
def team_save(*, form):
    return form.save()


@transaction.atomic
def team_new_feed_address(*, team):
    """A new secret for the team's calendar feed: the old address stops working."""
    team.ical_token = new_ical_token()
    team.save(update_fields=["ical_token"])
    return team


class AnswerRefused(Exception):
    pass


@transaction.atomic
def visit_answer(*, visit, answer, note, user):
    """A coordinator confirms the visit date or asks for another day, with a reason.

    The row is locked and checked again: an answer to a visit that was meanwhile moved,
    cancelled or that already took place is refused, never written over it.
    """
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != Visit.Status.ACCEPTED:
        raise AnswerRefused
    visit.coordinator_answer = answer
    visit.coordinator_note = note.strip()
    visit.answered_by = user
    visit.answered_at = timezone.now()
    visit.save(
        update_fields=[
            "coordinator_answer",
            "coordinator_note",
            "answered_by",
            "answered_at",
            "updated_at",
        ]
    )
    return visit

