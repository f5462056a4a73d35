"""{% preset_picture %}: Wagtail's <picture> of an image, at the sizes one preset names."""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from enfuse import images

register = template.Library()


@register.simple_tag
def preset_picture(image, preset, **attrs):
    """The same <picture> as ``{% picture image <the preset's specs> attrs... %}``, from the
    preset's filters made once per process (enfuse.images.filters says why); "" with no image.

        {% preset_picture page.hero_image "hero" sizes="100vw" alt=page.hero_image_alt %}
    """
    if not image:
        return ""
    return Picture(get_renditions_or_not_found(image, images.filters(preset)), attrs)
