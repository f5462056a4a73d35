"""``{% keep %}`` and ``{% keep_furniture %}``: HTML kept per version (caching/fragments.py)."""

from django import template

from ..fragments import keep, keep_furniture

register = template.Library()
register.tag("keep", keep)
register.tag("keep_furniture", keep_furniture)
