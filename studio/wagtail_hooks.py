"""Admin wiring for the studio: the team as a snippet."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TeamMember


class TeamMemberViewSet(SnippetViewSet):
    model = TeamMember
    icon = "group"
    menu_label = "Team"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "role"]
    search_fields = ["name"]


register_snippet(TeamMemberViewSet)
