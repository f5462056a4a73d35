"""The contact form's view, served by ContactPage: show the form, store what was sent, and say
so (the email is queued by whoever listens to ``signals.submission_stored``)."""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect

from . import ratelimit, signals
from .forms import ContactForm, new_form_token

logger = logging.getLogger(__name__)

# ContactPage routes to this module, so it reads the models from the app registry rather than
# importing them (no import cycle).


def live_services():
    ServicePage = apps.get_model("studio", "ServicePage")
    return ServicePage.objects.live().public().order_by("path").only("title", "slug")


def live_classes():
    TimetableClass = apps.get_model("studio", "TimetableClass")
    return TimetableClass.objects.filter(service__live=True).select_related("service")


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def contact_form(page, request):
    """GET: the form, with ?service=<slug> (or the service of ?class=<timetable class id>)
    preselected and ?from=<page id> and ?class= carried along.
    POST: store the submission (spam flagged, duplicates ignored), queue its email, then
    redirect to the thank-you page; or show the form again with its errors."""
    Submission = apps.get_model("studio", "ContactSubmission")
    services = live_services()
    classes = live_classes()
    if request.method != "POST":
        initial = initial_values(request, services, classes)
        form = ContactForm(initial=initial, services=services, classes=classes)
        return render_form(page, request, form, initial.get("timetable_class"))

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

    form = ContactForm(request.POST, services=services, classes=classes)
    if not form.is_valid():
        return render_form(page, request, form, form.cleaned_data.get("timetable_class"))

    nonce = form.form_nonce()
    thanks = HttpResponseRedirect(page.thanks_url(request))
    if nonce and Submission.objects.filter(form_token=nonce).exists():
        # A double click or a resubmitted form: the first one is stored already.
        return thanks
    spam_reason = form.spam_reason()
    submission = Submission.create_from_form(
        form, page=page, request=request, spam_reason=spam_reason, nonce=nonce
    )
    if submission is None:
        return thanks
    ratelimit.record(ip)
    if spam_reason:
        logger.info("Contact submission %s stored as spam: %s", submission.pk, spam_reason)
    else:
        logger.info("Contact submission %s stored; queueing its email", submission.pk)
        transaction.on_commit(
            lambda: signals.submission_stored.send(sender=Submission, submission_id=submission.pk)
        )
    return thanks


def initial_values(request, services, classes):
    initial = {"token": new_form_token()}
    slug = request.GET.get("service", "")
    # A NUL byte cannot reach PostgreSQL (DataError): such a slug is no service.
    if slug and len(slug) <= 255 and "\x00" not in slug:
        service = services.filter(slug=slug).first()
        if service is not None:
            initial["service"] = service.pk
    class_id = request.GET.get("class", "")
    if class_id.isdigit() and len(class_id) <= 12:
        chosen = classes.filter(pk=int(class_id)).first()
        if chosen is not None:
            initial["timetable_class"] = chosen
            initial["service"] = chosen.service_id
    source = request.GET.get("from", "")
    if source.isdigit() and len(source) <= 12:
        initial["source"] = source
    return initial


def render_form(page, request, form, chosen_class=None):
    return page.render(
        request,
        template="studio/contact_page.html",
        context_overrides={
            "form": form,
            "fields": form.visible_fields_in_order(),
            "chosen_class": chosen_class,
        },
    )
