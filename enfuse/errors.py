"""The server error handler: 503 with Retry-After while the database is unreachable, else 500.

A database restart or outage is temporary; "503 Service Unavailable" tells browsers, load
balancers and crawlers to come back soon rather than treat the page as broken. Both pages are
static templates that need neither the database nor a context processor.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
