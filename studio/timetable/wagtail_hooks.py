"""Admin for the timetable (imported by studio/wagtail_hooks.py): Timetable in the menu, a
snippet per class with its cancelled dates inline. Editors and Moderators may edit it
(studio.staff.roles)."""

from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TimetableClass


class TimetableClassViewSet(SnippetViewSet):
    """The weekly classes; the list shows which are demo examples still to replace."""

    model = TimetableClass
    icon = "date"
    menu_label = "Timetable"
    menu_name = "timetable"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("service", label="Service"),
        Column("weekday_name", label="Day", sort_key="weekday"),
        Column("time_text", label="Time", sort_key="start_time"),
        Column("level_name", label="Level", sort_key="level"),
        BooleanColumn("is_example", label="Example (replace)"),
    ]
    list_filter = ["service", "weekday", "level", "is_example"]
    search_fields = ["name"]
    ordering = ["weekday", "start_time", "name"]


register_snippet(TimetableClassViewSet)
