"""The contact messages in the admin: list, filter, export (spreadsheet-safe), inspect, resend,
and the dashboard panel of the latest and failed ones. Registered in ``wagtail_hooks``."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy

from studio.models.pages import ServicePage
from studio.staff import times

from . import delivery
from .models import ContactSubmission


class ContactSubmissionPermissionPolicy(ModelPermissionPolicy):
    """Default model permissions (staff see messages only when granted them), except that
    nobody adds messages in the admin: they come from the form."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


contact_policy = ContactSubmissionPermissionPolicy(ContactSubmission)


def csv_safe(value):
    """A cell a spreadsheet will not run as a formula (a prospect's "=HYPERLINK(...)")."""
    text = force_str(value, strings_only=True)
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class ContactSubmissionFilterSet(WagtailFilterSet):
    delivery_state = django_filters.ChoiceFilter(
        label="Email to the studio",
        choices=ContactSubmission.DELIVERY_STATES,
        empty_label="All",
        widget=forms.RadioSelect,
    )
    is_spam = django_filters.BooleanFilter(
        label="Spam",
        widget=forms.RadioSelect(choices=[("", "All"), ("false", "Not spam"), ("true", "Spam")]),
    )
    status = django_filters.ChoiceFilter(
        label="Follow-up",
        choices=ContactSubmission.STATUSES,
        empty_label="All",
        widget=forms.RadioSelect,
    )
    service = django_filters.ModelChoiceFilter(
        label="Service", queryset=ServicePage.objects.order_by("path")
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label="Sent between", widget=DateRangePickerWidget
    )

    class Meta:
        model = ContactSubmission
        fields = ["delivery_state", "is_spam", "status", "service", "submitted_at"]


class ContactSubmissionIndexView(IndexView):
    def preprocess_field_value(self, field, value, export_format):
        if times.is_datetime(value):
            # The studio's time (Wagtail's default is UTC), the zone named in the heading.
            if export_format == self.FORMAT_CSV:
                return times.spreadsheet_datetime(value)
            return times.naive_local(value)
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_safe(value)
        return value

    def get_heading(self, queryset, field):
        heading = super().get_heading(queryset, field)
        try:
            is_time = isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
        except FieldDoesNotExist:
            is_time = False
        return f"{heading} ({times.zone_name()} time)" if is_time else heading

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                MenuItem(
                    "Resend",
                    url=reverse("contact_messages:resend", args=[instance.pk]),
                    icon_name="mail",
                    priority=25,
                )
            )
        return buttons


class ContactSubmissionInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if times.is_datetime(value):
            # Wagtail shows it with |localize, which keeps the database's UTC.
            return times.staff_datetime(value)
        return value

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                Button(
                    "Resend",
                    url=reverse("contact_messages:resend", args=[self.object.pk]),
                    icon_name="mail",
                    priority=15,
                )
            )
        return buttons

    def get_message_display_value(self):
        return format_html('<div style="white-space: pre-wrap">{}</div>', self.object.message)

    def get_source_page_display_value(self):
        if self.object.source_title:
            return format_html(
                '<a href="{}">{}</a>', self.object.source_url, self.object.source_title
            )
        return "-"


class ResendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: ask; POST: put the message back in the queue with a fresh retry schedule."""

    model = ContactSubmission
    permission_required = "change"
    template_name = "studio/admin/contact_resend.html"
    page_title = "Resend"
    header_icon = "mail"

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def object(self):
        # Looked up after the permission check, so nobody learns which ids exist.
        return get_object_or_404(ContactSubmission, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["support_email"] = delivery.studio_for(self.object).support_email
        context["inspect_url"] = reverse("contact_messages:inspect", args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        self.object.queue_for_delivery()
        delivery.queue_delivery(self.object.pk)
        self.object.refresh_from_db()
        if self.object.delivery_state == ContactSubmission.SENT:
            messages.success(request, f"The message from {self.object.name} was sent again.")
        else:
            messages.success(
                request,
                f"The message from {self.object.name} is queued to be sent again. Its email "
                "state below shows how that went.",
            )
        return redirect("contact_messages:inspect", self.object.pk)


class ContactSubmissionViewSet(ModelViewSet):
    """Messages from the contact form: read, follow up, export, resend."""

    model = ContactSubmission
    name = "contact_messages"
    icon = "mail"
    menu_label = "Contact messages"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ContactSubmissionIndexView
    inspect_view_class = ContactSubmissionInspectView
    url_prefix = "contact-messages"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        "email",
        Column("service_label", label="Service"),
        Column("class_label", label="Class"),
        StatusTagColumn(
            "get_delivery_state_display",
            label="Email to the studio",
            primary=lambda s: s.delivery_state == ContactSubmission.FAILED,
            sort_key="delivery_state",
        ),
        Column("get_status_display", label="Follow-up", sort_key="status"),
        DateColumn("submitted_at", label="Sent", sort_key="submitted_at"),
    ]
    filterset_class = ContactSubmissionFilterSet
    search_fields = [
        "name",
        "email",
        "phone",
        "message",
        "service_title",
        "timetable_class_title",
        "source_title",
    ]
    search_backend_name = None
    ordering = ["-submitted_at"]
    list_export = [
        "submitted_at",
        "name",
        "email",
        "phone",
        "service_title",
        "message",
        # After the message: spreadsheets made from earlier exports keep their columns.
        "timetable_class_title",
        "source_title",
        "source_url",
        "get_status_display",
        "notes",
        "is_spam",
        "spam_reason",
        "get_delivery_state_display",
        "attempts",
        "last_error",
        "sent_at",
        "acknowledgement_sent_at",
    ]
    export_headings = {
        "submitted_at": "Sent",
        "service_title": "Service",
        "timetable_class_title": "Class",
        "source_title": "Came from",
        "source_url": "Came from (address)",
        "get_status_display": "Follow-up",
        "get_delivery_state_display": "Email to the studio",
        "is_spam": "Spam",
    }
    export_filename = "contact-messages"
    inspect_view_fields = [
        "submitted_at",
        "name",
        "email",
        "phone",
        "service_title",
        "timetable_class_title",
        "message",
        "source_page",
        "consent",
        "status",
        "notes",
        "is_spam",
        "spam_reason",
        "delivery_state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "acknowledgement_sent_at",
    ]
    panels = [
        FieldPanel("status"),
        FieldPanel("notes"),
        FieldPanel("is_spam"),
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("service_title", read_only=True),
                FieldPanel("timetable_class_title", read_only=True),
                FieldPanel("message", read_only=True),
                FieldPanel("delivery_state", read_only=True),
                FieldPanel("last_error", read_only=True),
            ],
            heading="The message (as sent; not editable)",
        ),
    ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().exclude(codename__startswith="add_")

    @property
    def resend_view(self):
        return ResendView.as_view()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", self.resend_view, name="resend"),
        ]


class ContactMessagesPanel(Component):
    """Dashboard: the latest messages, and any whose email to the studio failed."""

    name = "contact_messages"
    order = 120

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        latest = ContactSubmission.objects.filter(is_spam=False)[:5]
        failed = ContactSubmission.objects.filter(delivery_state=ContactSubmission.FAILED)
        pending = ContactSubmission.objects.filter(
            delivery_state=ContactSubmission.PENDING, attempts__gt=0
        )
        return render_to_string(
            "studio/admin/contact_messages_panel.html",
            {
                "latest": latest,
                "failed": list(failed[:10]),
                "failed_count": failed.count(),
                "retrying_count": pending.count(),
            },
            request=self.request,
        )
