"""Demo content for the Institute for Learning, built from the client's real article.

The article text is the client's own words: it is read from the captured page in
``demo_content/`` and carried over unchanged, split into blocks as the original page shows it.
"""

import datetime
import io
import random
import uuid
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from enfuse import internals

from .models import ArticlePage, CategoryPage, LearningIndexPage, Series, SeriesPart

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
SOURCE_FILE = CONTENT_DIR / "walking-lower-back-and-joints.txt"

ARTICLE_TITLE = "Walking to Improve the Health of your Lower Back and Joints"
ARTICLE_SLUG = "walking-to-improve-the-health-of-your-lower-back-and-joints"
INDEX_TITLE = "EnFuse Institute for Learning"
INDEX_SLUG = "institute-for-learning"
CATEGORY_TITLE = "Health & Wellness"
CATEGORY_SLUG = "health-wellness"
SERIES_TITLE = "Walking for health"
NEXT_PART_TITLE = "Walking for bone health, mood and cardiovascular health"
SYNTHETIC_SLUG_PREFIX = "sample-article-"
SYNTHETIC_CATEGORIES = [
    ("Nutrition", "nutrition"),
    ("Movement & Mobility", "movement-mobility"),
    ("Recovery", "recovery"),
]

SECTION_HEADINGS = {"Lower Back Pain", "Joint Health", "Proper Walking Form"}
SUBSECTION_HEADINGS = {"Head and Shoulders", "Abdominal muscles", "Arms and Hands"}
SPINE_HEALTH_URL = (
    "https://www.spine-health.com/wellness/exercise/exercise-walking-better-back-health"
)
SAFETY_WARNING_START = "If you begin to experience numbness"
SUPPORT_EMAIL = "support@EnFuseFitness.com"

# The four figures of the original page: caption, the stand-in's alt text, and how to draw it.
FIGURES = {
    "Proper Sitting Posture": (
        "Illustration of a person sitting upright on a chair, back straight against the "
        "backrest, shoulders relaxed and both feet flat on the floor.",
        "sitting",
    ),
    "Lower Back Pain": (
        "Illustration of a standing person seen from the side, with the lower back "
        "highlighted in red where pain is felt.",
        "back",
    ),
    "Typical Joint": (
        "Diagram of a knee joint: two bones meeting, their ends capped with cartilage and "
        "surrounded by synovial fluid inside the joint capsule.",
        "joint",
    ),
    "Proper Walking Form": (
        "Illustration of a person walking upright, head centered over the shoulders, elbows "
        "bent at about 90 degrees and the front foot landing heel first.",
        "walking",
    ),
}
HERO_ALT = "Illustration of a person walking outdoors with good posture, arms swinging and head up."


def article_lines():
    """The article's paragraphs and captions, in order: title, furniture and footer removed."""
    text = SOURCE_FILE.read_text(encoding="utf-8")
    start = text.index("Walking is a simple exercise")
    end = text.index("Team EnFuse", start) + len("Team EnFuse")
    return [line.strip() for line in text[start:end].splitlines() if line.strip()]


def medical_disclaimer_text():
    """The disclaimer exactly as the client's page words it."""
    text = SOURCE_FILE.read_text(encoding="utf-8")
    start = text.index("THIS SITE DOES NOT PROVIDE MEDICAL ADVICE")
    return text[start:].split("\n", 1)[0].strip()


def studio_blurb():
    text = SOURCE_FILE.read_text(encoding="utf-8")
    start = text.index("EnFuse Fitness, located in Enfield")
    return text[start:].split("\n", 1)[0].strip()


def paragraph(text):
    return ("paragraph", RichText(f"<p>{escape(text)}</p>"))


