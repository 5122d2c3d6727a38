"""Access is said one way in every app: `ktpku.access.requires` on the view, never a
permission check in a view body (issue 7). The role matrix tests what each rule answers;
these tests keep the rule where it belongs."""

from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

APPS = ("schools", "students", "campaigns")


def _app_views(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # the Django admin keeps its own permissions
                continue
            yield from _app_views(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith(APPS):
            yield f"{entry.callback.__module__}.{entry.callback.__name__}", entry.callback


def test_every_app_view_states_its_access_rule():
    views = dict(_app_views(get_resolver().url_patterns))

    without = sorted(name for name, view in views.items() if not hasattr(view, "access_rule"))

    assert len(views) >= 23
    assert without == []


def test_no_view_module_asks_for_a_permission_itself():
    base = Path(settings.BASE_DIR)
    modules = [path for app in APPS for path in (base / app).rglob("views.py")]

    asking = sorted(
        str(path.relative_to(base)) for path in modules if "has_perm" in path.read_text()
    )

    assert len(modules) >= 4
    assert asking == []
