"""The studio app: its models keep the label ``studio`` wherever their modules live."""

from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = "Studio"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .contact import delivery, signals
        from .staff.two_factor import policy

        # Here rather than in the view, so the view need not import the delivery it triggers.
        signals.submission_stored.connect(
            delivery.queue_stored_submission, dispatch_uid="contact_queue_delivery"
        )
        # Every password sign-in asks for the second factor again (studio/staff/two_factor).
        user_logged_in.connect(policy.clear_on_login, dispatch_uid="two_factor_clear_on_login")
