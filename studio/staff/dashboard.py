"""The admin dashboard's panels for staff: decisions on their work and the drafts they left.

Wagtail's own panels already list what awaits the user's review ("Awaiting your review", with
approve and request-changes buttons) and the user's pages still in moderation; these add what
an editor needs next: the moderators' decisions with their comments, and unfinished drafts.
Registered in studio/wagtail_hooks.py.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

# How far back the dashboard reports moderators' decisions.
DECISIONS_SINCE = datetime.timedelta(days=30)
PANEL_ROWS = 10


class DecisionsOnYourWorkPanel(Component):
    """Approvals and requests for changes on what the user submitted, with the comments."""

    name = "decisions_on_your_work"
    order = 215

    def __init__(self, request):
        self.request = request

    def decisions(self):
        since = timezone.now() - DECISIONS_SINCE
        states = (
            TaskState.objects.filter(
                workflow_state__requested_by=self.request.user,
                status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
                finished_at__gte=since,
            )
            .select_related("finished_by", "task", "revision")
            .order_by("-finished_at")[:PANEL_ROWS]
        )
        pages = Page.objects.in_bulk(
            [int(state.revision.object_id) for state in states if state.revision]
        )
        decisions = []
        for state in states:
            page = pages.get(int(state.revision.object_id)) if state.revision else None
            if page is None:
                continue
            decisions.append(
                {
                    "page": page,
                    "approved": state.status == TaskState.STATUS_APPROVED,
                    "by": state.finished_by,
                    "at": state.finished_at,
                    "comment": state.get_comment(),
                }
            )
        return decisions

    def render_html(self, parent_context=None):
        decisions = self.decisions()
        if not decisions:
            return ""
        return render_to_string(
            "studio/admin/decisions_on_your_work.html",
            {"decisions": decisions},
            request=self.request,
        )


class DraftsYouLeftPanel(Component):
    """Pages the user last edited whose changes are not published and not yet submitted."""

    name = "drafts_you_left"
    order = 240

    def __init__(self, request):
        self.request = request

    def drafts(self):
        states = dict(
            WorkflowState.objects.filter(
                status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
                base_content_type__app_label="wagtailcore",
                base_content_type__model="page",
            ).values_list("object_id", "status")
        )
        waiting = [int(pk) for pk, status in states.items() if status == "in_progress"]
        drafts = list(
            Page.objects.filter(
                has_unpublished_changes=True, latest_revision__user=self.request.user
            )
            .exclude(pk__in=waiting)
            .order_by("-latest_revision_created_at")[:PANEL_ROWS]
        )
        for page in drafts:
            page.changes_requested = states.get(str(page.pk)) == WorkflowState.STATUS_NEEDS_CHANGES
        return drafts

    def render_html(self, parent_context=None):
        drafts = self.drafts()
        if not drafts:
            return ""
        return render_to_string(
            "studio/admin/drafts_you_left.html", {"drafts": drafts}, request=self.request
        )
