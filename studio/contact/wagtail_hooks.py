"""Admin hooks of the contact form (imported by studio/wagtail_hooks.py): the messages' menu,
permissions and dashboard panel."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import ContactSubmission
from .viewsets import ContactMessagesPanel, ContactSubmissionViewSet, contact_policy

register_permission_policy(ContactSubmission, contact_policy)

contact_submission_viewset = ContactSubmissionViewSet()


@hooks.register("register_admin_viewset")
def register_contact_messages():
    return contact_submission_viewset


@hooks.register("construct_homepage_panels")
def add_contact_messages_panel(request, panels):
    if contact_policy.user_has_any_permission(request.user, ["view", "change"]):
        panels.append(ContactMessagesPanel(request))
