"""Writes of the campaign pages that are not planning: an edited campaign, its calendar
days, its teams and their calendar feed address."""

from django.db import transaction

from .models import new_ical_token
from .services import calendar_fill


@transaction.atomic
def campaign_update(*, form):
    """Save the edited campaign; new dates get the national days of the new period
    (days staff entered stay as they are)."""
    campaign = form.save(commit=False)
    campaign.year = campaign.first_day.year
    campaign.save()
    form.save_m2m()
    if {"first_day", "last_day"} & set(form.changed_data):
        calendar_fill(campaign=campaign)
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
