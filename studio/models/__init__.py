"""The studio's models, one module per domain, all importable from ``studio.models``.

``pages``: home, services, about and privacy; ``snippets``: team, testimonials and FAQ;
``settings``: the studio details with their hours. The contact page and its submissions live in
``studio.contact.models`` and are imported here so Django finds them under the ``studio`` label.
"""

from studio.contact.models import (
    ContactPage,
    ContactSubmission,
    ContactSubmissionQuerySet,
)

from .common import IN_STAFF_ORDER, AltTextMixin, images_with, renditions
from .pages import (
    SERVICE_CARD_RENDITIONS,
    TEAM_PHOTO_RENDITIONS,
    AboutPage,
    AboutTeamMember,
    HomePage,
    PrivacyPage,
    ServiceDetail,
    ServiceIndexPage,
    ServicePage,
    ServicePageQuerySet,
)
from .settings import (
    DEFAULT_DISCLAIMER,
    PLACEHOLDER_LATITUDE,
    PLACEHOLDER_LONGITUDE,
    HoursMixin,
    OpeningHours,
    SocialLink,
    SpecialDay,
    StudioSettings,
    coordinate_text,
)
from .snippets import (
    FrequentlyAskedQuestion,
    TeamMember,
    Testimonial,
    TestimonialQuerySet,
)

__all__ = [
    "DEFAULT_DISCLAIMER",
    "IN_STAFF_ORDER",
    "PLACEHOLDER_LATITUDE",
    "PLACEHOLDER_LONGITUDE",
    "SERVICE_CARD_RENDITIONS",
    "TEAM_PHOTO_RENDITIONS",
    "AboutPage",
    "AboutTeamMember",
    "AltTextMixin",
    "ContactPage",
    "ContactSubmission",
    "ContactSubmissionQuerySet",
    "FrequentlyAskedQuestion",
    "HomePage",
    "HoursMixin",
    "OpeningHours",
    "PrivacyPage",
    "ServiceDetail",
    "ServiceIndexPage",
    "ServicePage",
    "ServicePageQuerySet",
    "SocialLink",
    "SpecialDay",
    "StudioSettings",
    "TeamMember",
    "Testimonial",
    "TestimonialQuerySet",
    "coordinate_text",
    "images_with",
    "renditions",
]
