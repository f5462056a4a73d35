"""The image library's upload and edit form, used through WAGTAILIMAGES_IMAGE_FORM_BASE.

Kept apart from the page forms: Wagtail's image forms cannot be imported while models load.
"""

from wagtail.images.forms import BaseImageForm

DESCRIPTION_HELP = (
    "Describe the image for someone who cannot see it, in a sentence: what it shows that "
    "matters, e.g. 'A trainer steadying a client's balance on a Pilates reformer'. Used as "
    "the image's alt text wherever a page does not give its own."
)


class ImageForm(BaseImageForm):
    """Every image needs a description: it is the default alt text for screen readers.

    With the multiple uploader, a file sent without one is held until its description is
    filled in (Wagtail keeps it as an UploadedFile and shows the form again).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = "Description (alt text)"
            field.help_text = DESCRIPTION_HELP
        if "title" in self.fields:
            self.fields[
                "title"
            ].help_text = "A name to find the image by in the library; visitors do not see it."
