from django.conf import settings


def office(request):
    return {
        "office_name": settings.OFFICE_NAME,
        "office_regency_name": settings.OFFICE_REGENCY_NAME,
    }


# The navigation entry of a page, where it is not the page's app: (app, URL name) -> entry.
_ENTRIES = {
    ("students", "audit"): "audit",
    ("rosters", "moves"): "moves",
    ("rosters", "move_confirm"): "moves",
    ("rosters", "move_reject"): "moves",
    **{
        ("campaigns", name): "teams"
        for name in ("teams", "team", "team_edit", "team_create", "team_pdf", "team_new_feed")
    },
    **{("campaigns", name): "today" for name in ("today", "checklist", "student_add")},
    **{("campaigns", name): "siak" for name in ("siak_upload", "siak_confirm", "siak_select")},
    **{
        ("campaigns", name): "visits"
        for name in ("visits", "visit", "visit_move", "visit_split", "visit_cancel")
    },
    **{
        ("campaigns", name): "cards"
        for name in ("cards_queue", "card_reprint", "cards_forecast", "batches", "batch")
    },
    ("campaigns", "cards_ready"): "cards_ready",
    ("campaigns", "dashboard"): "dashboard",
    ("campaigns", "coverage"): "dashboard",
}


def navigation(request):
    """Which entry of the top navigation is the page shown.

    `nav_entry` is the entry to mark: the page's app ("schools", "students", "rosters",
    "campaigns"), "home", or one of the entries of _ENTRIES. `nav_page` is the URL name.
    Both are empty on a page no URL matched (404)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_entry": "", "nav_page": ""}
    app, name = match.app_name, match.url_name or ""
    return {"nav_entry": _ENTRIES.get((app, name), app or name), "nav_page": name}
