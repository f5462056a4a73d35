"""The code fields of the two-factor pages."""

from django import forms


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code from your app, or a recovery code",
        max_length=32,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery "
        "codes (like abcde-fghjk) if you do not have your phone.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code your app shows",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
