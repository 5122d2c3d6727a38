"""The one way a view says who may open it: `@requires(...)`.

Each app keeps its rules in its own `access.py`: object helpers that answer 404 for
anything outside the user's schools, and named predicates (`can_manage_school(user,
school)`) that answer 403. A view names them here and holds no permission check in its
body. The checks run in a fixed order, the one the role matrix expects:

1. sign-in (anonymous users go to the login page, whatever the method);
2. the HTTP method (405);
3. with `load`, the object, through the app's access helper (404);
4. the predicate (403).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_http_methods

GET = ("GET",)
SAFE = ("GET", "HEAD")
POST = ("POST",)


def requires(predicate=None, *, load=None, methods=None):
    """Decorate a view with its access rule.

    Without `load`, `predicate(user)` decides and the view is called as usual. With `load`,
    `load(user, **url_kwargs)` fetches the object (raising Http404 when the user may not
    see it), `predicate(user, obj)` decides, and the view is called as `view(request, obj)`.
    A predicate of None lets in every signed-in user (who can see the object).
    """

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            user = request.user
            if load is None:
                if predicate is not None and not predicate(user):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            obj = load(user, *args, **kwargs)
            if predicate is not None and not predicate(user, obj):
                raise PermissionDenied
            return view(request, obj)

        if methods is not None:
            checked = require_http_methods(list(methods))(checked)
        guarded = login_required(checked)
        guarded.access_rule = (predicate, load, methods)  # for the test that every view has one
        return guarded

    return decorator


def get_export_job_for_user(user, pk):
    """An export job of the user's own asking; anyone else's answers 404."""
    from django.shortcuts import get_object_or_404

    from .models import ExportJob

    return get_object_or_404(ExportJob, pk=pk, requested_by=user)


def can_take_export(user, job):
    """The requester may open and download their export while they may still take that
    export, and its full NIKs while they may still have them."""
    from .exports import registered

    export = registered(job.kind)
    return export.may_export(user) and (not job.full_nik or export.may_show_full_nik(user))
