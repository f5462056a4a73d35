"""The studio's models, one module per domain, all importable from ``studio.models``.

``pages``: home, services, about and privacy; ``snippets``: team, testimonials and FAQ;
``settings``: the studio details with their hours. The contact page and its submissions live in
``studio.contact.models`` and are imported here so Django finds them under the ``studio`` label;
so do the class timetable's (``studio.timetable.models``).
"""

from studio.contact.models import (
    ContactPage,
    ContactSubmission,
    ContactSubmissionQuerySet,
)
from studio.staff.two_factor.models import RecoveryCode, StaffTwoFactor
from studio.timetable.models import ClassCancellation, TimetableClass, TimetableClassQuerySet

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
    "RecoveryCode",
    "StaffTwoFactor",
    "DEFAULT_DISCLAIMER",
    "IN_STAFF_ORDER",
    "PLACEHOLDER_LATITUDE",
    "PLACEHOLDER_LONGITUDE",
    "SERVICE_CARD_RENDITIONS",
    "TEAM_PHOTO_RENDITIONS",
    "AboutPage",
    "AboutTeamMember",
    "AltTextMixin",
    "ClassCancellation",
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
    "TimetableClass",
    "TimetableClassQuerySet",
    "coordinate_text",
    "images_with",
    "renditions",
]
