"""``{% keep %}``: HTML kept per content version (enfuse/caching/fragments.py)."""

from django import template

from ..fragments import keep

register = template.Library()
register.tag("keep", keep)
