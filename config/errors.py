"""Error pages in Vietnamese, in the site's style, each with a way back (issue "hardening").

The 500 page shows a short reference; the same reference is logged (JSON) with the traceback, so
an administrator finds the failure from what the user reads out. Oversized requests are refused
before their body is read.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger("kiemdiem.errors")


def new_reference() -> str:
    return secrets.token_hex(4).upper()


class ErrorReferenceMiddleware:
    """Give an unhandled exception a reference and log it with the request's who and where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        request.error_reference = new_reference()
        user = getattr(request, "user", None)
        log.error(
            "unhandled exception",
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={
                "reference": request.error_reference,
                "path": request.path,
                "method": request.method,
                "user": user.get_username() if user and user.is_authenticated else "",
            },
        )


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds REQUEST_MAX_BYTES with 413, before Django
    reads it (an upload larger than the dossier limit is never written to disk)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return render(
                request,
                "errors/413.html",
                {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class RejectNulCharactersMiddleware:
    """Answer 400 to a request carrying a NUL character in its path, query or form fields.

    PostgreSQL cannot store or even compare a string holding NUL (SQLite stores it), so such a
    value reaching a query was a server error; no user types one. Uploaded files are not read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return render(request, "errors/400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        sources = [request.GET]
        if request.method == "POST":
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for source in sources
            for key, values in source.lists()
        )


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)


def server_error(request):
    """Rendered without context processors: the database may be what failed."""
    reference = getattr(request, "error_reference", None) or new_reference()
    html = loader.get_template("errors/500.html").render({"reference": reference})
    return HttpResponse(html, status=500)
