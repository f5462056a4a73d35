"""Time-based one-time passwords (RFC 6238, with HOTP from RFC 4226), standard library only.

Six digits, 30-second steps, HMAC-SHA1: what every authenticator app (Google Authenticator,
Microsoft Authenticator, 1Password, Aegis...) expects from an ``otpauth://`` link.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
# Codes one step either side of now are accepted: phone clocks drift and people type slowly.
WINDOW = 1


def new_secret():
    """A random 160-bit key (RFC 4226 recommends 160), as apps type it: base32, no padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret):
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret, counter):
    """The code for one counter value (RFC 4226, section 5.3)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def step_at(when=None):
    """The 30-second step a Unix time falls in (now by default)."""
    return int((time.time() if when is None else when) // STEP_SECONDS)


def code_at(secret, when=None):
    return hotp(secret, step_at(when))


def matching_step(secret, code, *, when=None, after_step=None):
    """The step whose code ``code`` is, within the window around ``when``; else None.

    ``after_step``: the step of the last code accepted; it and earlier ones are refused, so a
    code seen over someone's shoulder cannot be used again (RFC 6238, section 5.2).
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(when)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret, account, issuer):
    """The ``otpauth://`` link an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
