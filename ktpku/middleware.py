from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import log, second_factor, tasks


class PrivateCacheMiddleware:
    """Pages seen by a signed-in user carry personal data: never cache them.

    After logout, the Back button must not show a student list from the browser cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class OfficeLanguageMiddleware:
    """Indonesian unless the user picked another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; office computers are
    often set up in English, yet the office works in Indonesian. Only the language cookie
    (set by the switch at the bottom of every page) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecondFactorMiddleware:
    """Staff and administrators see nothing but the second-step pages until they pass it.

    Covers the admin too. The few pages reachable before it: signing in and out, the
    second-step pages themselves, the language switch, and the health check.
    """

    OPEN_VIEWS = frozenset(
        {
            "login",
            "logout",
            "second_factor_setup",
            "second_factor_verify",
            "set_language",
            "javascript-catalog",
            "healthz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in self.OPEN_VIEWS:
            return None
        if not second_factor.must_verify(request):
            return None
        target = reverse("second_factor_verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class AllowedMethodsMiddleware:
    """GET, HEAD, POST and OPTIONS only: TRACE, PUT, DELETE and the rest answer 405 (CFG-04)."""

    ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class DownloadLogMiddleware:
    """Every export, PDF and other file sent as an attachment is one "download" event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            log.event(
                request,
                "download",
                outcome="success",
                content_type=response.get("Content-Type"),
                disposition=disposition,
            )
        return response


class BodySizeLimitMiddleware:
    """413 before reading a body larger than any upload may be (UP-01, where no proxy runs).

    nginx refuses such bodies itself (client_max_body_size); this covers `runserver` and a
    gunicorn reached directly. The margin leaves room for the form's other fields.
    """

    MARGIN = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + self.MARGIN:
            log.event(request, "body_too_large", outcome="refused", length=length)
            message = _("The file is too large. Files up to %(size)s MB are accepted.") % {
                "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class UnsentWorkMiddleware:
    """Tells the user, as a message, about work this request could not hand to the worker.

    With the broker (Redis) down, `tasks.enqueue` keeps the work for later or undoes its
    first step, and notes what the user should know ("Layanan latar belakang sedang tidak
    tersedia ..."); the message shows on the page the user lands on next.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tasks.collecting_unsent() as unsent:
            response = self.get_response(request)
        for message in dict.fromkeys(str(message) for message in unsent):
            messages.warning(request, message, fail_silently=True)
        return response
