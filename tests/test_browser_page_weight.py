"""Page weight on a phone: what Chromium actually receives for a page, everything included
(HTML, CSS, fonts, scripts, images at phone size, lazy ones too after scrolling to the end),
stays within budget: 100 KB for an article, 200 KB for the home page.

The bytes are those the browser's network layer received (Chrome's encodedDataLength: headers
and bodies, compressed when the server compresses). The live test server does not compress,
so the figures here are an upper bound of what production (gzip through WhiteNoise) sends.
"""

import pytest

from tests.support import ARTICLE_URL

pytestmark = pytest.mark.browser

KB = 1024
# The stylesheets, uncompressed: production sends them gzipped (a third of this), hashed and
# cached for ever (tests/test_production_static.py), so they need no minifier while small.
CSS_BUDGET_KB = 16


class ReceivedBytes:
    """Sums Chrome's Network.loadingFinished encodedDataLength per URL for one tab."""

    def __init__(self, page):
        self.by_url = {}
        self.types = {}
        self._urls = {}
        session = page.context.new_cdp_session(page)
        session.on("Network.responseReceived", self._on_response)
        session.on("Network.loadingFinished", self._on_finished)
        session.send("Network.enable")
        # A first visit: nothing comes from the browser's cache.
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _on_response(self, event):
        self._urls[event["requestId"]] = event["response"]["url"]
        self.types[event["response"]["url"]] = event["type"]

    def _on_finished(self, event):
        url = self._urls.get(event["requestId"], event["requestId"])
        self.by_url[url] = self.by_url.get(url, 0) + event["encodedDataLength"]

    @property
    def total(self):
        return sum(self.by_url.values())

    def report(self):
        return "\n".join(
            f"{size / KB:7.1f} KB  {url}"
            for url, size in sorted(self.by_url.items(), key=lambda item: -item[1])
        )


def load_and_scroll_to_the_end(tab, path):
    page = tab.page
    received = ReceivedBytes(page)
    tab.goto(path)
    page.wait_for_load_state("networkidle")
    # Scroll a screen at a time, as a reader would, so every lazy image comes into view.
    height = page.evaluate("() => document.documentElement.scrollHeight")
    for top in range(0, height + 812, 400):
        page.evaluate(f"() => window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    lazy_left = page.evaluate(
        "() => Array.from(document.images).filter(img => !img.complete).length"
    )
    assert lazy_left == 0, "some images had not loaded after scrolling to the end"
    return received


@pytest.mark.parametrize("viewport", ["phone"])
@pytest.mark.parametrize(
    ("path", "budget_kb"), [(ARTICLE_URL, 100), ("/", 200)], ids=["article", "home"]
)
def test_a_page_on_a_phone_stays_within_its_weight_budget(tab, path, budget_kb):
    received = load_and_scroll_to_the_end(tab, path)
    # The count saw the page itself, its stylesheet and its images.
    urls = list(received.by_url)
    assert any(url.endswith(path) for url in urls)
    assert any(".css" in url for url in urls)
    assert any("/media/images/" in url for url in urls)
    assert received.total <= budget_kb * KB, (
        f"{path} weighs {received.total / KB:.1f} KB on a phone, over its {budget_kb} KB "
        f"budget:\n{received.report()}"
    )
    css = sum(size for url, size in received.by_url.items() if ".css" in url)
    assert css <= CSS_BUDGET_KB * KB, f"stylesheets weigh {css / KB:.1f} KB"
    # System fonts, and no script on pages that need none (only the contact form has one).
    assert {"Document", "Stylesheet", "Image"} <= set(received.types.values())
    assert [url for url, kind in received.types.items() if kind in ("Font", "Script")] == []
    tab.assert_clean()
