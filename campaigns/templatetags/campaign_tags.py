"""The visits section of the school page, shown without any change to the school view."""

from django import template

from campaigns.access import visits_for_user

register = template.Library()

# The school page lists the most recent and coming visits; the schedule has them all.
SCHOOL_VISITS = 20


@register.inclusion_tag("campaigns/_school_visits.html", takes_context=True)
def school_visits(context, school):
    """The visits of `school` the signed-in user may see (one query)."""
    user = context["request"].user
    visits = (
        visits_for_user(user)
        .live()
        .filter(school=school)
        .select_related("team", "campaign")
        .order_by("-date")[:SCHOOL_VISITS]
    )
    return {"visits": visits, "school": school, "perms": context.get("perms")}
