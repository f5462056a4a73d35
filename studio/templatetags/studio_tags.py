"""Template tags for the studio's site-wide furniture: navigation."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    """Home, then the home page's live children marked "show in menus", in tree order.

    Staff choose the sections (Services, Institute for Learning, About, Contact) with the
    page's "Show in menus" box, so the menu never links to a page that does not exist.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    root = site.root_page
    current_path = request.path
    items = [{"label": "Home", "url": "/", "current": current_path == "/"}]
    for page in root.get_children().live().public().in_menu().only("title", "url_path"):
        url = page.get_url(request=request)
        items.append({"label": page.title, "url": url, "current": current_path.startswith(url)})
    return {"items": items}
