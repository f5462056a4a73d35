"""Two-factor sign-in for staff: a TOTP code (RFC 6238) from a phone app after the password,
with one-use recovery codes for a lost phone.

Written on Python's standard library: django-otp (the maintained option) stores TOTP keys and
its "static tokens" (recovery codes) in plain text and brings no enrolment screens or Wagtail
integration, so we would have written the screens and the encryption anyway; the TOTP
arithmetic itself is a few lines (``totp``).

``totp``: the algorithm. ``crypto``: secrets encrypted at rest. ``models``: the enrolment and
recovery codes. ``policy``: who must and who may use it. ``middleware``: the sign-in step.
``views``, ``forms``, ``qr``: enrolment, sign-in step, reset by a superuser.
"""
