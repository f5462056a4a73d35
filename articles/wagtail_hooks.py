"""Admin wiring for the Institute for Learning: the series snippet and the review reminder."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import REVIEW_INTERVAL, ArticlePage, LearningIndexPage, Series


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ol"
    menu_label = "Series"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "description"]
    search_fields = ["title"]


register_snippet(SeriesViewSet)


class ArticlesDueForReviewPanel(Component):
    """Dashboard reminder of live articles whose health content is over a year without review."""

    name = "articles_due_for_review"
    order = 150

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        cutoff = timezone.localdate() - REVIEW_INTERVAL
        due = (
            ArticlePage.objects.live()
            .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))
            .order_by("last_reviewed", "title")[:10]
        )
        return render_to_string(
            "articles/admin/articles_due_for_review.html",
            {"articles": due},
            request=self.request,
        )


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    # Staff who may edit pages (page permissions are per page, not model permissions).
    if PagePermissionPolicy().user_has_permission(request.user, "change"):
        panels.append(ArticlesDueForReviewPanel(request))


@hooks.register("after_create_page")
def give_a_new_institute_its_roles(request, page):
    """A new Institute page gets the Editors' permissions and the moderation workflow.

    On a site started empty, the staff-roles migration ran before the Institute existed.
    """
    from studio.staff.roles import setup_institute

    if isinstance(page.specific, LearningIndexPage):
        setup_institute(page)
