from django.conf import settings


def office(request):
    return {
        "office_name": settings.OFFICE_NAME,
        "office_regency_name": settings.OFFICE_REGENCY_NAME,
    }


def navigation(request):
    """Which entry of the top navigation is the page shown: `nav_section` is the app of the
    URL ("schools", "students", "rosters") or the page name ("home"), `nav_page` the URL
    name. Empty on a page no URL matched (404)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": "", "nav_page": ""}
    return {"nav_section": match.app_name or match.url_name or "", "nav_page": match.url_name or ""}
