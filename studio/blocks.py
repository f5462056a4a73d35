"""StreamField blocks for the studio's pages: home, services and about."""

from wagtail import blocks

from articles.blocks import FigureBlock, HeadingBlock


class SectionHeadingBlock(HeadingBlock):
    """A heading that starts a new section of a studio page (an article's heading block)."""

    class Meta:
        preview_value = {"text": "What to expect at your first session", "level": "h2"}
        description = "A heading that starts a new section."


class PictureBlock(FigureBlock):
    """A photo with its alt text and an optional visible caption (an article's figure block)."""

    class Meta:
        description = "A photo with its alt text and caption."


class CallToActionBlock(blocks.StructBlock):
    """A highlighted invitation to act, e.g. to book a first session.

    The button goes to the chosen page or address; with neither, to the contact page (or an
    email to the studio while there is no contact page).
    """

    heading = blocks.CharBlock(max_length=120, help_text="e.g. 'Ready for your first session?'")
    text = blocks.TextBlock(
        required=False, max_length=400, help_text="One or two sentences under the heading."
    )
    button_label = blocks.CharBlock(
        max_length=60, default="Contact our team", help_text="Say what happens, e.g. 'Book a call'."
    )
    page = blocks.PageChooserBlock(
        required=False, help_text="Where the button goes. Leave empty to open the contact page."
    )
    url = blocks.URLBlock(
        required=False, help_text="Or an address on another site, starting with https://"
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        preview_value = {
            "heading": "Ready for your first session?",
            "text": "Tell us what you would like to work on and we will suggest a plan.",
            "button_label": "Contact our team",
        }
        description = "A highlighted box with a button inviting readers to get in touch."


class StudioStreamBlock(blocks.StreamBlock):
    """Everything the body of a home, service or about page may hold."""

    heading = SectionHeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Every program starts with a conversation about your goals.</p>",
        description="A paragraph of text.",
        help_text="Short paragraphs of two to four sentences read best on a phone.",
    )
    picture = PictureBlock()
    call_to_action = CallToActionBlock()
