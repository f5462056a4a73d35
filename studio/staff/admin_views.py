"""What the studio's own admin screens share."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin


class SuperuserScreen(WagtailAdminTemplateMixin, TemplateView):
    """An admin screen for superusers only, headed by its own title (Wagtail's default
    breadcrumb is "Home" alone, which then heads the page)."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
