"""Every kind of page, in a real browser at phone and desktop widths: no sideways scrolling, and
axe-core's WCAG 2.0/2.1 A and AA and 2.2 AA rules find nothing.

axe-core comes from the npm registry (`tests/npm/package.json`, installed by `make test` with
`npm ci`); it is put into the test browser's page through the DevTools protocol, which the
pages' Content-Security-Policy does not govern, and is never served to readers. Without it (or
without Chromium) these tests skip; in CI (`CI` set) they fail instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rivm_graph.rdf.namespaces import KINDS
from tests.conftest import browser_page
from tests.system_programs import require_tool

AXE = Path(__file__).parent / "npm" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules axe groups under these tags: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONES = [320, 390]
DESKTOP = 1280

#: One resource of every kind (tests/test_accessibility.py checks that none is missing).
RESOURCES = {
    "city": "clermont-ferrand",
    "claim": "2024-anderson-agenda-new-cities",
    "commitment": "queretaro-2022-1",
    "conference": "2022-queretaro",  # its claim and a link flagged unconfirmed (issue 17)
    "country": "fr",
    "declaration": "queretaro-2022",
    "event": "2017-04-braga-visit",
    "figure": "2017-clermont-ferrand-cities-agence-c3m",
    "geometry": "aberdeen",
    "membership": "alessandria-member",
    "organization": "rivm",
    "participation": "2017-04-braga-visit--clermont-ferrand",
    "person": "bernard-delmas",
    "product": "agricultural-tyres",
    "project": "artist-residencies-chalet-lecoq",
    "quantity": "area-hectares",
    "role": "ambassador",
    "scheme": "products",
    "site": "michelin-alessandria",
    "source": "7jours-2018",
    "status": "michelin-alessandria-open-2021",
    "theme": "air-quality",
    "twinning": "aberdeen-clermont-ferrand",
    "venue": "cuneo-council-chamber",
    "vote": "2018-host-of-2nd-conference",
}

PAGES = {
    "home": "/",
    "listing": "/id/city/",
    "query": "/query",
    "query-results": "/query?example=queretaro-declaration-signatories",
    "query-error": "/query?query=SELEC",
    "query-map": "/query?example=cities-map",
    "query-timeline": "/query?example=conference-timeline",
    "query-bar": "/query?example=city-participation",
    "query-embed": "/query/embed?example=cities-map&view=map",
    "ontology": "/ontology",
    "shapes": "/shapes",
    "search": "/search?q=clermont",
    "downloads": "/dumps/",
    "tables": "/tables/",
    "not-found": "/doc/city/nowhere",
    **{kind: f"/doc/{kind}/{slug}" for kind, slug in RESOURCES.items()},
}


def axe_source() -> str:
    return require_tool(AXE, "axe-core", "npm ci in tests/npm").read_text(encoding="utf-8")


def sideways_overflow(page) -> list[str]:
    """What sticks out to the right of the viewport, when the page scrolls sideways."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`)
            .slice(0, 8);
        }"""
    )


def axe_violations(page, source: str) -> list[str]:
    page.evaluate(source + ";0")
    found = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return result.violations.map(v => `${v.id} (${v.impact}): ` +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""",
        WCAG_TAGS,
    )
    return found


def test_every_kind_of_resource_has_a_page_here():
    assert set(RESOURCES) == set(KINDS)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_fits_a_phone_and_passes_axe(browser, embedded_server, path):
    """At 320 and 390 px nothing scrolls sideways; at 320 and 1280 px axe finds nothing. The
    markup does not depend on the store, so the embedded one serves (the page tests in
    test_browser.py run on both)."""
    source = axe_source()
    with browser_page(browser, locale="en-GB", viewport={"width": 320, "height": 800}) as page:
        response = page.goto(embedded_server + path)
        assert response is not None and response.status in (200, 400, 404)
        for width in PHONES:
            page.set_viewport_size({"width": width, "height": 800})
            assert sideways_overflow(page) == [], f"{path} scrolls sideways at {width} px"
        for width in (PHONES[0], DESKTOP):
            page.set_viewport_size({"width": width, "height": 800})
            assert axe_violations(page, source) == [], f"{path} at {width} px"


#: What Tab stops at, in document order: the controls a keyboard must reach.
TABBABLE = (
    "a[href]:not([tabindex='-1']), button, input:not([type=hidden]), textarea, select, summary,"
    " .query-editor-host,"  # the query editor (where it was built): one stop, in its shadow root
    " .picture[tabindex='0']"  # a picture's box, which scrolls on a phone
)


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS ``rgb(…)`` colours."""

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement, s = getComputedStyle(e);
          return {tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || '').trim(),
                  id: e.id, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                  colour: s.outlineColor, page: getComputedStyle(document.body).backgroundColor,
                  path: e.getAttribute('href') || e.getAttribute('name') || ''};
        }"""
    )


def tab_walk(page, limit: int = 400) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the page or comes back round."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body" or (stops and now == stops[0]):
            break
        stops.append(now)
    return stops


