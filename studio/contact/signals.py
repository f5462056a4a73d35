"""The contact form's signal, so the view that stores a message need not import what emails it."""

from django.dispatch import Signal

# Sent once the transaction that stored a message (not spam) has committed; ``submission_id``.
submission_stored = Signal()