def article_body(images):
    """Split the article into StreamField blocks the way the original page lays it out.

    Captions survive in the capture as stray lines, sometimes glued to the next paragraph
    ("Lower Back PainWalking is ..."): each becomes a figure followed by its paragraph. A
    caption that is also a section title appears first as the heading, then as the figure.
    """
    blocks = []
    headings_seen = set()
    for line in article_lines():
        if line in SECTION_HEADINGS and line not in headings_seen:
            headings_seen.add(line)
            blocks.append(("heading", {"text": line, "level": "h2"}))
            continue
        if line in SUBSECTION_HEADINGS:
            blocks.append(("heading", {"text": line, "level": "h3"}))
            continue
        caption = next((c for c in FIGURES if line == c or line.startswith(c + "Walking")), None)
        if caption:
            blocks.append(("figure", figure_value(images[caption], caption)))
            line = line[len(caption) :]
            if not line:
                continue
        if line.startswith("For more on the benefits of walking for the spine"):
            blocks.append(
                (
                    "external_resource",
                    {
                        "introduction": "For more on the benefits of walking for the spine",
                        "title": "Exercise Walking for Better Back Health",
                        "url": SPINE_HEALTH_URL,
                        "source": "Spine-Health.com",
                    },
                )
            )
        elif line.startswith(SAFETY_WARNING_START):
            blocks.append(
                (
                    "callout",
                    {"tone": "warning", "title": "", "text": RichText(f"<p>{escape(line)}</p>")},
                )
            )
        elif line.endswith(SUPPORT_EMAIL):
            before = escape(line[: -len(SUPPORT_EMAIL)])
            link = f'<a href="mailto:{SUPPORT_EMAIL}">{SUPPORT_EMAIL}</a>'
            blocks.append(("paragraph", RichText(f"<p>{before}{link}</p>")))
        elif line == "In Health,":
            blocks.append(("paragraph", RichText("<p>In Health,<br/>Team EnFuse</p>")))
        elif line == "Team EnFuse":
            continue
        else:
            blocks.append(paragraph(line))
    return blocks


def figure_value(image, caption):
    return {
        "image": {"image": image, "alt_text": FIGURES[caption][0], "decorative": False},
        "caption": caption,
    }


