"""Screens at working size: 1280 px laptops, 200 % zoom, and A4 landscape print.

The page itself never scrolls sideways; a wide table scrolls inside its own box and keeps
its first column (the municipality or material) in view.
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, open_draft

#: (viewport, device scale): a 1280 px laptop, and the same at 200 % zoom.
SIZES = {"1280": ({"width": 1280, "height": 800}, 1), "200%": ({"width": 640, "height": 400}, 2)}
#: Printable width of A4 landscape with the print stylesheet's 12 mm margins, in CSS px.
A4_LANDSCAPE_PX = round((297 - 2 * 12) / 25.4 * 96)
COORDINATOR = "lst-orebro.samordnare"


def _page(browser, live_server: str, size: str):  # noqa: ANN001, ANN202
    viewport, scale = SIZES[size]
    return browser.new_context(base_url=live_server, locale="sv-SE", viewport=viewport,
                               device_scale_factor=scale).new_page()


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    page.wait_for_load_state("load")  # measured before the stylesheet applies, it is wider
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner, f"{page.url}: page is {width} px wide in a {inner} px window"


def _drill_down_url(page) -> str:  # noqa: ANN001
    return page.locator(".picture-table a").first.get_attribute("href")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_county_picture_and_drill_down_fit(browser, live_server, size: str) -> None:
    page = _page(browser, live_server, size)
    log_in(page, COORDINATOR)
    page.goto("/lagesbild/lan/18/")
    _no_sideways_scroll(page)
    page.goto(_drill_down_url(page))
    _no_sideways_scroll(page)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_report_form_fits(browser, live_server, size: str) -> None:
    page = _page(browser, live_server, size)
    open_draft(page, "lekeberg.rapportor")
    _no_sideways_scroll(page)
    status = page.locator("#report-rows thead th").last
    status.scroll_into_view_if_needed()
    assert status.is_visible()


def test_the_first_column_stays_when_the_county_table_scrolls_sideways(browser,
                                                                        live_server) -> None:
    page = _page(browser, live_server, "200%")
    log_in(page, COORDINATOR)
    page.goto("/lagesbild/lan/18/")
    box = page.locator(".table-wrap--sticky").first
    box.scroll_into_view_if_needed()
    scrolled = box.evaluate("el => { el.scrollLeft = el.scrollWidth; return el.scrollLeft; }")
    assert scrolled > 0, "the table should be wider than its box at 200 %"
    first = box.locator("tbody th").first
    visible = first.evaluate("""th => { const r = th.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
        return th.contains(hit); }""")
    assert visible, "the municipality column scrolled away"


def test_a_long_justification_wraps(browser, live_server) -> None:
    page = _page(browser, live_server, "1280")
    open_draft(page, "lindesberg.rapportor")
    page.get_by_label("Begärt stöd, Visir (heltäckande ansiktsskydd)").fill("10")
    justification = page.get_by_label("Motivering, Visir (heltäckande ansiktsskydd)")
    justification.fill("x" * 1000)
    justification.press("Tab")
    page.locator("#line-own-VISIR .line-status").get_by_text("Sparad").wait_for()
    page.get_by_role("link", name="Granska och skicka in").click()
    page.get_by_role("button", name="Bekräfta och skicka in").click()
    page.get_by_text("Rapporten är inskickad.").wait_for()
    _no_sideways_scroll(page)
    coordinator = _page(browser, live_server, "1280")
    log_in(coordinator, COORDINATOR)
    coordinator.goto("/lagesbild/lan/18/")
    coordinator.get_by_text("x" * 50, exact=False).first.wait_for()
    _no_sideways_scroll(coordinator)


def test_county_picture_prints_on_a4_landscape(browser, live_server) -> None:
    page = browser.new_context(base_url=live_server, locale="sv-SE",
                               viewport={"width": A4_LANDSCAPE_PX, "height": 700}).new_page()
    log_in(page, COORDINATOR)
    page.goto("/lagesbild/lan/18/")
    page.emulate_media(media="print")
    _no_sideways_scroll(page)
    tables = page.locator(".print-only table.picture-table")
    assert tables.count() == 2  # the 13 materials over two pages, each with the municipalities
    for index in range(tables.count()):
        width = tables.nth(index).evaluate("t => t.getBoundingClientRect().width")
        assert width <= A4_LANDSCAPE_PX
    assert "Askersund" in tables.nth(1).inner_text()
