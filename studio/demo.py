"""Demo content for the studio: the site root, services, about page, team, testimonials, FAQ
and the studio's details.

Facts come from the client's captured page (``articles/demo_content``); where the page has none
(opening hours, prices, durations, map position) the values are placeholders, listed in
docs/placeholders.md and flagged in the admin's help text. Every builder only adds what is
missing, so running the command again never overwrites what staff have edited.
"""

import datetime
import io
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from articles.demo import get_or_add_child, medical_disclaimer_text, studio_blurb

from .models import (
    AboutPage,
    AboutTeamMember,
    ContactPage,
    FrequentlyAskedQuestion,
    HomePage,
    OpeningHours,
    PrivacyPage,
    ServiceDetail,
    ServiceIndexPage,
    ServicePage,
    SpecialDay,
    StudioSettings,
    TeamMember,
    Testimonial,
)

HOME_TITLE = "EnFuse Fitness"
HOME_HEADING = "Personal training in Enfield, Connecticut"
SERVICES_SLUG = "services"
ABOUT_SLUG = "about"
CONTACT_SLUG = "contact"

# --- Stand-in pictures ------------------------------------------------------------------------

INK, ACCENT, SKIN, PAPER = (0, 90, 78), (179, 71, 0), (70, 70, 70), (250, 250, 245)
PICTURES = {
    "studio": (
        "The studio",
        "Illustration of a small one-story studio building with large front windows "
        "and a glass door.",
    ),
    "team": (
        "Team EnFuse",
        "Illustration of three people of different heights standing side by side: the "
        "studio's team of trainers.",
    ),
    "pilates": (
        "Pilates",
        "Illustration of a person lying on their back on an exercise mat, one leg raised "
        "straight up in a Pilates leg lift.",
    ),
    "yoga": (
        "Yoga",
        "Illustration of a person balancing on one leg in yoga's tree pose, arms raised "
        "overhead, on a mat.",
    ),
    "massage": (
        "Deep tissue & sports massage",
        "Illustration of a massage therapist working on the back of a client lying face "
        "down on a massage table.",
    ),
    "meal-prep": (
        "Meal prep",
        "Illustration of four meal-prep containers filled with vegetables, grains and "
        "protein, laid out on a counter.",
    ),
    "nutrition": (
        "Nutritional counseling",
        "Illustration of a dinner plate divided into vegetables, whole grains and protein, "
        "with an apple and a glass of water beside it.",
    ),
    "training": (
        "Personal training",
        "Illustration of a person standing tall and lifting a pair of dumbbells to their "
        "shoulders.",
    ),
}


