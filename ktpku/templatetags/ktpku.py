"""The small pieces every page shows the same way: count cards, figure cells, dates."""

from django import template
from django.template.defaultfilters import date as format_date

register = template.Library()


@register.inclusion_tag("ktpku/count_card.html")
def count_card(label, value, testid="", *, alert=False):
    """A card with a label over a large figure; `alert` shows a figure above zero in red."""
    return {"label": label, "value": value, "testid": testid, "alert": bool(alert and value)}


@register.inclusion_tag("ktpku/figure_cell.html")
def figure_cell(value, *, alert=False, status=""):
    """A right-aligned table cell for a count: a zero is dimmed, or with `alert` any
    count above zero is red (refused rows). `status` names the column's student status,
    which the style sheet uses to fold the minor ones away on a tablet."""
    return {"value": value, "alert": alert, "status": status}


@register.filter
def paired(first, second):
    """`statuses|paired:counts`: the two lists side by side, as (one, other) pairs."""
    return zip(first, second, strict=True)


@register.filter
def lookup(mapping, key):
    """`counts|lookup:status`: a dictionary's value for a key that is itself a variable."""
    return mapping.get(key, "")


@register.filter
def date_range(start, end):
    """ "5 Agustus 2026" for one day, "5 Agustus 2026 – 9 Agustus 2026" for a period."""
    if not end or end == start:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"
