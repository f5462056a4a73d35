"""StreamField blocks for article bodies."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading inside an article; level 2 for sections, 3 for sub-sections."""

    text = blocks.CharBlock(max_length=120, help_text="A short title for the section.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Sub-section (H3)")],
        default="h2",
        help_text="Use a sub-section only inside a section, so screen readers can follow.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Proper Walking Form", "level": "h2"}
        description = "A heading that starts a new section of the article."


class FigureBlock(blocks.StructBlock):
    """An image with alt text and an optional visible caption."""

    image = ImageBlock(
        help_text="Alt text describes the image for someone who cannot see it "
        "(e.g. 'A woman sitting upright at a desk with her feet flat on the floor')."
    )
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text="Shown under the image for every reader."
    )

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        description = "An image with its alt text and caption."


class PullQuoteBlock(blocks.StructBlock):
    """A sentence lifted out of the text to catch the reader's eye."""

    quote = blocks.TextBlock(
        max_length=400,
        help_text="One sentence from the article worth repeating, e.g. 'Exercise is a "
        "natural pain killer.' No quotation marks needed.",
    )
    attribution = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Optional: who said it, e.g. 'Dr. Jane Smith, physical therapist'.",
    )

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote_block.html"
        preview_value = {"quote": "Exercise is considered a natural pain killer."}
        description = "A short quote set apart from the text."


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: a safety warning, a tip or a key takeaway."""

    tone = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("warning", "Warning"), ("note", "Note")],
        default="note",
        help_text="Warning for safety (e.g. stop if it hurts), Tip for practical advice, "
        "Note for anything else worth remembering.",
    )
    title = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Optional short heading, e.g. 'Check with your doctor first'.",
    )
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link"], help_text="One to three sentences."
    )

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {
            "tone": "warning",
            "title": "Stop if it hurts",
            "text": "<p>If you feel numbness or tingling, stop and consult your doctor.</p>",
        }
        description = "A highlighted tip, note or warning."


class ExternalResourceBlock(blocks.StructBlock):
    """A link to a trustworthy resource on another site, e.g. a Spine-Health article."""

    title = blocks.CharBlock(max_length=200, help_text="The resource's own title.")
    url = blocks.URLBlock(help_text="The full address, starting with https://")
    source = blocks.CharBlock(max_length=100, help_text="Who publishes it, e.g. Spine-Health.com.")
    introduction = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Why we recommend it, e.g. 'For more on the benefits of walking for the spine'.",
    )

    class Meta:
        icon = "link-external"
        template = "blocks/external_resource_block.html"
        preview_value = {
            "title": "Exercise Walking for Better Back Health",
            "url": "https://www.spine-health.com/",
            "source": "Spine-Health.com",
        }
        description = "A recommended reading on another website."


class ArticleBodyBlock(blocks.StreamBlock):
    """Everything an article's body may hold."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Walking is a simple exercise that almost anyone can perform.</p>",
        description="A paragraph of text.",
        help_text="Short paragraphs of two to four sentences read best on a phone.",
    )
    figure = FigureBlock()
    pull_quote = PullQuoteBlock()
    callout = CalloutBlock()
    external_resource = ExternalResourceBlock()
