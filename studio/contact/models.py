"""The contact form: its page, and every message sent through it, kept until delivered.

A submission is saved in the request before any email is attempted; the row then holds the
delivery state (pending, sent, failed), the attempts and the next attempt's time, which
studio.contact.delivery and the sweeper command act on. See docs/architecture.md.
"""

import datetime
from http import HTTPMethod

from django.db import IntegrityError, models, transaction
from django.http import HttpResponseNotAllowed
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from studio.hours import format_moment
from studio.models.common import AltTextMixin, PromoteMixin, SnapshotPageMixin

# Delivery: when a send fails for a passing reason, try again after these delays, then every
# RETRY_EVERY until GIVE_UP_AFTER has passed since the submission was queued.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
]
RETRY_EVERY = datetime.timedelta(hours=6)
GIVE_UP_AFTER = datetime.timedelta(days=3)
# A send that started this long ago and never finished (the worker died) is started again.
STUCK_AFTER = datetime.timedelta(minutes=5)


class ContactPage(RoutablePageMixin, SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """/contact/: the contact form. Every message is stored, then emailed to the studio."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A sentence or two above the form, e.g. how soon you reply. The studio's "
        "phone and email are shown beside the form.",
    )
    thank_you_heading = models.CharField(
        max_length=120,
        default="Thank you: we have your message",
        help_text="The heading visitors see after sending the form.",
    )
    thank_you_text = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        default="<p>We will reply within one business day, usually sooner.</p>",
        help_text="What happens next, shown under the thank-you heading.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("thank_you_heading"), FieldPanel("thank_you_text")],
            heading="After sending",
        ),
        HelpPanel(
            "The form's fields are fixed. Messages are emailed to the support address in "
            "Settings > Studio details and listed under Contact messages."
        ),
    ]

    parent_page_types = ["studio.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "The contact form. There is only one; keep its slug 'contact'."
    # Anything else (PUT, DELETE, OPTIONS...) gets a 405 from Wagtail.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.POST]
    image_fields = [("social_image", "social_image_alt")]

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The form carries a CSRF token and a one-time id: never cache it anywhere.
        add_never_cache_headers(response)
        return response

    @path("")
    def form_view(self, request):
        from .views import contact_form

        return contact_form(self, request)

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return self.render(
            request, template="studio/contact_page_thanks.html", context_overrides={}
        )

    def thanks_url(self, request=None):
        return self.get_url(request=request) + self.reverse_subpage("thanks")


class ContactSubmissionQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending, not spam, due, not being sent, and not already waiting in the task queue.

        A claim older than STUCK_AFTER (the worker died mid-send) and a queued task that never
        ran within STUCK_AFTER (it was lost) both count as due again.
        """
        now = now or timezone.now()
        stale = now - STUCK_AFTER
        return self.filter(
            models.Q(sending_started_at__isnull=True) | models.Q(sending_started_at__lt=stale),
            models.Q(queued_at__isnull=True)
            | models.Q(queued_at__lt=models.F("next_attempt_at"))
            | models.Q(queued_at__lt=stale),
            delivery_state=ContactSubmission.PENDING,
            is_spam=False,
            next_attempt_at__lte=now,
        )

    def older_than(self, days, now=None):
        return self.filter(submitted_at__lt=(now or timezone.now()) - datetime.timedelta(days))


class ContactSubmission(models.Model):
    """One message sent through the contact form, with its delivery and follow-up state."""

    PENDING, SENT, FAILED, NOT_SENT = "pending", "sent", "failed", "not_sent"
    DELIVERY_STATES = [
        (PENDING, "Pending"),
        (SENT, "Sent"),
        (FAILED, "Failed"),
        (NOT_SENT, "Not sent (spam)"),
    ]
    NEW, CONTACTED, CLOSED = "new", "contacted", "closed"
    STATUSES = [(NEW, "New"), (CONTACTED, "Contacted"), (CLOSED, "Closed")]

    # What the prospect sent.
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    service = models.ForeignKey(
        "studio.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_submissions",
    )
    service_title = models.CharField(
        max_length=255, blank=True, help_text="The service's title when the message was sent."
    )
    timetable_class = models.ForeignKey(
        "studio.TimetableClass",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_submissions",
        verbose_name="class",
        help_text="The timetable class the prospect asked for a spot in.",
    )
    timetable_class_title = models.CharField(
        "class (as sent)",
        max_length=255,
        blank=True,
        help_text="The class's name, day and time when the message was sent.",
    )
    message = models.TextField()
    consent = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    page = models.ForeignKey(
        ContactPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        help_text="The contact page it was sent from (its site gives the support address).",
    )
    source_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="came from",
        help_text="The article or service whose call to action led to the form.",
    )
    source_title = models.CharField("came from (title)", max_length=255, blank=True)
    source_url = models.CharField("came from (address)", max_length=500, blank=True)
    form_token = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The one-time id of the rendered form: a second post of it is a duplicate.",
    )

    # For staff.
    status = models.CharField(
        "follow-up",
        max_length=10,
        choices=STATUSES,
        default=NEW,
        help_text="Where the studio is with this enquiry.",
    )
    notes = models.TextField(
        "internal notes", blank=True, help_text="For staff only; never sent to the prospect."
    )
    is_spam = models.BooleanField(
        "spam",
        default=False,
        help_text="Spam is kept for review but never emailed. To send a message wrongly "
        "marked as spam, use Resend.",
    )
    spam_reason = models.CharField(max_length=200, blank=True)

    # Delivery of the notification to the studio.
    delivery_state = models.CharField(
        max_length=10, choices=DELIVERY_STATES, default=PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    give_up_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ContactSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "contact message"
        verbose_name_plural = "contact messages"

    def __str__(self):
        return f"{self.name} ({format_moment(timezone.localtime(self.submitted_at))})"

    @cached_property
    def service_label(self):
        return self.service_title or "No particular service"

    @cached_property
    def class_label(self):
        return self.timetable_class_title or "No class"

    def queue_for_delivery(self, now=None):
        """Make this submission due now, with a fresh retry schedule (resend, requeue)."""
        now = now or timezone.now()
        self.is_spam = False
        self.delivery_state = self.PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.give_up_at = now + GIVE_UP_AFTER
        self.queued_at = None
        self.sending_started_at = None
        self.save(
            update_fields=[
                "is_spam",
                "delivery_state",
                "attempts",
                "next_attempt_at",
                "give_up_at",
                "queued_at",
                "sending_started_at",
            ]
        )

    @classmethod
    def create_from_form(cls, form, *, page, request, spam_reason, nonce):
        """Store a valid form's submission; None when its one-time id was already used."""
        data = form.cleaned_data
        now = timezone.now()
        service, source = data.get("service"), data.get("source")
        chosen = data.get("timetable_class")
        submission = cls(
            name=data["name"],
            email=data["email"],
            phone=data.get("phone", ""),
            service=service,
            service_title=service.title if service else "",
            timetable_class=chosen,
            timetable_class_title=chosen.label[:255] if chosen else "",
            message=data["message"],
            consent=data["consent"],
            submitted_at=now,
            page=page,
            source_page=source,
            source_title=source.title[:255] if source else "",
            source_url=(source.get_full_url(request) or "")[:500] if source else "",
            form_token=nonce,
            is_spam=bool(spam_reason),
            spam_reason=spam_reason[:200],
            delivery_state=cls.NOT_SENT if spam_reason else cls.PENDING,
            next_attempt_at=None if spam_reason else now,
            give_up_at=None if spam_reason else now + GIVE_UP_AFTER,
        )
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            if nonce and cls.objects.filter(form_token=nonce).exists():
                return None
            raise
        return submission
