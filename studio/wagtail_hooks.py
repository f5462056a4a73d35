"""Admin wiring for the studio: the team, testimonials and FAQ as snippets, grouped in one menu;
the staff dashboard's panels."""

from wagtail import hooks
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .dashboard import DecisionsOnYourWorkPanel, DraftsYouLeftPanel
from .models import FrequentlyAskedQuestion, TeamMember, Testimonial


class TeamMemberViewSet(SnippetViewSet):
    model = TeamMember
    icon = "group"
    menu_label = "Team"
    list_display = ["name", "role"]
    search_fields = ["name"]


class TestimonialViewSet(SnippetViewSet):
    """Clients' words; drag rows to order them (the home page shows the first three)."""

    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    list_display = ["first_name", "quote", "service", "show_on_home"]
    list_filter = ["show_on_home"]


class FrequentlyAskedQuestionViewSet(SnippetViewSet):
    """First-visit questions shown on the home page; drag rows to order them."""

    model = FrequentlyAskedQuestion
    icon = "help"
    menu_label = "FAQ"
    list_display = ["question"]


class StudioSnippetGroup(SnippetViewSetGroup):
    menu_label = "Studio"
    menu_icon = "home"
    menu_order = 200
    items = (TeamMemberViewSet, TestimonialViewSet, FrequentlyAskedQuestionViewSet)


register_snippet(StudioSnippetGroup)


@hooks.register("construct_homepage_panels")
def add_staff_panels(request, panels):
    """Put what awaits the user's review first; add the decisions and drafts panels."""
    for panel in panels:
        if isinstance(panel, WorkflowObjectsToModeratePanel):
            panel.order = 100
    panels.append(DecisionsOnYourWorkPanel(request))
    panels.append(DraftsYouLeftPanel(request))
