"""schema.org JSON-LD for an article: headline, author, dates, publisher and health review."""

from enfuse.structured_data import site_root_url


def team_member_data(member):
    """A team member as a Person; the team as a whole ("Team EnFuse") as an Organization."""
    kind = "Organization" if member.name.lower().startswith("team ") else "Person"
    return {"@type": kind, "name": member.name}


def article_data(article, request, studio, image_url=None):
    """The article as a schema.org Article, published by the studio."""
    root = site_root_url(request)
    modified = article.last_published_at.date() if article.last_published_at else None
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "mainEntityOfPage": article.get_full_url(request),
        "headline": article.title,
        "description": article.search_description or article.summary,
        "publisher": {"@type": "Organization", "@id": root + "#studio", "name": studio.name},
        "inLanguage": "en-US",
    }
    if article.show_date:
        data["datePublished"] = article.published_date.isoformat()
    if modified or article.show_date:
        data["dateModified"] = (modified or article.published_date).isoformat()
    if image_url:
        data["image"] = image_url
    if article.author is not None:
        data["author"] = team_member_data(article.author)
    if article.has_review:
        data["reviewedBy"] = team_member_data(article.reviewed_by)
        data["lastReviewed"] = article.last_reviewed.isoformat()
    return data
