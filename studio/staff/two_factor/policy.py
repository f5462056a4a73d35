"""Who must, and who may, sign in with a second factor.

Required (STAFF_TWO_FACTOR_REQUIRED, on by default) for superusers and Moderators, who can read
every contact message; offered to everyone else with access to the admin (Editors).
"""

from django.conf import settings

from studio.staff.roles import MODERATORS

# The session remembers which user passed the second step; a new password sign-in clears it.
SESSION_KEY = "staff_two_factor_verified"


def required_for(user):
    if not getattr(settings, "STAFF_TWO_FACTOR_REQUIRED", True):
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS).exists()


def enrolment(user):
    """The user's confirmed second factor, or None."""
    from .models import StaffTwoFactor

    return StaffTwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def _marker(user, record):
    # The enrolment's id is part of it: after a reset, a session verified before is not.
    return f"{user.pk}:{record.pk}"


def is_verified(request, record):
    return record is not None and request.session.get(SESSION_KEY) == _marker(request.user, record)


def mark_verified(request, record):
    # A new session key, as at sign-in: the one used before this step is no longer valid.
    request.session.cycle_key()
    request.session[SESSION_KEY] = _marker(request.user, record)


def clear_on_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: a password sign-in has not passed the second step yet."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
