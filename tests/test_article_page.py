"""What a reader sees on an article: meta, reading time, review, series, related, sharing."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from articles.models import ArticlePage, RelatedArticle, Series, SeriesPart
from tests.support import ARTICLE_URL, add_article


def test_article_shows_author_date_reading_time_and_disclaimer(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    article = demo_site["article"]
    assert "By Team EnFuse" in html
    assert f"{article.reading_minutes} min read" in html
    assert "THIS SITE DOES NOT PROVIDE MEDICAL ADVICE" in html
    assert 'fetchpriority="high"' in html
    assert 'alt="Illustration of a person walking outdoors' in html


def test_reading_time_is_computed_from_the_body_when_saved(demo_site):
    category = demo_site["category"]
    short = add_article(category, "Short read")
    assert short.reading_minutes == 1
    long_text = " ".join(["word"] * 1001)
    short.body = [("paragraph", RichText(f"<p>{long_text}</p>"))]
    short.save_revision().publish()
    short.refresh_from_db()
    assert short.reading_minutes == 6  # 1,001 words at 200 a minute, rounded up
    # The client's article has about 1,100 words.
    assert demo_site["article"].reading_minutes == 6


def test_review_older_than_a_year_is_flagged(demo_site):
    article = demo_site["article"]
    article.last_reviewed = datetime.date.today() - datetime.timedelta(days=30)
    assert not article.review_overdue
    article.last_reviewed = datetime.date.today() - datetime.timedelta(days=400)
    assert article.review_overdue
    article.last_reviewed = None
    assert article.review_overdue


def test_stale_reviews_are_listed_on_the_admin_dashboard(demo_site, admin_client):
    article = demo_site["article"]
    article.last_reviewed = datetime.date(2020, 5, 1)
    article.save_revision().publish()
    html = admin_client.get("/admin/").content.decode()
    assert "Articles due for a health review" in html
    assert article.title in html
    assert "May 1, 2020" in html


def test_the_demo_claims_no_review_and_no_date(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    header = html.split('<header class="article-header">')[1].split("</header>")[0]
    assert "reviewed" not in html.lower()
    assert "<time" not in header
    assert "article:published_time" not in html


def test_a_review_is_shown_only_with_both_a_reviewer_and_a_date(demo_site, client):
    article = demo_site["article"]
    article.reviewed_by = article.author
    article.save_revision().publish()
    assert "reviewed" not in client.get(ARTICLE_URL).content.decode().lower()
    article.last_reviewed = datetime.date(2026, 11, 2)
    article.save_revision().publish()
    html = client.get(ARTICLE_URL).content.decode()
    assert "Health content reviewed by Team EnFuse on" in html
    assert '<time datetime="2026-11-02">November 2, 2026</time>' in html


def test_a_date_staff_choose_to_show_is_shown_in_us_format(demo_site, client):
    article = demo_site["article"]
    article.published_date = datetime.date(2017, 3, 9)
    article.show_date = True
    article.save_revision().publish()
    html = client.get(ARTICLE_URL).content.decode()
    assert '<time datetime="2017-03-09">March 9, 2017</time>' in html


def test_series_shows_part_number_and_announces_the_unwritten_part(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    assert "Part 1 of 2 in the series “Walking for health”" in html
    assert "Walking for bone health, mood and cardiovascular health <em>(coming soon)</em>" in html
    assert 'rel="next"' not in html


def test_series_links_the_next_part_once_it_is_published(demo_site, client):
    part_two = add_article(demo_site["category"], "Walking for bone health")
    planned = SeriesPart.objects.get(article__isnull=True)
    planned.article = part_two
    planned.save()
    first = client.get(ARTICLE_URL).content.decode()
    assert f'href="{part_two.url}" rel="next"' in first
    second = client.get(part_two.url).content.decode()
    assert "Part 2 of 2" in second
    assert f'href="{demo_site["article"].url}" rel="prev"' in second


def test_an_unpublished_part_is_announced_not_linked(demo_site, client):
    draft = add_article(demo_site["category"], "Draft part")
    draft.unpublish()
    planned = SeriesPart.objects.get(article__isnull=True)
    planned.article = draft
    planned.save()
    html = client.get(ARTICLE_URL).content.decode()
    assert draft.url_path not in html
    assert "coming soon" in html


def test_an_article_belongs_to_one_series_only(demo_site):
    other = Series.objects.create(title="Another series")
    part = SeriesPart(series=other, article=demo_site["article"], sort_order=0)
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, raised by the database
        part.save()


def test_related_articles_fall_back_to_the_latest_in_the_category(demo_site, client):
    category = demo_site["category"]
    older = add_article(category, "Older neighbour", published=datetime.date(2020, 1, 1))
    newer = add_article(category, "Newer neighbour", published=datetime.date(2025, 1, 1))
    html = client.get(ARTICLE_URL).content.decode()
    related = html[html.index('id="related-heading"') :]
    assert related.index("Newer neighbour") < related.index("Older neighbour")
    assert newer.url in related and older.url in related


def test_related_articles_chosen_by_staff_win(demo_site, client):
    category = demo_site["category"]
    add_article(category, "Latest but not chosen", published=datetime.date(2025, 6, 1))
    chosen = add_article(category, "Chosen by staff", published=datetime.date(2019, 1, 1))
    article = demo_site["article"]
    RelatedArticle.objects.create(page=article, related_page=chosen, sort_order=0)
    html = client.get(ARTICLE_URL).content.decode()
    related = html[html.index('id="related-heading"') :]
    assert "Chosen by staff" in related
    assert "Latest but not chosen" not in related


def related_section(client, url):
    html = client.get(url).content.decode()
    return html[html.index('id="related-heading"') :] if 'id="related-heading"' in html else ""


def test_chosen_related_articles_keep_the_staff_order_once_each_and_live_only(demo_site, client):
    category = demo_site["category"]
    add_article(category, "Latest but not chosen", published=datetime.date(2025, 6, 1))
    first = add_article(category, "First choice", published=datetime.date(2018, 1, 1))
    second = add_article(category, "Second choice", published=datetime.date(2024, 1, 1))
    draft = add_article(category, "Unpublished choice", published=datetime.date(2024, 2, 1))
    draft.unpublish()
    article = demo_site["article"]
    for order, chosen in enumerate([first, draft, second, first]):
        RelatedArticle.objects.create(page=article, related_page=chosen, sort_order=order)
    related = related_section(client, ARTICLE_URL)
    assert related.index("First choice") < related.index("Second choice")
    assert related.count(f'href="{first.url}"') == 1
    assert "Unpublished choice" not in related
    assert "Latest but not chosen" not in related


def test_choices_that_are_all_unpublished_show_no_related_articles(demo_site, client):
    # Staff chose: the category's latest do not stand in for choices taken offline.
    category = demo_site["category"]
    add_article(category, "Latest in the category", published=datetime.date(2025, 6, 1))
    draft = add_article(category, "Taken offline", published=datetime.date(2024, 2, 1))
    draft.unpublish()
    RelatedArticle.objects.create(page=demo_site["article"], related_page=draft, sort_order=0)
    assert related_section(client, ARTICLE_URL) == ""


def test_the_latest_article_of_a_category_is_not_its_own_related_article(demo_site, client):
    category = demo_site["category"]
    older = add_article(category, "Older neighbour", published=datetime.date(2020, 1, 1))
    newest = add_article(category, "Newest of all", published=datetime.date(2025, 1, 1))
    related = related_section(client, newest.url)
    assert newest.url not in related
    assert older.url in related and demo_site["article"].url in related
    # The same kept list of the category's latest serves its other articles.
    assert newest.url in related_section(client, older.url)


def test_share_links_are_plain_links_with_the_article_url(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    # Structured data only: no third-party (or any) script runs on the page.
    assert scripts and all('type="application/ld+json"' in tag for tag in scripts)
    full_url = demo_site["article"].full_url
    for host in ("www.facebook.com", "x.com", "www.linkedin.com"):
        start = html.index(f'href="https://{host}/')
        href = html[start + 6 : html.index('"', start + 6)].replace("&amp;", "&")
        params = parse_qs(urlsplit(href).query)
        assert full_url in (params.get("u") or params.get("url")), host
    assert "mailto:?subject=Walking%20to%20Improve" in html


def test_tags_link_to_the_filtered_listing(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    assert 'href="/institute-for-learning/?tag=walking"' in html
    listing = client.get("/institute-for-learning/?tag=walking").content.decode()
    assert demo_site["article"].title in listing


def test_tags_show_in_the_order_they_were_added_whatever_their_characters(demo_site, client):
    names = ['zinc, "iron" & [salt]', "Ärzte", "a\\b"]
    article = add_article(demo_site["category"], "Minerals", tags=names)
    page = client.get(article.url).content.decode()
    topics = page.split('id="tags-heading"')[1].split("</section>")[0]
    shown = re.findall(r"Articles tagged (.*?)</a>", topics)
    assert shown == ["zinc, &quot;iron&quot; &amp; [salt]", "Ärzte", "a\\b"]
    untagged = add_article(demo_site["category"], "No topics")
    assert 'id="tags-heading"' not in client.get(untagged.url).content.decode()


def test_hero_image_needs_alt_text(demo_site):
    article = ArticlePage.objects.get(pk=demo_site["article"].pk)
    article.hero_image_alt = "  "
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "hero_image_alt" in error.value.message_dict
