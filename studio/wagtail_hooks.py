"""Admin wiring for the studio: the team, testimonials and FAQ as snippets, in one menu.

Wagtail reads ``wagtail_hooks`` of installed apps only, so the contact form's, the staff
admin's and the timetable's hooks are registered by importing them here.
"""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .contact import wagtail_hooks as contact_hooks  # noqa: F401
from .models import FrequentlyAskedQuestion, TeamMember, Testimonial
from .staff import wagtail_hooks as staff_hooks  # noqa: F401
from .timetable import wagtail_hooks as timetable_hooks  # noqa: F401


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