def draw_stand_in(kind, title, size=(1600, 900)):
    """A simple flat illustration standing in for one of the client's lost figures."""
    width, height = size
    canvas = PILImage.new("RGB", size, (232, 243, 240))
    draw = ImageDraw.Draw(canvas)
    ink, accent, skin = (0, 90, 78), (179, 71, 0), (70, 70, 70)
    draw.rectangle([0, height * 0.82, width, height], fill=(205, 225, 219))
    cx, floor = width // 2, int(height * 0.82)
    if kind == "sitting":
        draw.rectangle([cx - 40, floor - 330, cx - 20, floor], fill=ink)  # backrest
        draw.rectangle([cx - 40, floor - 160, cx + 180, floor - 140], fill=ink)  # seat
        draw.line([cx + 170, floor - 140, cx + 170, floor], fill=ink, width=18)
        draw.ellipse([cx - 20, floor - 520, cx + 80, floor - 420], fill=skin)
        draw.line([cx + 30, floor - 420, cx + 20, floor - 160], fill=skin, width=28)
        draw.line([cx + 20, floor - 160, cx + 200, floor - 160], fill=skin, width=28)
        draw.line([cx + 200, floor - 160, cx + 200, floor], fill=skin, width=28)
        draw.line([cx + 30, floor - 360, cx + 150, floor - 250], fill=skin, width=22)
    elif kind == "back":
        draw.ellipse([cx - 50, floor - 640, cx + 50, floor - 540], fill=skin)
        draw.line([cx, floor - 540, cx - 10, floor - 260], fill=skin, width=34)
        draw.ellipse([cx - 60, floor - 360, cx + 40, floor - 260], outline=accent, width=12)
        draw.line([cx - 10, floor - 260, cx - 60, floor], fill=skin, width=30)
        draw.line([cx - 10, floor - 260, cx + 50, floor], fill=skin, width=30)
        draw.line([cx, floor - 500, cx + 90, floor - 330], fill=skin, width=24)
    elif kind == "joint":
        draw.rounded_rectangle([cx - 90, 60, cx + 90, height // 2 - 30], 60, fill=(250, 250, 245))
        draw.rounded_rectangle(
            [cx - 90, height // 2 + 30, cx + 90, height - 60], 60, fill=(250, 250, 245)
        )
        draw.ellipse(
            [cx - 200, height // 2 - 140, cx + 200, height // 2 + 140], outline=ink, width=8
        )
        draw.rectangle([cx - 90, height // 2 - 50, cx + 90, height // 2 - 30], fill=(120, 170, 220))
        draw.rectangle([cx - 90, height // 2 + 30, cx + 90, height // 2 + 50], fill=(120, 170, 220))
    else:  # walking
        draw.ellipse([cx - 50, floor - 660, cx + 50, floor - 560], fill=skin)
        draw.line([cx, floor - 560, cx, floor - 280], fill=skin, width=34)
        draw.line([cx, floor - 280, cx - 130, floor], fill=skin, width=30)
        draw.line([cx, floor - 280, cx + 150, floor - 10], fill=skin, width=30)
        draw.line([cx, floor - 500, cx - 90, floor - 400], fill=skin, width=22)
        draw.line([cx - 90, floor - 400, cx - 20, floor - 330], fill=skin, width=22)
        draw.line([cx, floor - 500, cx + 90, floor - 420], fill=skin, width=22)
        draw.line([cx + 90, floor - 420, cx + 160, floor - 500], fill=skin, width=22)
    font = ImageFont.load_default(size=56)
    draw.text((60, 50), title, fill=ink, font=font)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def get_or_make_image(title, kind, description, collection=None):
    """The stand-in image with this title, drawn and stored the first time only."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw_stand_in(kind, title)
    filename = f"{kind}-{uuid.uuid4().hex[:8]}.jpg"
    image = image_model(title=title, description=description)
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def publish(page):
    page.save_revision().publish()
    return page


def get_or_add_child(parent, page_class, slug, **fields):
    """The live child with this slug, created and published when missing (never overwritten)."""
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    publish(page)
    return page, True


def build_learning_section(home, author):
    """Index, Health & Wellness, the client's article and its series. Safe to run again."""
    index, _ = get_or_add_child(
        home,
        LearningIndexPage,
        INDEX_SLUG,
        title=INDEX_TITLE,
        show_in_menus=True,
        intro=(
            "<p>Practical, evidence-informed articles from Team EnFuse on moving well, "
            "eating well and living without pain.</p>"
        ),
    )
    category, _ = get_or_add_child(
        index,
        CategoryPage,
        CATEGORY_SLUG,
        title=CATEGORY_TITLE,
        intro="<p>Everyday habits that keep your back, joints and heart healthy.</p>",
    )
    images = {
        caption: get_or_make_image(caption, kind, alt) for caption, (alt, kind) in FIGURES.items()
    }
    hero = get_or_make_image("Walking outdoors", "walking", HERO_ALT)
    article, created = get_or_add_child(
        category,
        ArticlePage,
        ARTICLE_SLUG,
        title=ARTICLE_TITLE,
        summary=article_lines()[0],
        hero_image=hero,
        hero_image_alt=HERO_ALT,
        body=article_body(images),
        author=author,
        # The client's page names no review and no publication date: none is invented here.
        published_date=datetime.date.today(),
        show_date=False,
    )
    if created:
        article.tags.add("walking", "back pain", "joint health", "posture")
        publish(article)
    series, series_created = Series.objects.get_or_create(
        title=SERIES_TITLE,
        defaults={
            "description": "How a daily walk helps your back, joints, bones, mood and heart."
        },
    )
    if series_created:
        SeriesPart.objects.create(series=series, article=article, sort_order=0)
        SeriesPart.objects.create(series=series, planned_title=NEXT_PART_TITLE, sort_order=1)
    return index, category, article


SYNTHETIC_WORDS = [
    "walking",
    "posture",
    "core",
    "strength",
    "mobility",
    "recovery",
    "sleep",
    "hydration",
    "protein",
    "stretching",
    "balance",
    "breathing",
    "pilates",
    "yoga",
    "massage",
    "flexibility",
    "endurance",
    "joints",
    "spine",
    "habits",
]


def add_synthetic_articles(index, count, author):
    """Make sure ``count`` synthetic articles exist, spread over a few categories."""
    existing = ArticlePage.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).count()
    if existing >= count:
        return 0
    categories = []
    for title, slug in SYNTHETIC_CATEGORIES:
        category, _ = get_or_add_child(index, CategoryPage, slug, title=title)
        categories.append(category)
    rng = random.Random(2010)
    hero = get_image_model().objects.filter(title="Walking outdoors").first()
    tags = {
        word: Tag.objects.get_or_create(name=word, defaults={"slug": word})[0]
        for word in SYNTHETIC_WORDS
    }
    now = timezone.now()
    new_pages = {category.pk: [] for category in categories}
    for number in range(existing + 1, count + 1):
        words = rng.sample(SYNTHETIC_WORDS, 6)
        category = categories[number % len(categories)]
        page = ArticlePage(
            title=f"Sample article {number}: {words[0]} and {words[1]}",
            slug=f"{SYNTHETIC_SLUG_PREFIX}{number}",
            summary=f"A sample article about {words[0]}, {words[1]} and {words[2]}.",
            body=[
                ("heading", {"text": f"Why {words[0]} matters", "level": "h2"}),
                paragraph(" ".join(rng.choice(SYNTHETIC_WORDS) for _ in range(120)).capitalize()),
                paragraph(" ".join(rng.choice(SYNTHETIC_WORDS) for _ in range(120)).capitalize()),
            ],
            author=author,
            hero_image=hero,
            hero_image_alt=HERO_ALT if hero else "",
            published_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number % 2000),
            last_reviewed=datetime.date.today(),
            # Saved live in one go, without a revision: thousands are made for benchmarks.
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        page.tags.add(tags[words[3]], tags[words[4]])
        new_pages[category.pk].append(page)
    for category in categories:
        add_articles_in_bulk(category, new_pages[category.pk])
    return count - existing


def add_articles_in_bulk(category, pages, batch_size=500):
    """Add live ``pages`` (unsaved ArticlePages) below ``category`` in a few queries per batch.

    Page.add_child saves one page at a time (several queries each, plus signals and tasks);
    benchmarks and the query count tests need thousands. The tree stays valid: paths, depth,
    URL paths and the parent's child count are set as treebeard and Wagtail set them. The pages
    are added to both search indexes here, and the content version is moved on and the whole
    front cache banned in the same transaction (the raw inserts send no signals).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from enfuse.caching.changes import site_changed

    from . import search_index
    from .models import ArticlePageTag

    if not pages:
        return []
    content_type = ContentType.objects.get_for_model(ArticlePage)
    last_child = category.get_last_child()
    start = internals.path_position(last_child.path) + 1 if last_child else 1
    depth = category.depth + 1
    base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    own_fields = ArticlePage._meta.local_concrete_fields
    with transaction.atomic():
        for offset in range(0, len(pages), batch_size):
            batch = pages[offset : offset + batch_size]
            for position, page in enumerate(batch, start=start + offset):
                page.path = internals.child_path(category.path, depth, position)
                page.depth = depth
                page.numchild = 0
                page.url_path = f"{category.url_path}{page.slug}/"
                page.locale_id = category.locale_id
                page.content_type = content_type
                page.draft_title = page.title
                page.reading_minutes = page.compute_reading_minutes()
                # For the search index's category title.
                internals.set_cached_parent(page, category)
            rows = Page.objects.bulk_create(
                Page(**{field.attname: getattr(page, field.attname) for field in base_fields})
                for page in batch
            )
            for page, row in zip(batch, rows, strict=True):
                page.id = page.page_ptr_id = row.pk
            # Django's bulk_create refuses multi-table models; this is the insert it runs.
            internals.insert_rows(ArticlePage, batch, own_fields)
            ArticlePageTag.objects.bulk_create(
                ArticlePageTag(content_object_id=page.pk, tag_id=item.tag_id)
                for page in batch
                for item in page.tagged_items.all()
            )
            get_search_backend().add_bulk(ArticlePage, batch)
            search_index.index_articles(batch)
        Page.objects.filter(pk=category.pk).update(numchild=F("numchild") + len(pages))
        category.numchild += len(pages)
        site_changed()
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows how many articles there now are.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailcore_page, articles_articlepage")
    return pages
