"""The studio app: its models keep the label ``studio`` wherever their modules live."""

from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = "Studio"

    def ready(self):
        from .contact import delivery, signals

        # Here rather than in the view, so the view need not import the delivery it triggers.
        signals.submission_stored.connect(
            delivery.queue_stored_submission, dispatch_uid="contact_queue_delivery"
        )
