"""Visit pages: the campaign schedule (month and list), one visit with the changes staff
make to it, the visits a team member or a coordinator has, and a coordinator's answer."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ktpku import tasks
from ktpku.access import POST, SAFE, requires
from students import dates

from . import access, notifications, schedules, services
from .conflicts import VisitRefused
from .forms import VisitAddForm, VisitAnswerForm, VisitCancelForm, VisitMoveForm, VisitSplitForm
from .models import Visit

# A person's own visit list shows the coming visits and this many days back.
RECENT_DAYS = 14


def _month(campaign, value):
    """The month asked for as YYYY-MM, or the current one if the campaign runs now."""
    months = schedules.campaign_months(campaign)
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        month = dates.today().replace(day=1)
    return month if month in months else months[0]


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=SAFE)
def schedule(request, campaign):
    """The proposal and the accepted visits: a month calendar, or (?tampilan=daftar) a list."""
    as_list = request.GET.get("tampilan") == "daftar"
    visits = schedules.schedule(campaign)
    context = {
        "campaign": campaign,
        "as_list": as_list,
        "figures": schedules.visit_figures(campaign),
    }
    if as_list:
        context["visits"] = visits
    else:
        months = schedules.campaign_months(campaign)
        month = _month(campaign, request.GET.get("bulan"))
        index = months.index(month)
        following = month.replace(day=28) + datetime.timedelta(days=4)
        in_month = visits.filter(date__gte=month, date__lt=following.replace(day=1))
        context |= {
            "month": month,
            "weekday_names": schedules.weekday_names(),
            "previous": months[index - 1] if index else None,
            "next": months[index + 1] if index + 1 < len(months) else None,
            "weeks": schedules.month_weeks(
                campaign, month, in_month, campaign.days.filter(date__month=month.month)
            ),
        }
    return render(request, "campaigns/schedule.html", context)


@requires(access.can_view_visits, methods=SAFE)
def my_visits(request):
    """The visits this person may see, from two weeks ago on."""
    since = dates.today() - datetime.timedelta(days=RECENT_DAYS)
    visits = access.visits_for_user(request.user).for_list().live().filter(date__gte=since)
    return render(request, "campaigns/my_visits.html", {"visits": visits[:500]})


def _render_visit(request, visit, status=200, **forms):
    user = request.user
    can_change = access.can_change_visit(user, visit)
    if can_change:
        forms.setdefault("move_form", VisitMoveForm(visit=visit))
        forms.setdefault("split_form", VisitSplitForm(visit=visit))
        forms.setdefault("cancel_form", VisitCancelForm())
    can_answer = access.can_answer_visit(user, visit)
    if can_answer:
        forms.setdefault("answer_form", VisitAnswerForm())
    see_students = access.can_see_expected_students(user, visit)
    change_forms = []
    if can_change:
        change_forms = [
            (_("Move to another day or team"), forms["move_form"], "visit_move", "move-form"),
            (_("Split over two days"), forms["split_form"], "visit_split", "split-form"),
            (_("Cancel"), forms["cancel_form"], "visit_cancel", "cancel-form"),
        ]
    context = {
        "change_forms": [
            (title, form, reverse(f"campaigns:{name}", args=[visit.pk]), testid)
            for title, form, name, testid in change_forms
        ],
        "visit": visit,
        "can_change": can_change,
        "can_answer": can_answer,
        "can_use_checklist": see_students and access.can_use_checklist(user, visit),
        "students": visit.students.order_by("class_name", "name") if see_students else None,
        "whatsapp": notifications.whatsapp_link(visit) if access.can_plan_campaigns(user) else "",
        # What SIAK says of the students recorded here, once the day has come.
        "siak_link": access.can_enter_siak_results(user)
        and visit.kind == Visit.Kind.RECORDING
        and visit.date <= dates.today(),
        **forms,
    }
    return render(request, "campaigns/visit_detail.html", context, status=status)


@requires(load=access.get_visit_for_user, methods=SAFE)
def visit_detail(request, visit):
    return _render_visit(request, visit)


def _apply(request, form, change, done):
    """Run one planning change. A refusal becomes the form's errors (the data is left as
    it was); an allowed change with warnings (a half day, say) says them aloud."""
    try:
        visit, warnings = change(form.cleaned_data)
    except VisitRefused as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return None
    if tasks.all_sent():  # else the mail was not sent: UnsentWorkMiddleware says so instead
        messages.success(request, done)
    for warning in warnings:
        messages.warning(request, warning.message)
    return visit


@requires(access.can_plan_campaign, load=access.get_campaign_for_user)
def visit_add(request, campaign):
    posted = request.method == "POST"
    initial = None if posted else {"school": request.GET.get("sekolah")}
    form = VisitAddForm(request.POST if posted else None, campaign=campaign, initial=initial)
    if posted and form.is_valid():
        visit = _apply(
            request,
            form,
            lambda data: services.visit_add(
                campaign=campaign,
                school=data["school"],
                team=data["team"],
                date=data["date"],
                by=request.user,
            ),
            _("The visit was added; the school's coordinator is told by email."),
        )
        if visit is not None:
            return redirect("campaigns:visit", pk=visit.pk)
    status = 400 if form.errors else 200
    return render(
        request, "campaigns/visit_add.html", {"campaign": campaign, "form": form}, status=status
    )


def _change(request, visit, form_key, form, change, done):
    if form.is_valid() and _apply(request, form, change, done) is not None:
        return redirect("campaigns:visit", pk=visit.pk)
    return _render_visit(request, visit, status=400, **{form_key: form})


@requires(access.can_change_visit, load=access.get_visit_for_user, methods=POST)
def visit_move(request, visit):
    def move(data):
        return visit, services.visit_move(
            visit=visit, date=data["date"], team=data["team"], by=request.user
        )

    form = VisitMoveForm(request.POST, visit=visit)
    done = _("The visit was moved; the school's coordinator is told by email.")
    return _change(request, visit, "move_form", form, move, done)


@requires(access.can_change_visit, load=access.get_visit_for_user, methods=POST)
def visit_split(request, visit):
    def split(data):
        return services.visit_split(
            visit=visit, date=data["date"], team=data["team"], by=request.user
        )

    form = VisitSplitForm(request.POST, visit=visit)
    done = _("The visit was split: the younger half of its students moves to the new day.")
    return _change(request, visit, "split_form", form, split, done)


@requires(access.can_change_visit, load=access.get_visit_for_user, methods=POST)
def visit_cancel(request, visit):
    def cancel(data):
        return services.visit_cancel(visit=visit, reason=data["reason"], by=request.user), []

    form = VisitCancelForm(request.POST)
    return _change(request, visit, "cancel_form", form, cancel, _("The visit was cancelled."))


@requires(access.can_answer_visit, load=access.get_visit_for_user, methods=POST)
def visit_answer(request, visit):
    form = VisitAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.visit_answer(
                visit=visit,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except VisitRefused as refusal:
            messages.warning(request, " ".join(refusal.messages))
            return redirect("campaigns:visit", pk=visit.pk)
        if form.cleaned_data["answer"] == Visit.Answer.CONFIRMED:
            messages.success(request, _("Thank you: the visit date is confirmed."))
        else:
            messages.success(request, _("Your request was sent to the office."))
        return redirect("campaigns:visit", pk=visit.pk)
    return _render_visit(request, visit, status=400, answer_form=form)
