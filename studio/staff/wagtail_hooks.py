"""Admin hooks of the staff tools (imported by studio/wagtail_hooks.py): the dashboard's panels,
Settings → Sign-in lockouts and Two-factor sign-in for superusers, the two-factor pages, and
the small stylesheet of these screens."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from .dashboard import DecisionsOnYourWorkPanel, DraftsYouLeftPanel
from .lockouts import LockoutsView
from .two_factor import views as two_factor_views
from .two_factor.views import ManageView, StaffTwoFactorView


@hooks.register("construct_homepage_panels")
def add_staff_panels(request, panels):
    """Put what awaits the user's review first; add the decisions and drafts panels."""
    for panel in panels:
        if isinstance(panel, WorkflowObjectsToModeratePanel):
            panel.order = 100
    panels.append(DecisionsOnYourWorkPanel(request))
    panels.append(DraftsYouLeftPanel(request))


@hooks.register("register_admin_urls")
def lockout_urls():
    return [path("lockouts/", LockoutsView.as_view(), name="studio_lockouts")]


class SuperuserMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return SuperuserMenuItem(
        "Sign-in lockouts", reverse("studio_lockouts"), icon_name="lock", order=900
    )


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", two_factor_views.verify, name="two_factor_verify"),
        path("two-factor/set-up/", two_factor_views.enrol, name="two_factor_enrol"),
        path("account/two-factor/", ManageView.as_view(), name="two_factor_manage"),
        path("staff-two-factor/", StaffTwoFactorView.as_view(), name="two_factor_staff"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_manage"),
        "label": "Two-factor sign-in",
        "help_text": "A code from an app on your phone after your password, so a stolen "
        "password alone cannot open the admin.",
    }


@hooks.register("register_settings_menu_item")
def two_factor_menu_item():
    return SuperuserMenuItem(
        "Two-factor sign-in", reverse("two_factor_staff"), icon_name="key", order=910
    )


@hooks.register("insert_global_admin_css")
def staff_admin_css():
    """The small stylesheet of the studio's own admin screens (lockouts, two-factor)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
