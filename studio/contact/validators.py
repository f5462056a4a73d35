"""Checks on what staff type into the studio settings, with messages that say how to fix it."""

import re

from django.core.exceptions import ValidationError

PHONE_CHARACTERS = re.compile(r"^\+?[0-9\s().\-]+$")
PHONE_MESSAGE = (
    "Enter a phone number that can be dialed, e.g. (860) 555-0123 or +1 860 555 0123: "
    "digits with optional spaces, brackets, dots or dashes, and a + only at the start."
)


def phone_digits(value):
    return "".join(ch for ch in value if ch.isdigit())


def validate_phone(value):
    """A US number of 10 digits (an optional leading 1), or an international one starting +."""
    value = value.strip()
    if not PHONE_CHARACTERS.match(value):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    digits = phone_digits(value)
    if value.startswith("+"):
        if not 8 <= len(digits) <= 15:
            raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
        return
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(
            "A US phone number has 10 digits, area code first, e.g. (860) 555-0123. "
            "Start international numbers with +.",
            code="invalid_phone",
        )
    if digits[0] in "01":
        raise ValidationError(
            "US area codes never start with 0 or 1: check the first digits.",
            code="invalid_phone",
        )


def phone_e164(value):
    """'+18602539111' from '(860) 253-9111': the form tel: links and search engines want."""
    digits = phone_digits(value)
    if value.strip().startswith("+"):
        return f"+{digits}"
    if len(digits) == 10:
        digits = "1" + digits
    return f"+{digits}"
