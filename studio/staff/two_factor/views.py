"""The two-factor pages: the sign-in step, enrolment, one's own settings, and Settings →
Two-factor sign-in where a superuser resets someone's second factor."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, user_login_failed
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from studio.staff.roles import MODERATORS

from ..admin_views import SuperuserScreen
from . import policy, totp
from .forms import EnrolForm, VerifyForm
from .models import RecoveryCode, StaffTwoFactor, reset
from .qr import qr_svg

ISSUER = "EnFuse Fitness"


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _credentials(user):
    return {"username": user.get_username()}


def _locked_out(request, user):
    """django-axes' lock on this username and address applies to the second step too."""
    return settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, _credentials(user))


def _lockout_response(request, user):
    credentials = _credentials(user)
    logout(request)
    return get_lockout_response(request, None, credentials)


def _login_required(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={reverse('wagtailadmin_home')}")
    return None


@never_cache
def verify(request):
    """The code after the password: a TOTP code or a recovery code."""
    if response := _login_required(request):
        return response
    user = request.user
    record = policy.enrolment(user)
    if record is None:
        return redirect(f"{reverse('two_factor_enrol')}?next={_next_url(request)}")
    if policy.is_verified(request, record):
        return redirect(_next_url(request))
    if _locked_out(request, user):
        return _lockout_response(request, user)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        used_recovery = False
        accepted = record.check_code(code)
        if not accepted and RecoveryCode.use(user, code):
            accepted = used_recovery = True
        if accepted:
            policy.mark_verified(request, record)
            if settings.AXES_ENABLED:
                AxesProxyHandler.reset_attempts(
                    username=user.get_username(), ip_address=request.axes_ip_address
                )
            if used_recovery:
                left = RecoveryCode.remaining(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. If your phone is lost, "
                    "set up two-factor sign-in again on a new one (Account → Two-factor "
                    "sign-in).",
                )
            return redirect(_next_url(request))
        # Counted by django-axes like a wrong password; at the limit it answers with the
        # lockout page (AxesMiddleware) and the user starts again from the password.
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        if getattr(request, "axes_locked_out", False):
            return _lockout_response(request, user)
        form.add_error(
            "code", "That code is not right, or was already used. Try the code your app shows now."
        )
    return render(
        request,
        "studio/admin/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
def enrol(request):
    """Set up an authenticator app: a QR code and the secret as text, then one code to confirm."""
    if response := _login_required(request):
        return response
    user = request.user
    if (confirmed := policy.enrolment(user)) is not None:
        if not policy.is_verified(request, confirmed):
            return redirect(f"{reverse('two_factor_verify')}?next={_next_url(request)}")
        return redirect("two_factor_manage")
    record = StaffTwoFactor.objects.filter(user=user, confirmed_at__isnull=True).first()
    if record is None:
        record = StaffTwoFactor.start(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if record.check_code(form.cleaned_data["code"]):
            codes = record.confirm()
            policy.mark_verified(request, record)
            return render(
                request,
                "studio/admin/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "new_enrolment": True},
            )
        form.add_error(
            "code",
            "That code did not match. Check that your phone's time is set automatically, "
            "then type the code your app shows now.",
        )
    secret = record.secret
    uri = totp.provisioning_uri(secret, user.get_username(), ISSUER)
    return render(
        request,
        "studio/admin/two_factor/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg(uri),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": policy.required_for(user),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


class ManageView(WagtailAdminTemplateMixin, TemplateView):
    """Account → Two-factor sign-in: status, new recovery codes, turn off (when optional)."""

    template_name = "studio/admin/two_factor/manage.html"
    page_title = "Two-factor sign-in"
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, *args, **kwargs):
        if policy.enrolment(request.user) is None:
            return redirect("two_factor_enrol")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            record=policy.enrolment(user),
            remaining=RecoveryCode.remaining(user),
            required=policy.required_for(user),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        user = request.user
        if action == "new_codes":
            codes = RecoveryCode.replace_for(user)
            return render(
                request,
                "studio/admin/two_factor/recovery_codes.html",
                {"codes": codes, "next": reverse("two_factor_manage")},
            )
        if action in ("new_phone", "turn_off"):
            if action == "turn_off" and policy.required_for(user):
                messages.error(
                    request, "Your role needs two-factor sign-in: it cannot be turned off."
                )
                return redirect("two_factor_manage")
            reset(user)
            request.session.pop(policy.SESSION_KEY, None)
            if action == "new_phone":
                return redirect("two_factor_enrol")
            messages.success(request, "Two-factor sign-in is off for your account.")
            return redirect("wagtailadmin_account")
        return redirect("two_factor_manage")


def staff_users():
    """Everyone who can use the admin, in name order."""
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=access)
            | Q(user_permissions__in=access)
        )
        .distinct()
        .order_by("username")
    )


class StaffTwoFactorView(SuperuserScreen):
    """Settings → Two-factor sign-in (superusers): who has it, and a reset for a lost phone."""

    template_name = "studio/admin/two_factor/staff.html"
    page_title = "Two-factor sign-in"
    header_icon = "key"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        users = list(staff_users().prefetch_related("groups"))
        confirmed = dict(
            StaffTwoFactor.objects.filter(confirmed_at__isnull=False).values_list(
                "user_id", "confirmed_at"
            )
        )
        rows = []
        for user in users:
            is_moderator = any(group.name == MODERATORS for group in user.groups.all())
            rows.append(
                {
                    "user": user,
                    "enrolled_at": confirmed.get(user.pk),
                    "required": policy.required_for(user),
                    "role": "Superuser"
                    if user.is_superuser
                    else (
                        MODERATORS
                        if is_moderator
                        else ", ".join(g.name for g in user.groups.all()) or "-"
                    ),
                }
            )
        context["rows"] = rows
        return context

    def post(self, request, *args, **kwargs):
        user = get_object_or_404(get_user_model(), pk=request.POST.get("user_id") or 0)
        reset(user)
        messages.success(
            request,
            f"Two-factor sign-in of {user.get_username()} was reset: they set it up again at "
            "their next sign-in.",
        )
        return redirect("two_factor_staff")
