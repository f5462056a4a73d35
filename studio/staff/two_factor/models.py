"""A staff member's second factor: the TOTP secret (encrypted) and the recovery codes (hashed).

Imported by ``studio.models`` so that Django finds them under the ``studio`` label.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from . import crypto, totp

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_recovery_code():
    """Ten characters (about 50 bits) shown as ``abcde-fghjk``."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_recovery_code(code):
    return "".join(ch for ch in code.lower() if ch in RECOVERY_ALPHABET)


def hash_recovery_code(code):
    """A keyed SHA-256 of the code. Codes are long random strings, not passwords people choose,
    so a slow password hash (checked once per stored code) would add delay and no safety."""
    key = hashlib.sha256(b"enfuse.two_factor.recovery\x00" + crypto.master_key()).digest()
    return hmac.new(key, normalise_recovery_code(code).encode(), hashlib.sha256).hexdigest()


class StaffTwoFactor(models.Model):
    """One per enrolled (or enrolling) user; ``confirmed_at`` is set once a code was typed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    encrypted_secret = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The 30-second step of the last code accepted: that code (and older ones) cannot be reused.
    last_used_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "two-factor sign-in"
        verbose_name_plural = "two-factor sign-ins"

    def __str__(self):
        return f"Two-factor sign-in of {self.user}"

    @property
    def secret(self):
        return crypto.decrypt(self.encrypted_secret)

    @classmethod
    def start(cls, user, secret=None):
        """A new, unconfirmed secret for ``user`` (replacing any unconfirmed one)."""
        secret = secret or totp.new_secret()
        record, _ = cls.objects.update_or_create(
            user=user,
            defaults={
                "encrypted_secret": crypto.encrypt(secret),
                "confirmed_at": None,
                "last_used_step": None,
                "created_at": timezone.now(),
            },
        )
        return record

    def check_code(self, code, when=None):
        """Accept a current, unused TOTP code, recording its step; False otherwise.

        The row is locked while checking, so two requests cannot both spend the same code.
        """
        with transaction.atomic():
            record = type(self).objects.select_for_update().get(pk=self.pk)
            step = totp.matching_step(
                record.secret, code, when=when, after_step=record.last_used_step
            )
            if step is None:
                return False
            record.last_used_step = step
            record.save(update_fields=["last_used_step"])
        self.last_used_step = step
        return True

    def confirm(self):
        """Enrolment done: returns the new recovery codes (shown once, stored hashed)."""
        self.confirmed_at = timezone.now()
        self.save(update_fields=["confirmed_at"])
        return RecoveryCode.replace_for(self.user)


class RecoveryCode(models.Model):
    """A one-use code for signing in without the phone; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="unique_recovery_code")
        ]

    def __str__(self):
        return f"Recovery code of {self.user}"

    @classmethod
    def replace_for(cls, user):
        codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        with transaction.atomic():
            cls.objects.filter(user=user).delete()
            cls.objects.bulk_create(cls(user=user, code_hash=hash_recovery_code(c)) for c in codes)
        return codes

    @classmethod
    def use(cls, user, code):
        """Spend one unused code of ``user``; True when it was one. Atomic: one use only."""
        if len(normalise_recovery_code(code)) != 10:
            return False
        spent = cls.objects.filter(
            user=user, code_hash=hash_recovery_code(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        return spent == 1

    @classmethod
    def remaining(cls, user):
        return cls.objects.filter(user=user, used_at__isnull=True).count()


def reset(user):
    """Remove ``user``'s second factor and recovery codes (a lost phone, a superuser's reset)."""
    with transaction.atomic():
        StaffTwoFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
