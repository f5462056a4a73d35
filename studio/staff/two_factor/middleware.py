"""The second step of signing in to the admin.

After the password, a user with a second factor is sent to the code page, and a user who must
have one but has none to the enrolment page, until the session is marked verified
(``policy.SESSION_KEY``). Only admin addresses are guarded; the public site is untouched. The
sign-in, sign-out, password-reset and two-factor pages themselves stay reachable.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import policy

# The icon sprite is fetched by the sign-in pages' own script: redirected, the page it got
# instead would be pasted into the page as icons.
OPEN_ADMIN_PATHS = ("login/", "logout/", "password_reset/", "two-factor/", "jsi18n/", "sprite/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = self.step_needed(request)
        if redirect_to:
            return redirect(
                f"{reverse(redirect_to)}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    def step_needed(self, request):
        prefix = settings.ADMIN_PATH_PREFIX
        if not request.path.startswith(prefix) or not request.user.is_authenticated:
            return None
        if request.path[len(prefix) :].startswith(OPEN_ADMIN_PATHS):
            return None
        record = policy.enrolment(request.user)
        if record is None:
            return "two_factor_enrol" if policy.required_for(request.user) else None
        if policy.is_verified(request, record):
            return None
        return "two_factor_verify"
