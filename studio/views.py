"""The studio's views: the contact form (served by ContactPage), the medical disclaimer and the
page shown when a form's CSRF check fails."""

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import ratelimit
from .forms import ContactForm, new_form_token
from .models import ContactSubmission, ServicePage

logger = logging.getLogger(__name__)


@require_safe
def medical_disclaimer(request):
    """The full disclaimer, from the studio settings; linked from every page's footer."""
    return render(request, "studio/medical_disclaimer.html")


def csrf_failure(request, reason=""):
    """403 for a form whose CSRF check failed (cookies blocked, or a page left open too long):
    in the site's design, with a way back and the studio's phone and email."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)


def live_services():
    return ServicePage.objects.live().public().order_by("path").only("title", "slug")


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def contact_form(page, request):
    """GET: the form, with ?service=<slug> preselected and ?from=<page id> carried along.
    POST: store the submission (spam flagged, duplicates ignored), queue its email, then
    redirect to the thank-you page; or show the form again with its errors."""
    services = live_services()
    if request.method != "POST":
        form = ContactForm(initial=initial_values(request, services), services=services)
        return render_form(page, request, form)

    if content_length(request) > settings.CONTACT_MAX_POST_BYTES:
        response = page.render(request, template="studio/contact_too_large.html")
        response.status_code = 413
        return response
    ip = ratelimit.client_ip(request)
    if ratelimit.is_limited(ip):
        logger.warning("Contact form: rate limit reached for %s", ratelimit.client_key(ip))
        response = page.render(request, template="studio/contact_rate_limited.html")
        response.status_code = 429
        response["Retry-After"] = str(ratelimit.retry_after())
        return response

    form = ContactForm(request.POST, services=services)
    if not form.is_valid():
        return render_form(page, request, form)

    nonce = form.form_nonce()
    thanks = HttpResponseRedirect(page.thanks_url(request))
    if nonce and ContactSubmission.objects.filter(form_token=nonce).exists():
        # A double click or a resubmitted form: the first one is stored already.
        return thanks
    spam_reason = form.spam_reason()
    submission = ContactSubmission.create_from_form(
        form, page=page, request=request, spam_reason=spam_reason, nonce=nonce
    )
    if submission is None:
        return thanks
    ratelimit.record(ip)
    if spam_reason:
        logger.info("Contact submission %s stored as spam: %s", submission.pk, spam_reason)
    else:
        logger.info("Contact submission %s stored; queueing its email", submission.pk)
        from .tasks import queue_delivery

        transaction.on_commit(lambda: queue_delivery(submission.pk))
    return thanks


def initial_values(request, services):
    initial = {"token": new_form_token()}
    slug = request.GET.get("service", "")
    if slug and len(slug) <= 255:
        service = services.filter(slug=slug).first()
        if service is not None:
            initial["service"] = service.pk
    source = request.GET.get("from", "")
    if source.isdigit() and len(source) <= 12:
        initial["source"] = source
    return initial


def render_form(page, request, form):
    return page.render(
        request,
        template="studio/contact_page.html",
        context_overrides={"form": form, "fields": form.visible_fields_in_order()},
    )
