"""The contact form visitors fill in, and the signed token that tells a person from a bot."""

import secrets
import time
import unicodedata

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from wagtail.models import Page

from .validators import validate_phone

MESSAGE_MAX_LENGTH = 5000

TOKEN_SALT = "studio.contact.form"


def new_form_token(now=None):
    """A signed token for one rendered form: when it was shown, and a one-time id."""
    issued = time.time() if now is None else now
    return signing.dumps({"t": int(issued), "n": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)


def read_form_token(token, now=None):
    """(one-time id, spam reason or "") for a posted token.

    A token that is missing, forged or older than CONTACT_FORM_MAX_AGE_SECONDS, or that comes
    back sooner than CONTACT_MIN_FILL_SECONDS after the form was shown, is a bot's.
    """
    now = time.time() if now is None else now
    try:
        data = signing.loads(
            token or "", salt=TOKEN_SALT, max_age=settings.CONTACT_FORM_MAX_AGE_SECONDS
        )
        issued, nonce = int(data["t"]), str(data["n"])[:64]
    except signing.SignatureExpired:
        return None, "expired form timestamp"
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, "missing or forged form timestamp"
    elapsed = now - issued
    if elapsed > settings.CONTACT_FORM_MAX_AGE_SECONDS:
        return None, "expired form timestamp"
    if elapsed < settings.CONTACT_MIN_FILL_SECONDS:
        return nonce, f"sent {max(elapsed, 0):.0f} s after the form was shown"
    return nonce, ""


def has_control_characters(value):
    """Line breaks of any kind (CR, LF, U+2028...) or other control characters."""
    return len(value.splitlines()) > 1 or any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value
    )


class OneLineCharField(forms.CharField):
    """A single line of text: a line break (which could become a second email header) or a
    control character is an error, not something quietly removed."""

    def __init__(self, *, one_line_message, **kwargs):
        self.one_line_message = one_line_message
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and "\x00" not in value and has_control_characters(value):
            raise ValidationError(self.one_line_message, code="line_break")


class MessageField(forms.CharField):
    """Free text whose line breaks count once each, as the visitor's browser counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class UnseenCharField(forms.CharField):
    """A field the visitor never sees (hidden, or the honeypot): a NUL character in it is
    dropped rather than made an error the visitor could neither see nor fix (CharField refuses
    NUL, which PostgreSQL text cannot hold)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "") if value else value


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title

    def to_python(self, value):
        """Only a plausible id reaches the database (a 30-digit one overflows its integer)."""
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


class ClassChoiceField(forms.ModelChoiceField):
    """The timetable class a visitor asks for a spot in (a hidden field set by "Ask for a
    spot"). A class that is gone or never was is simply no class: the message still goes."""

    widget = forms.HiddenInput

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        if not text.isdigit() or len(text) > 12:
            return None
        try:
            return super().to_python(text)
        except ValidationError:
            return None


class ContactForm(forms.Form):
    """What a prospect sends the studio. Spam checks (the honeypot and the signed timestamp)
    never make the form invalid: the caller stores a bot's submission flagged as spam."""

    name = OneLineCharField(
        label="Your name",
        max_length=100,
        one_line_message="Enter your name on one line, without special characters.",
        error_messages={
            "required": "Enter your name.",
            "max_length": "Your name must be 100 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will reply to this address.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
            "max_length": "Your email address must be 254 characters or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        help_text="If you would rather we call you, e.g. (860) 555-0123.",
        validators=[validate_phone],
        error_messages={"max_length": "A phone number has at most 30 characters."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    service = ServiceChoiceField(
        label="What are you interested in? (optional)",
        queryset=None,
        required=False,
        empty_label="Not sure yet, or something else",
        error_messages={"invalid_choice": "Choose one of the services in the list."},
    )
    message = MessageField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        help_text="Your goals, questions, or when suits you for a first session. "
        f"Up to {MESSAGE_MAX_LENGTH:,} characters.",
        error_messages={
            "required": "Enter your message.",
            "max_length": f"Your message must be {MESSAGE_MAX_LENGTH:,} characters or fewer "
            "(it has %(show_value)d).",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label="I agree that EnFuse Fitness may contact me about my message",
        help_text="We use your details only to answer you, and delete them "
        f"{settings.CONTACT_RETENTION_DAYS} days after you send them.",
        error_messages={"required": "Check the box to agree that we may contact you."},
    )
    # Hidden: the class asked about, the page the visitor came from, the signed timestamp,
    # and a honeypot for bots.
    timetable_class = ClassChoiceField(queryset=None, required=False)
    source = UnseenCharField(required=False, widget=forms.HiddenInput)
    token = UnseenCharField(required=False, widget=forms.HiddenInput)
    website = UnseenCharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    visible_order = ["name", "email", "phone", "service", "message", "consent"]

    def __init__(self, *args, services, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if classes is None:
            classes = apps.get_model("studio", "TimetableClass").objects.none()
        self.fields["timetable_class"].queryset = classes

    def clean(self):
        """A class belongs to one service: it fills in an empty service, and a different
        service chosen with it is a question to the visitor, not a silent change."""
        data = super().clean()
        chosen = data.get("timetable_class")
        if chosen is None or "service" not in data:
            return data
        if data["service"] is None:
            data["service"] = chosen.service
        elif chosen.service_id is not None and data["service"].pk != chosen.service_id:
            self.add_error(
                "service",
                f"You are asking for a spot in {chosen.label}, a {chosen.service.title} class: "
                f"choose {chosen.service.title} here.",
            )
        return data

    def visible_fields_in_order(self):
        return [self[name] for name in self.visible_order]

    def clean_source(self):
        """The live page whose call to action led here, or None (never an error)."""
        value = (self.cleaned_data.get("source") or "").strip()
        if not value.isdigit() or len(value) > 12:
            return None
        return Page.objects.live().public().filter(pk=int(value)).first()

    def spam_reason(self, now=None):
        """Why this (valid) submission looks like a bot's, or ""."""
        if self.cleaned_data.get("website"):
            return "filled in the hidden field"
        _, reason = read_form_token(self.cleaned_data.get("token"), now=now)
        return reason

    def form_nonce(self, now=None):
        nonce, _ = read_form_token(self.cleaned_data.get("token"), now=now)
        return nonce
