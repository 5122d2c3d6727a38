"""The recording teams: their list, form and page, with the team's calendar feed address."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ktpku.access import POST, SAFE, requires

from . import access, editing, schedules
from .forms import WEEKDAYS, TeamForm
from .models import Visit


@requires(access.can_manage_teams, methods=SAFE)
def team_list(request):
    # 3 queries: the campaigns, their teams with counts of visits, the members.
    teams = (
        access.teams_for_user(request.user)
        .select_related("campaign")
        .prefetch_related("members")
        .annotate(n_visits=Count("visits", filter=~Q(visits__status=Visit.Status.CANCELLED)))
        .order_by("-campaign__first_day", "campaign_id", "name")
    )
    campaigns = access.campaigns_for_user(request.user).order_by("-first_day")
    return render(
        request,
        "campaigns/team_list.html",
        {"teams": teams, "campaigns": campaigns, "weekday_choices": WEEKDAYS},
    )


@requires(
    lambda user, campaign: access.can_manage_teams(user),
    load=lambda user, pk: access.get_campaign_for_user(user, pk),
)
def team_create(request, campaign):
    form = TeamForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        team = editing.team_save(form=form)
        messages.success(request, _("The team %(name)s was added.") % {"name": team.name})
        return redirect("campaigns:team", pk=team.pk)
    return render(
        request, "campaigns/team_form.html", {"form": form, "campaign": campaign, "team": None}
    )


@requires(access.can_manage_team, load=access.get_team_for_user)
def team_edit(request, team):
    form = TeamForm(request.POST or None, instance=team, campaign=team.campaign)
    if request.method == "POST" and form.is_valid():
        editing.team_save(form=form)
        messages.success(request, _("The changes were saved."))
        return redirect("campaigns:team", pk=team.pk)
    return render(
        request, "campaigns/team_form.html", {"form": form, "campaign": team.campaign, "team": team}
    )


@requires(load=access.get_team_for_user, methods=SAFE)
def team_detail(request, team):
    """A team's page: members, kits, its visits, the schedule PDF and the calendar feed.
    A member sees their own team's page; staff see every team."""
    visits = schedules.schedule(team.campaign, team=team)
    if not access.can_plan_campaigns(request.user):
        visits = visits.filter(status=Visit.Status.ACCEPTED)
    feed = request.build_absolute_uri(reverse("campaigns:team_feed", args=[team.ical_token]))
    return render(
        request,
        "campaigns/team_detail.html",
        {
            "team": team,
            "members": team.members.order_by("first_name", "username"),
            "visits": visits,
            "feed_url": feed,
            "webcal_url": "webcal://" + feed.split("://", 1)[1],
            "can_manage": access.can_manage_team(request.user, team),
            "weekday_choices": WEEKDAYS,
        },
    )


@requires(access.can_manage_team, load=access.get_team_for_user, methods=POST)
def team_new_feed(request, team):
    editing.team_new_feed_address(team=team)
    messages.success(
        request,
        _("The team has a new calendar address; the old one no longer works."),
    )
    return redirect(reverse("campaigns:team", args=[team.pk]) + "#feed")
