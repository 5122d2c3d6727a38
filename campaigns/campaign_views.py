"""The campaign pages of the office: list, form, the campaign page with its calendar and
the planner, and the schools still without a visit."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ktpku import tasks
from ktpku.access import POST, SAFE, requires

from . import access, editing, schedules, services
from .forms import CalendarDayForm, CampaignForm
from .models import Campaign, Visit


def _calendar_day(user, pk, day_pk):
    campaign = access.get_campaign_for_user(user, pk)
    return get_object_or_404(campaign.days.select_related("campaign"), pk=day_pk)


@requires(access.can_view_campaigns, methods=SAFE)
def campaign_list(request):
    # 1 query: the campaigns with their counts of schools, teams and live visits.
    campaigns = access.campaigns_for_user(request.user).annotate(
        n_schools=Count("schools", distinct=True),
        n_teams=Count("teams", distinct=True),
        n_visits=Count("visits", filter=~Q(visits__status=Visit.Status.CANCELLED), distinct=True),
    )
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "can_add": access.can_add_campaign(request.user)},
    )


@requires(access.can_add_campaign)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = services.campaign_create(
            name=data["name"],
            year=data["first_day"].year,
            school_year=data["school_year"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            target=data["target"],
            fridays_half_day=data["fridays_half_day"],
            schools=data["schools"],
            created_by=request.user,
        )
        _privacy_set(request, campaign, data)
        messages.success(request, _("The campaign %(name)s was created.") % {"name": campaign})
        return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@requires(access.can_change_campaign, load=access.get_campaign_for_user)
def campaign_edit(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = editing.campaign_update(form=form)
        _privacy_set(request, campaign, form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _privacy_set(request, campaign, data):
    services.campaign_privacy_set(
        campaign=campaign,
        legal_basis=data["legal_basis"],
        consent_confirmed=data["consent_confirmed"],
        by=request.user,
    )


def _render_detail(request, campaign, *, day_form=None, status=200):
    user = request.user
    can_edit_calendar = access.can_edit_calendar(user, campaign)
    if day_form is None and can_edit_calendar:
        day_form = CalendarDayForm(campaign=campaign)
    context = {
        "campaign": campaign,
        "days": campaign.days.all(),
        "teams": campaign.teams.prefetch_related("members"),
        "figures": schedules.visit_figures(campaign),
        "report": schedules.plan_report(campaign),
        "n_schools": campaign.schools.count(),
        "n_without_visit": schedules.schools_without_visit(campaign).count(),
        "day_form": day_form,
        "can_edit": access.can_change_campaign(user, campaign),
        "can_edit_calendar": can_edit_calendar,
        "can_plan": access.can_plan_campaign(user, campaign),
        "can_manage_teams": access.can_manage_teams(user),
        "planner_busy": campaign.plan_state
        in (Campaign.PlanState.QUEUED, Campaign.PlanState.RUNNING),
    }
    return render(request, "campaigns/campaign_detail.html", context, status=status)


@requires(access.can_view_campaign, load=access.get_campaign_for_user, methods=SAFE)
def campaign_detail(request, campaign):
    return _render_detail(request, campaign)


@requires(access.can_edit_calendar, load=access.get_campaign_for_user, methods=POST)
def calendar_day_add(request, campaign):
    form = CalendarDayForm(request.POST, campaign=campaign)
    if form.is_valid():
        day = editing.calendar_day_add(form=form)
        messages.success(
            request, _("%(date)s was added to the calendar.") % {"date": _long_date(day.date)}
        )
        return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#calendar")
    return _render_detail(request, campaign, day_form=form, status=400)


@requires(
    lambda user, day: access.can_edit_calendar(user, day.campaign),
    load=_calendar_day,
    methods=POST,
)
def calendar_day_remove(request, day):
    editing.calendar_day_remove(day=day)
    messages.success(
        request, _("%(date)s was removed from the calendar.") % {"date": _long_date(day.date)}
    )
    return redirect(reverse("campaigns:detail", args=[day.campaign_id]) + "#calendar")


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=POST)
def plan_run(request, campaign):
    """Ask the planner for a proposal; a second click while it runs changes nothing."""
    if not campaign.privacy_ready:
        messages.error(request, str(services.PrivacyNotReady(campaign.pk)))
    elif not campaign.teams.exists():
        messages.warning(request, _("Add a team first: the planner needs at least one."))
    elif services.plan_request(campaign=campaign):
        if tasks.all_sent():  # else ktpku.middleware.UnsentWorkMiddleware says why not
            messages.info(request, _("The planner has started."))
    else:
        messages.info(request, _("The planner is already working on this campaign."))
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#planner")


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=SAFE)
def plan_state(request, campaign):
    """The planner box, polled while the planner runs; when it is done, reload the page
    (a refresh: the page's own address, which a redirect to it would not reload)."""
    if campaign.plan_state not in (Campaign.PlanState.QUEUED, Campaign.PlanState.RUNNING):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "campaigns/_plan_progress.html", {"campaign": campaign})


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=POST)
def plan_accept(request, campaign):
    try:
        accepted = services.plan_accept(campaign=campaign, by=request.user)
    except services.PrivacyNotReady as refused:
        messages.error(request, str(refused))
        return redirect("campaigns:detail", pk=campaign.pk)
    if accepted:
        messages.success(
            request, _("%(count)d proposed visits were accepted.") % {"count": accepted}
        )
    else:
        messages.info(request, _("There was no proposed visit to accept."))
    return redirect("campaigns:schedule", pk=campaign.pk)


@requires(access.can_view_campaign, load=access.get_campaign_for_user, methods=SAFE)
def schools_without_visit(request, campaign):
    # 2 queries: the campaign, the schools with their kecamatan.
    why = {
        row.get("school"): row.get("message", "")
        for row in campaign.plan_report.get("uncovered", [])
    }
    rows = [
        (school, why.get(school.code, "")) for school in schedules.schools_without_visit(campaign)
    ]
    return render(
        request,
        "campaigns/schools_without_visit.html",
        {
            "campaign": campaign,
            "rows": rows,
            "can_plan": access.can_plan_campaign(request.user, campaign),
        },
    )


def _long_date(date):
    from django.utils.formats import date_format

    return date_format(date, "j F Y")