def figure(draw, x, floor, height=560, arms="down"):
    """A simple standing person, feet on ``floor``, centered on ``x``."""
    head = height // 7
    hip = floor - height * 0.45
    neck = floor - height + head
    draw.ellipse([x - head // 2, floor - height, x + head // 2, floor - height + head], fill=SKIN)
    draw.line([x, neck, x, hip], fill=SKIN, width=30)
    draw.line([x, hip, x - 50, floor], fill=SKIN, width=26)
    draw.line([x, hip, x + 50, floor], fill=SKIN, width=26)
    shoulder = neck + 30
    if arms == "up":
        draw.line([x, shoulder, x - 110, shoulder - 180], fill=SKIN, width=20)
        draw.line([x, shoulder, x + 110, shoulder - 180], fill=SKIN, width=20)
    elif arms == "curl":
        for side in (-1, 1):
            elbow = (x + side * 70, shoulder + 150)
            hand = (x + side * 80, shoulder + 20)
            draw.line([x, shoulder, *elbow], fill=SKIN, width=20)
            draw.line([*elbow, *hand], fill=SKIN, width=20)
            draw.rectangle([hand[0] - 45, hand[1] - 12, hand[0] + 45, hand[1] + 12], fill=INK)
            draw.rectangle([hand[0] - 55, hand[1] - 30, hand[0] - 35, hand[1] + 30], fill=INK)
            draw.rectangle([hand[0] + 35, hand[1] - 30, hand[0] + 55, hand[1] + 30], fill=INK)
    else:
        draw.line([x, shoulder, x - 70, hip + 40], fill=SKIN, width=20)
        draw.line([x, shoulder, x + 70, hip + 40], fill=SKIN, width=20)


def draw_picture(kind, size=(1600, 900)):
    """A flat stand-in illustration for one of the studio's pictures (no text in the image)."""
    width, height = size
    canvas = PILImage.new("RGB", size, (232, 243, 240))
    draw = ImageDraw.Draw(canvas)
    floor = int(height * 0.82)
    cx = width // 2
    draw.rectangle([0, floor, width, height], fill=(205, 225, 219))
    if kind == "studio":
        draw.rectangle([cx - 520, floor - 480, cx + 520, floor], fill=PAPER, outline=INK, width=8)
        draw.rectangle([cx - 520, floor - 560, cx + 520, floor - 480], fill=INK)
        draw.rectangle([cx - 440, floor - 380, cx - 120, floor - 120], fill=(170, 205, 225))
        draw.rectangle([cx + 120, floor - 380, cx + 440, floor - 120], fill=(170, 205, 225))
        draw.rectangle([cx - 70, floor - 330, cx + 70, floor], fill=(140, 185, 210), outline=INK)
    elif kind == "team":
        for offset, tall in ((-260, 520), (0, 600), (260, 480)):
            figure(draw, cx + offset, floor, tall)
    elif kind == "pilates":
        draw.rounded_rectangle([cx - 420, floor - 30, cx + 420, floor], 12, fill=INK)
        draw.ellipse([cx - 400, floor - 120, cx - 310, floor - 30], fill=SKIN)
        draw.line([cx - 310, floor - 60, cx + 60, floor - 60], fill=SKIN, width=34)
        draw.line([cx + 60, floor - 60, cx + 360, floor - 60], fill=SKIN, width=28)
        draw.line([cx + 60, floor - 60, cx + 90, floor - 420], fill=SKIN, width=28)
        draw.line([cx - 250, floor - 60, cx - 100, floor - 40], fill=SKIN, width=20)
    elif kind == "yoga":
        draw.rounded_rectangle([cx - 260, floor - 20, cx + 260, floor], 10, fill=INK)
        top = floor - 640
        draw.ellipse([cx - 45, top, cx + 45, top + 90], fill=SKIN)
        draw.line([cx, top + 90, cx, floor - 280], fill=SKIN, width=30)
        draw.line([cx, floor - 280, cx, floor - 20], fill=SKIN, width=26)
        draw.line([cx, floor - 280, cx + 130, floor - 200], fill=SKIN, width=24)
        draw.line([cx + 130, floor - 200, cx + 10, floor - 150], fill=SKIN, width=24)
        draw.line([cx, top + 120, cx - 60, top - 120], fill=SKIN, width=20)
        draw.line([cx, top + 120, cx + 60, top - 120], fill=SKIN, width=20)
    elif kind == "massage":
        draw.rectangle([cx - 420, floor - 280, cx + 300, floor - 250], fill=INK)
        for leg in (cx - 390, cx + 270):
            draw.line([leg, floor - 250, leg, floor], fill=INK, width=16)
        draw.ellipse([cx - 410, floor - 350, cx - 320, floor - 270], fill=SKIN)
        draw.line([cx - 320, floor - 300, cx + 280, floor - 300], fill=SKIN, width=40)
        figure(draw, cx + 460, floor, 600, arms="down")
        draw.line([cx + 460, floor - 480, cx + 120, floor - 330], fill=SKIN, width=20)
    elif kind == "meal-prep":
        draw.rectangle([0, floor - 40, width, floor], fill=(190, 160, 120))
        colours = [(70, 150, 70), (230, 140, 40), (160, 120, 80), (200, 60, 60)]
        for number, colour in enumerate(colours):
            left = 180 + number * 330
            draw.rounded_rectangle(
                [left, floor - 260, left + 280, floor - 50], 24, fill=PAPER, outline=INK, width=8
            )
            draw.ellipse([left + 40, floor - 220, left + 150, floor - 110], fill=colour)
            draw.ellipse([left + 140, floor - 190, left + 240, floor - 90], fill=colours[-number])
    elif kind == "nutrition":
        box = [cx - 300, floor - 620, cx + 300, floor - 20]
        draw.ellipse(box, fill=PAPER, outline=INK, width=10)
        inner = [box[0] + 60, box[1] + 60, box[2] - 60, box[3] - 60]
        draw.pieslice(inner, 0, 180, fill=(70, 150, 70))
        draw.pieslice(inner, 180, 270, fill=(200, 160, 90))
        draw.pieslice(inner, 270, 360, fill=(200, 90, 70))
        draw.ellipse([cx + 380, floor - 200, cx + 540, floor - 40], fill=(200, 40, 40))
        draw.line([cx + 460, floor - 200, cx + 470, floor - 250], fill=(90, 60, 30), width=10)
        draw.rectangle([cx - 520, floor - 300, cx - 400, floor - 40], outline=INK, width=8)
        draw.rectangle([cx - 512, floor - 220, cx - 408, floor - 48], fill=(170, 205, 225))
    else:  # training
        figure(draw, cx, floor, 640, arms="curl")
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def get_or_make_picture(kind):
    """The stand-in picture of this kind, drawn and stored the first time only."""
    title, alt = PICTURES[kind]
    title = f"Stand-in: {title}"
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing, alt
    image = image_model(title=title, description=alt)
    image.file = ImageFile(
        io.BytesIO(draw_picture(kind)), name=f"{kind}-{uuid.uuid4().hex[:8]}.jpg"
    )
    image.save()
    return image, alt


def publish(page):
    page.save_revision().publish()
    return page


# --- Site root and settings -------------------------------------------------------------------


def build_home():
    """The HomePage as the default site's root, replacing Wagtail's placeholder page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        image, alt = get_or_make_picture("studio")
        home = HomePage(
            title=HOME_TITLE,
            slug="enfuse-fitness",
            hero_heading=HOME_HEADING,
            intro=studio_blurb(),
            hero_image=image,
            hero_image_alt=alt,
            services_intro="Hand-tailored programs and hands-on care, under one roof.",
        )
        root.add_child(instance=home)
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, site_name=HOME_TITLE)
    if site.root_page_id != home.pk:
        # Full URLs (feeds, share links, canonical) are built from the site's host and port.
        base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = base_url.hostname or "localhost"
        site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        placeholder = site.root_page if site.pk else None
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page is not ours to keep.
        if (
            placeholder is not None
            and placeholder.specific_class is Page
            and placeholder.depth == 2
        ):
            placeholder.delete()
    return home, site


# PLACEHOLDER hours: the client's page gives none (see docs/placeholders.md).
PLACEHOLDER_WEEK = [
    (0, datetime.time(6), datetime.time(20)),
    (1, datetime.time(6), datetime.time(20)),
    (2, datetime.time(6), datetime.time(20)),
    (3, datetime.time(6), datetime.time(20)),
    (4, datetime.time(6), datetime.time(20)),
    (5, datetime.time(8), datetime.time(14)),
    (6, None, None),
]


def thanksgiving(year):
    """The fourth Thursday of November."""
    first = datetime.date(year, 11, 1)
    first_thursday = first + datetime.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + datetime.timedelta(weeks=3)


def next_holidays(today):
    """The next Thanksgiving, Christmas Day and New Year's Day on or after ``today``."""

    def upcoming(make):
        date = make(today.year)
        return date if date >= today else make(today.year + 1)

    holidays = [
        ("Thanksgiving", upcoming(thanksgiving)),
        ("Christmas Day", upcoming(lambda year: datetime.date(year, 12, 25))),
        ("New Year's Day", upcoming(lambda year: datetime.date(year, 1, 1))),
    ]
    return sorted(holidays, key=lambda holiday: holiday[1])


def build_studio_settings(site, today=None):
    """The studio details; fills in only what is missing (a new record, or one with no hours)."""
    studio, created = StudioSettings.objects.get_or_create(site=site)
    if created:
        image, _ = get_or_make_picture("studio")
        studio.medical_disclaimer = medical_disclaimer_text()
        studio.image = image
        studio.save()
    if not studio.about:
        studio.about = studio_blurb()
        studio.save(update_fields=["about"])
    if not studio.opening_hours.exists() and not studio.special_days.exists():
        for order, (weekday, opens, closes) in enumerate(PLACEHOLDER_WEEK):
            OpeningHours.objects.create(
                studio=studio,
                sort_order=order,
                weekday=weekday,
                opens=opens,
                closes=closes,
                closed=opens is None,
            )
        for order, (label, date) in enumerate(next_holidays(today or datetime.date.today())):
            SpecialDay.objects.create(
                studio=studio, sort_order=order, label=label, start_date=date, closed=True
            )
    return studio


def build_team():
    image, _ = get_or_make_picture("team")
    team, _ = TeamMember.objects.get_or_create(
        name="Team EnFuse",
        defaults={
            "role": "The trainers of EnFuse Fitness",
            "bio": "<p>The veteran and family-owned team behind EnFuse Fitness in Enfield, "
            "Connecticut, training clients since 2010.</p>",
            "photo": image,
        },
    )
    return team


# --- Services ---------------------------------------------------------------------------------

# (slug, title, picture, summary, body paragraphs, placeholder details)
SERVICES = [
    (
        "pilates",
        "Pilates",
        "pilates",
        "Low-impact Pilates that builds core strength, posture and control, adapted to your "
        "body and your goals.",
        [
            "Pilates strengthens the deep muscles that support your spine, with slow, precise "
            "movements and steady breathing. It is gentle on the joints, which makes it a good "
            "place to start after time away from exercise.",
            "Your trainer adapts every exercise to you, whether you want a stronger back, "
            "better balance or more control in your sport.",
        ],
        [("Duration", "60 minutes"), ("Format", "One-on-one or small group")],
    ),
    (
        "yoga",
        "Yoga",
        "yoga",
        "Yoga for flexibility, balance and calm, from gentle first steps to a stronger practice.",
        [
            "Yoga links movement and breathing to improve flexibility and balance, and to "
            "give you a calm hour in a busy week.",
            "Sessions move at your pace, with options for every pose, so you can start "
            "wherever you are today.",
        ],
        [("Duration", "60 minutes"), ("Format", "One-on-one or small group")],
    ),
    (
        "deep-tissue-sports-massage",
        "Deep tissue & sports massage",
        "massage",
        "Hands-on massage that eases tight muscles, supports recovery from training and "
        "helps you move freely.",
        [
            "Deep tissue massage works on the deeper layers of muscle and connective tissue "
            "to relieve tension and stiffness. Sports massage focuses on the muscles you use "
            "most, before an event or as part of your recovery.",
            "Tell us where you feel tight or sore and we will agree the pressure and the "
            "areas to work on before we start.",
        ],
        [("Duration", "60 or 90 minutes"), ("Format", "One-on-one")],
    ),
    (
        "meal-prep",
        "Meal prep",
        "meal-prep",
        "Practical help planning and preparing healthy meals for the week, so eating well "
        "fits a busy life.",
        [
            "Meal prep turns good intentions into a fridge full of ready meals. We help you "
            "plan a week of balanced meals, shop for them and prepare them in batches.",
            "Plans fit your tastes, your budget and your training, and get simpler as the "
            "habits settle in.",
        ],
        [("Format", "One-on-one planning sessions")],
    ),
    (
        "nutritional-counseling",
        "Nutritional counseling",
        "nutrition",
        "One-on-one guidance on what and how you eat, built around your goals, your tastes "
        "and your routine.",
        [
            "Nutritional counseling looks at how you eat today and what you want to change, "
            "then sets small, realistic steps to get there.",
            "It pairs well with training: the right food helps you recover, keep your energy "
            "up and reach your goals sooner.",
        ],
        [("Duration", "45 minutes"), ("Format", "One-on-one")],
    ),
    (
        "personal-training",
        "Personal training",
        "training",
        "Hand-tailored fitness programs designed around you: your goals, your history and "
        "your schedule.",
        [
            "Personal training starts with a conversation about your goals, your health and "
            "any injuries, then a program written for you alone.",
            "Your trainer guides every session, checks your form and adjusts the plan as you "
            "get stronger.",
        ],
        [("Duration", "60 minutes"), ("Format", "One-on-one")],
    ),
]
PLACEHOLDER_PRICE = ("Price", "Ask us for current rates")


def service_body(paragraphs):
    blocks = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
    blocks.insert(1, ("heading", {"text": "What to expect", "level": "h2"}))
    return blocks


def build_services(home):
    """/services/ and one page per service; missing pages are added, existing ones kept."""
    index, created = get_or_add_child(
        home,
        ServiceIndexPage,
        SERVICES_SLUG,
        title="Services",
        show_in_menus=True,
        intro="<p>Everything we offer at the studio, each one tailored to you.</p>",
    )
    if created and home.get_first_child().pk != index.pk:
        # The menu follows the page tree: Services comes first after Home.
        index.move(home, pos="first-child")
        index.refresh_from_db()
    services = {}
    for slug, title, picture, summary, paragraphs, details in SERVICES:
        existing = ServicePage.objects.child_of(index).filter(slug=slug).first()
        if existing:
            services[slug] = existing
            continue
        image, alt = get_or_make_picture(picture)
        page = ServicePage(
            slug=slug,
            title=title,
            summary=summary,
            image=image,
            image_alt=alt,
            body=service_body(paragraphs),
        )
        page.details = [
            ServiceDetail(label=label, value=value, sort_order=order)
            for order, (label, value) in enumerate([PLACEHOLDER_PRICE, *details])
        ]
        index.add_child(instance=page)
        services[slug] = publish(page)
    return index, services


def build_about(home, team):
    about, _ = get_or_add_child(
        home,
        AboutPage,
        ABOUT_SLUG,
        title="About",
        show_in_menus=True,
        heading="Veteran and family-owned since 2010",
        intro=studio_blurb(),
        body=[
            ("heading", {"text": "Our approach", "level": "h2"}),
            (
                "paragraph",
                RichText(
                    "<p>As a private studio, we work with you one-on-one or in small "
                    "groups, so every session is built around you: your goals, your "
                    "history and your pace.</p>"
                ),
            ),
            (
                "paragraph",
                RichText(
                    "<p>Through the EnFuse Institute for Learning, Team EnFuse also "
                    "shares practical articles on moving well, eating well and living "
                    "without pain.</p>"
                ),
            ),
        ],
        team_members=[AboutTeamMember(member=team, sort_order=0)],
    )
    return about


def build_contact(home):
    """/contact/: the contact form, last in the menu; added once, never overwritten (even
    when staff have renamed it)."""
    existing = ContactPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    contact, _ = get_or_add_child(
        home,
        ContactPage,
        CONTACT_SLUG,
        title="Contact",
        show_in_menus=True,
        intro="<p>Tell us what you would like to work on, or ask us anything. We reply within "
        "one business day, usually sooner.</p>",
    )
    return contact


def build_privacy(home):
    """/privacy/: the privacy policy, linked from the footer and the contact form; added once.

    The page states the facts itself (what the form collects, the support address, the
    retention period); the demo's own text is a neutral starting point for the studio's."""
    existing = PrivacyPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    privacy, _ = get_or_add_child(
        home,
        PrivacyPage,
        "privacy",
        title="Privacy policy",
        intro="We collect only what we need to answer you, and keep it no longer than we must.",
        body="<h2>This website</h2><p>This site sets no advertising or tracking cookies and "
        "loads nothing from other websites. A cookie is set only when you send the contact "
        "form, to protect it from forged submissions.</p><h2>Questions</h2><p>If you have a "
        "question about this policy, contact us by email or phone.</p>",
    )
    return privacy


# --- Testimonials and questions ---------------------------------------------------------------

# PLACEHOLDER testimonials, named "Sample client" and never published: they show staff the
# format in the admin, and nothing invented reaches visitors.
SAMPLE_TESTIMONIALS = [
    (
        "personal-training",
        "Sample testimonial, to be replaced with a client's own words: my program was "
        "written around my bad knee, and a year on I am stronger than I have been in a decade.",
    ),
    (
        "pilates",
        "Sample testimonial, to be replaced with a client's own words: Pilates sessions "
        "fixed the back ache I got from sitting at a desk all day.",
    ),
    (
        "deep-tissue-sports-massage",
        "Sample testimonial, to be replaced with a client's own words: the sports massage "
        "before my race made all the difference.",
    ),
]

QUESTIONS = [
    (
        "What should I bring to my first session?",
        "<p>Comfortable clothes you can move in, supportive sneakers, a water bottle and a "
        "small towel. If you have a health condition or an injury, or take medication, "
        "bring a list so your trainer can plan around it.</p>",
    ),
    (
        "Do I need to be fit to start?",
        "<p>No. Every program starts where you are today. Your first session begins with "
        "a conversation about your goals and your health, then gentle movement so we can "
        "see what suits you.</p>",
    ),
    (
        "How do I book a session?",
        "<p>Call us or send us an email (the details are at the top and bottom of every "
        "page) and we will find a time that suits you.</p>",
    ),
]


def build_testimonials(services):
    if Testimonial.objects.exists():
        return
    for order, (slug, quote) in enumerate(SAMPLE_TESTIMONIALS):
        Testimonial.objects.create(
            quote=quote, first_name="Sample client", service=services.get(slug), sort_order=order
        )


def build_questions():
    if FrequentlyAskedQuestion.objects.exists():
        return
    for order, (question, answer) in enumerate(QUESTIONS):
        FrequentlyAskedQuestion.objects.create(question=question, answer=answer, sort_order=order)