@pytest.mark.parametrize(
    "path", ["/", "/doc/city/clermont-ferrand", "/query", "/id/city/", "/doc/city/nowhere"]
)
def test_tab_reaches_every_control_in_order_with_a_visible_ring(browser, embedded_server, path):
    with browser_page(browser, locale="en-GB", viewport={"width": 1280, "height": 800}) as page:
        page.goto(embedded_server + path)
        expected = page.evaluate(
            "(s) => [...document.querySelectorAll(s)].filter(e => e.checkVisibility())"
            ".map(e => e.getAttribute('href') || e.getAttribute('name') || '')",
            TABBABLE,
        )
        stops = tab_walk(page, limit=len(expected) + 5)
        assert [s["path"] for s in stops] == expected
        for stop in stops:
            assert stop["outline"] != "none" and stop["width"] >= 2, stop
            assert contrast(stop["colour"], stop["page"]) >= 3, stop


def test_the_skip_link_comes_first_and_skips_the_header(browser, embedded_server):
    with browser_page(browser, locale="en-GB", viewport={"width": 390, "height": 800}) as page:
        page.goto(embedded_server + "/")
        page.keyboard.press("Tab")
        first = focused(page)
        assert (first["tag"], first["text"], first["path"]) == ("a", "Skip to content", "#content")
        box = page.locator(".skip-link").bounding_box()
        assert box and box["y"] >= 0 and box["height"] >= 24, "shown when focused"
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "content"
        page.keyboard.press("Tab")
        inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
        assert inside, "the next Tab is inside the content"
        # The map's and the timeline's links are listed as text, not one Tab stop each.
        stops = tab_walk(page, limit=60)
        explore = [s["path"].partition("?")[0] for s in stops].index("/id/city/")
        assert explore < 40, f"{explore} Tab stops from the content to 'Explore'"


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(
        """(s) => [...document.querySelectorAll(s)].map(e => {
             const r = e.getBoundingClientRect();
             return {href: e.getAttribute('href'), title: e.querySelector('title')?.textContent,
                     x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height};
           })""",
        selector,
    )


@pytest.mark.parametrize("width", [*PHONES, DESKTOP])
def test_every_marker_on_the_maps_is_a_target_a_finger_finds(browser, embedded_server, width):
    """WCAG 2.2 (2.5.8): each link on the home page's maps is at least 24 × 24 px and no other
    marker's centre is within 24 px of its own, at every width (on a phone the maps stop
    shrinking and scroll in their own box); Europe, where they crowd, is one link to its map."""
    with browser_page(browser, locale="en-GB", viewport={"width": width, "height": 800}) as page:
        page.goto(embedded_server + "/")
        targets = boxes(page, "svg.rivm-map a")
        assert len(targets) >= 40
        for target in targets:
            assert target["w"] >= 23.9 and target["h"] >= 23.9, target
        markers = [t for t in targets if t["href"] != "#europe"]
        for i, a in enumerate(markers):
            for b in markers[i + 1 :]:
                apart = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
                assert apart >= 23.5, (width, a["title"], b["title"], apart)
        (inset,) = [t for t in targets if t["href"] == "#europe"]
        assert inset["title"].startswith("Europe:")
        page.locator("svg.rivm-map a[href='#europe']").click()
        assert page.url.endswith("#europe")
        # a legend that can be read: the map's own, or on a phone one in the page's text
        legends = boxes(page, ".rivm-world-map .rivm-map-legend text, p.map-legend")
        seen = [b for b in legends if b["h"] > 0]
        assert seen and min(b["h"] for b in seen) >= 12, legends


def test_the_pictures_text_keeps_every_link(browser, embedded_server):
    """The lists under the maps and the timeline hold every link the pictures hold."""
    with browser_page(browser, locale="en-GB", viewport={"width": 1280, "height": 800}) as page:
        page.goto(embedded_server + "/")
        drawn = page.evaluate(
            "[...document.querySelectorAll('svg a')].map(a => a.getAttribute('href'))"
        )
        listed = page.evaluate(
            "[...document.querySelectorAll('details.as-text a')].map(a => a.getAttribute('href'))"
        )
        assert len(drawn) >= 60
        assert {href for href in drawn if href != "#europe"} <= set(listed)


def test_a_picture_too_wide_for_a_phone_scrolls_from_the_keyboard(browser, embedded_server):
    with browser_page(browser, locale="en-GB", viewport={"width": 320, "height": 800}) as page:
        page.goto(embedded_server + "/")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.picture:has(.rivm-world-map)')"):
                break
        else:
            pytest.fail("Tab never reaches the world map's box")
        wide = page.evaluate("(e => e.scrollWidth > e.clientWidth)(document.activeElement)")
        assert wide, "the map is wider than the phone"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def test_a_query_is_written_and_run_from_the_keyboard(browser, embedded_server):
    with browser_page(browser, locale="en-GB", viewport={"width": 320, "height": 800}) as page:
        page.goto(embedded_server + "/query")
        editor = "textarea, .query-editor-host"  # the plain form, or the editor where it was built
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", editor):
                break
        page.keyboard.press("Control+A")
        page.keyboard.type("SELECT ?city WHERE { ?city a <https://w3id.org/rivm/ontology#City> }")
        for _ in range(5):  # the editor may have a link or two before the button
            page.keyboard.press("Tab")
            if focused(page)["tag"] == "button":
                break
        assert focused(page)["tag"] == "button"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("section.results table tbody tr").count() >= 35
