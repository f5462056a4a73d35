"""Settings → Sign-in lockouts: superusers see who is locked out of the admin, and unlock them.

The admin's `manage.py axes_reset_username` for django-axes' locks (per username and
address). Registered in studio/staff/wagtail_hooks.py.
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from . import times
from .admin_views import SuperuserScreen


class LockoutsView(SuperuserScreen):
    template_name = "studio/admin/lockouts.html"
    page_title = "Sign-in lockouts"
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by(
            "-failures_since_start", "-attempt_time"
        )
        limit = settings.AXES_FAILURE_LIMIT
        context.update(
            locked=[a for a in attempts if a.failures_since_start >= limit],
            failing=[a for a in attempts if a.failures_since_start < limit],
            failure_limit=limit,
            cooloff_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            zone=times.zone_name(),
        )
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        ip_address = request.POST.get("ip_address", "")
        if username or ip_address:
            reset(username=username or None, ip=ip_address or None)
            messages.success(request, f"'{username or ip_address}' can sign in again.")
        return redirect("studio_lockouts")
