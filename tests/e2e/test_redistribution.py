"""Journey: from Västernorrland's reports to an agreed, carried out and paid redistribution,
and a request for national allocation for what the county cannot cover."""
from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from app.demo.users import slug
from tests.e2e.conftest import assert_fits, log_in
from tests.e2e.test_accessibility import violations

COORDINATOR = "lst-vasternorrland.samordnare"
LOGISTICS = "lst-vasternorrland.beredning"


def _page(browser, live_server: str):  # noqa: ANN001, ANN202
    # bypass_csp lets the test inject axe; the app's own pages never need it.
    return browser.new_context(base_url=live_server, locale="sv-SE", bypass_csp=True,
                               accept_downloads=True).new_page()


def _checked(page) -> None:  # noqa: ANN001
    """No axe violations; no sideways scrolling at 1280 px, at 200 % zoom or on A4."""
    assert violations(page) == [], page.url
    assert_fits(page)


def _set_quick_principles(page) -> None:  # noqa: ANN001
    page.goto("/omfordelning/lan/22/principer")
    _checked(page)
    page.get_by_label("Beslutat vid veckomötet med kommuncheferna den").fill("2026-11-30")
    page.get_by_label("Beräkningstid per omgång (sekunder)").fill("5")
    page.get_by_role("button", name="Spara som ny version").click()
    expect(page.get_by_text("Principerna är sparade som version 2.")).to_be_visible()


def _open_round(page) -> str:  # noqa: ANN001
    page.goto("/omfordelning/lan/22/")
    _checked(page)
    page.get_by_role("link", name="Ny omgång").click()
    expect(page.get_by_text("Har inte rapporterat:")).to_be_visible()
    _checked(page)
    page.get_by_role("button", name=re.compile("Beräkna förslag")).click()
    expect(page.locator("#proposal")).to_be_visible(timeout=120_000)  # the job has finished
    _checked(page)
    return page.url


def _edit_first_line(page) -> None:  # noqa: ANN001
    row = page.locator(".shipments-table tbody.shipment tr[id^='line-']").first
    cells = row.locator("td.num")
    units = int(cells.nth(0).inner_text().replace("\u00a0", "").replace(" ", ""))
    packs = int(cells.nth(1).inner_text().replace("\u00a0", "").replace(" ", ""))
    new = units - units // packs if packs > 1 else units
    row.get_by_role("textbox").fill(str(new))
    row.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Version 2 är sparad")).to_be_visible()


def _comment(browser, live_server: str, round_url: str) -> None:  # noqa: ANN001
    member = _page(browser, live_server)
    log_in(member, LOGISTICS)
    member.goto(round_url)
    _checked(member)
    line = member.locator(".shipments-table tbody.shipment tr[id^='line-']").first
    line.locator("summary").click()
    line.get_by_label("Ny kommentar").fill("Går det att köra detta på tisdag?")
    line.get_by_role("button", name="Kommentera").click()
    expect(line.get_by_text("Går det att köra detta på tisdag?")).to_be_visible()


def _decide(page, round_url: str) -> str:  # noqa: ANN001
    page.goto("/omfordelning/lan/22/moten")
    page.get_by_label("Datum för logistikberedningen").fill("2026-12-01")
    page.get_by_label("Deltagare 1, namn").fill("Kim Samordnare")
    page.get_by_label("Deltagare 2, namn").fill("Åsa Öberg")
    page.get_by_role("button", name="Spara").click()
    _checked(page)
    page.get_by_label("Omgång att ta upp").select_option(index=1)
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("Går det att köra detta på tisdag?")).to_have_count(0)
    _checked(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Fatta beslut och skriv ut beslutet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beslut 22/")
    _checked(page)
    number = re.search(r"22/\d{4}/\d+", page.get_by_role("heading", level=1).inner_text()).group(0)
    response = page.request.get(page.get_by_role("link", name="Beslutet som PDF")
                                .get_attribute("href"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert number in text and "Åsa Öberg" in text
    assert response.headers["x-content-sha256"] in page.locator(".hash").inner_text()
    return page.url


def _carry_out(browser, live_server: str, decision_url: str) -> tuple[str, str]:  # noqa: ANN001
    coordinator = _page(browser, live_server)
    log_in(coordinator, COORDINATOR)
    coordinator.goto(decision_url)
    route = coordinator.locator("tbody th[scope='row']").first.inner_text()
    giver, receiver = (name.strip() for name in route.split("→"))
    for name, button in ((giver, "Markera som skickad"), (receiver, "Markera som mottagen")):
        municipality = _page(browser, live_server)
        log_in(municipality, f"{slug(name)}.rapportor")
        municipality.goto("/omfordelning/overforingar")
        _checked(municipality)
        municipality.get_by_role("button", name=button).first.click()
        expect(municipality.locator(".flash--success")).to_be_visible()
    return giver, receiver


def test_round_meeting_decision_execution_compensation_and_national_request(
        browser, live_server) -> None:
    page = _page(browser, live_server)
    log_in(page, COORDINATOR)
    _set_quick_principles(page)
    round_url = _open_round(page)
    _edit_first_line(page)
    _comment(browser, live_server, round_url)
    decision_url = _decide(page, round_url)
    giver, receiver = _carry_out(browser, live_server, decision_url)

    page.goto("/omfordelning/lan/22/ersattning")
    _checked(page)
    owed = page.get_by_role("row", name=re.compile(f"^{receiver} {giver}"))
    expect(owed).to_be_visible()
    assert re.search(r"\d", owed.locator("td").nth(1).inner_text())

    page.goto(decision_url)
    page.get_by_role("button", name="Begäran om nationell tilldelning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("nationell tilldelning")
    _checked(page)
    page.get_by_label("Motivering till Socialstyrelsen").fill(
        "Länets lager räcker inte trots omfördelningen; leveranserna är försenade.")
    page.get_by_role("button", name="Spara motiveringen").click()
    page.get_by_role("button", name="Markera som skickad till Socialstyrelsen").click()
    expect(page.get_by_text("Skickad till Socialstyrelsen")).to_be_visible()
    pdf = page.request.get(page.get_by_role("link", name="Begäran som PDF").get_attribute("href"))
    assert "Socialstyrelsen" in PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    material = page.get_by_label("Material")
    pack = int(re.search(r"förpackning om (\d+)", material.locator("option:checked")
                         .inner_text()).group(1))
    page.get_by_label("Antal som kom").fill(str(pack * 20))
    page.get_by_role("button", name="Föreslå fördelning efter behov").click()
    expect(page.get_by_text("Andelarna summerar till det som kom.")).to_be_visible()
    _checked(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bekräfta och bokför").click()
    expect(page.get_by_text("Fördelningen är bekräftad och bokförd.")).to_be_visible()
