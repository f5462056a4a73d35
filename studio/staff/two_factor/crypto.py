"""TOTP secrets encrypted at rest, so a copy of the database (a backup, a dump) does not hold
every staff member's second factor.

The key is STAFF_TWO_FACTOR_KEY when set, else derived from SECRET_KEY; changing it makes
stored secrets unreadable (staff enrol again; docs/operations.md). The cipher is built on the
standard library instead of adding a cryptography package for 20-byte values: HMAC-SHA256 as a
pseudo-random function in counter mode (a stream cipher) with a random 16-byte nonce, then an
HMAC-SHA256 tag over nonce and ciphertext (encrypt-then-MAC), with separate derived keys.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

VERSION = b"v1"


class DecryptionError(ValueError):
    """The value was altered, or encrypted under another key."""


def master_key():
    """STAFF_TWO_FACTOR_KEY, else SECRET_KEY: what every key here is derived from."""
    return (getattr(settings, "STAFF_TWO_FACTOR_KEY", "") or settings.SECRET_KEY).encode()


def _keys():
    master = master_key()
    derive = lambda purpose: hashlib.sha256(b"enfuse.two_factor." + purpose + b"\x00" + master)  # noqa: E731
    return derive(b"encrypt").digest(), derive(b"authenticate").digest()


def _keystream(key, nonce, length):
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def encrypt(text):
    encryption_key, mac_key = _keys()
    nonce = secrets.token_bytes(16)
    plain = text.encode()
    cipher = bytes(
        a ^ b for a, b in zip(plain, _keystream(encryption_key, nonce, len(plain)), strict=True)
    )
    tag = hmac.new(mac_key, VERSION + nonce + cipher, hashlib.sha256).digest()
    return (VERSION + b":" + base64.urlsafe_b64encode(nonce + cipher + tag)).decode()


def decrypt(token):
    encryption_key, mac_key = _keys()
    version, _, body = token.encode().partition(b":")
    try:
        raw = base64.urlsafe_b64decode(body)
    except ValueError as error:
        raise DecryptionError("not an encrypted value") from error
    if version != VERSION or len(raw) < 48:
        raise DecryptionError("not an encrypted value")
    nonce, cipher, tag = raw[:16], raw[16:-32], raw[-32:]
    expected = hmac.new(mac_key, VERSION + nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise DecryptionError("wrong key or altered value")
    return bytes(
        a ^ b for a, b in zip(cipher, _keystream(encryption_key, nonce, len(cipher)), strict=True)
    ).decode()
