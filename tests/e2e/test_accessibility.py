"""Automated WCAG 2.1 A/AA checks (axe-core, vendored for the closed network) on every page
a journey visits. axe cannot catch everything; it catches what machines can."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import log_in

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "kramfors.rapportor": ["/", "/hjalp", "/lagesbild/", "/lagesbild/lan/22/"],
    "lst-vasternorrland.samordnare": ["/lagesbild/lan/22/", "/lagesbild/lan/22/?material=VISIR"],
    "sundsvall.rapportor": ["/lagesbild/"],
    "admin": ["/admin/anvandare", "/admin/anvandare/ny", "/admin/organisationer"],
}


def violations(page) -> list[str]:  # noqa: ANN001
    """axe's violations of the current page, one readable line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_TAGS)
    assert len(result["passes"]) > 10, "axe did not run its rules"
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} × {v['nodes'][0]['target']})"
            for v in result["violations"]]


def test_login_page(browser, live_server) -> None:
    page = browser.new_context(base_url=live_server, locale="sv-SE", bypass_csp=True).new_page()
    page.goto("/logga-in")
    assert violations(page) == []


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_of_each_role(browser, live_server, username: str) -> None:
    # bypass_csp lets the test inject axe; the app's own pages never need it.
    page = browser.new_context(base_url=live_server, locale="sv-SE", bypass_csp=True).new_page()
    log_in(page, username)
    found = {}
    for url in PAGES[username]:
        page.goto(url)
        if problems := violations(page):
            found[page.url] = problems
    assert found == {}


def test_report_form_with_errors(browser, live_server) -> None:
    page = browser.new_context(base_url=live_server, locale="sv-SE", bypass_csp=True).new_page()
    log_in(page, "kumla.rapportor")
    page.goto("/lagesbild/")
    page.get_by_role("button", name="Starta rapport", exact=False).click()
    stock = page.get_by_label("Lager, Visir (heltäckande ansiktsskydd)")
    stock.fill("x")
    stock.press("Tab")
    page.locator("#own-VISIR-stock-errors li").wait_for()
    assert violations(page) == []
