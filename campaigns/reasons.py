"""Why the planner left students without a visit, in words (the report keeps the codes)."""

from django.utils.translation import gettext as _


def uncovered_reason(code):
    labels = {
        "turns_16_after_campaign": _("The students turn 16 only after the campaign's last day."),
        "no_open_day": _(
            "The school has no open day in the campaign (blackout periods, holidays, or "
            "every day already taken)."
        ),
        "no_capacity": _("No team has a free day left for the school."),
    }
    return labels.get(code, code)
