"""Site-wide HTTP plumbing: request ids for the logs, the security headers Django lacks, and
the requests refused before any view or cache reads them (a bad Host, a NUL in the query)."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.template import loader
from django.utils.log import log_response

from . import internals

request_id_var = contextvars.ContextVar("request_id", default="-")

# An id passed in by a trusted proxy is kept only when it is short and plain.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIDMiddleware:
    """Give every request an id, shown in each log line and returned as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        if settings.TRUST_REQUEST_ID_HEADER and VALID_REQUEST_ID.match(incoming):
            request_id = incoming
        else:
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIDLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request).

    Django logs a 4xx/5xx response after the middlewares have returned, with the request in
    the record: its id is taken from there.
    """

    def filter(self, record):
        request_id = request_id_var.get()
        if request_id == "-":
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True


class OneLineFormatter(logging.Formatter):
    """One line per event, even with a traceback: line breaks are written as ``\\n``."""

    def format(self, record):
        return super().format(record).replace("\r", "").replace("\n", "\\n")


def bad_request_page():
    """The plain 400 page: static, so it needs neither the request's host nor the database."""
    return HttpResponseBadRequest(loader.get_template("400.html").render())


class UnreadableRequestMiddleware:
    """400 for a request no view should read: a Host header not in ALLOWED_HOSTS, or a query
    string holding a NUL character. Cookies holding one are dropped.

    Listed before the page cache, which keys pages by host. Django would raise DisallowedHost
    at the first ``get_host()`` and log it at ERROR with a traceback: for a scanner's request
    that is noise which hides real errors, so it is one WARNING line here.

    PostgreSQL text cannot hold NUL: a ``?tag=%00`` or ``?service=%00`` that reaches a query
    raises DataError (a 500). Refusing it here covers every parameter of every view, the
    admin's too. Form bodies are left to the forms, which say so next to the field (Django's
    CharField refuses NUL), so nothing a visitor typed is thrown away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost as error:
            response = bad_request_page()
            # log_response marks the response as logged: Django adds no "Bad Request" line.
            log_response(
                "Refused a request for a host not in ALLOWED_HOSTS: %s",
                error,
                response=response,
                request=request,
                level="warning",
            )
            return response
        if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            response = bad_request_page()
            log_response(
                "Refused a query string with a NUL character: %s",
                request.path,
                response=response,
                request=request,
                level="warning",
            )
            return response
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            # A session id with NUL reaches the session table: a damaged cookie is ignored.
            request.COOKIES = {
                key: value
                for key, value in request.COOKIES.items()
                if "\x00" not in key and "\x00" not in value
            }
        return self.get_response(request)


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; the Wagtail admin's own CSP; framing for previews only.

    Listed after Django's XFrameOptions and ContentSecurityPolicy middlewares so that it sees
    the response first and can hand them its values (they keep what is already set).

    Wagtail renders a preview by running the whole middleware chain again on a made-up request
    for the page's public address (``request.is_preview``), which would get the public
    ``DENY`` and ``frame-ancestors 'none'`` and leave the editor's preview panel blank. Those
    responses, and the admin's preview views (which return them, or an error page in the
    panel), may be framed by the site itself; nothing else may be framed at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "is_preview", False):
            response["X-Frame-Options"] = "SAMEORIGIN"
            internals.set_csp_if_unset(response, settings.PREVIEW_SECURE_CSP)
        elif request.path.startswith(settings.ADMIN_PATH_PREFIX):
            if is_preview_view(request):
                response.setdefault("X-Frame-Options", "SAMEORIGIN")
                internals.set_csp_if_unset(response, settings.ADMIN_PREVIEW_SECURE_CSP)
            internals.set_csp_if_unset(response, settings.ADMIN_SECURE_CSP)
        return response


def is_preview_view(request):
    """Whether the request is for one of Wagtail's preview views (``preview_on_edit``,
    ``preview_on_add``, ``workflow_preview``), whose answers the preview panel frames."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and "preview" in match.url_name)


def client_ip(request):
    """The visitor's IP address: REMOTE_ADDR, or the address the trusted proxies saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies (DJANGO_TRUSTED_PROXY_COUNT) the client is the Nth entry from the right;
    entries further left were written by the client and prove nothing. Used by django-axes.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote_addr
    return forwarded[-hops]
