"""Journey: a joint purchase in Västernorrland, from a supplier's offer to a split delivery.

Timrå's buyer registers a supplier and an offer with a certificate; Sundsvall (buyer and
procurement lead) accepts it and pools an order; Timrå and Kramfors commit; a partial
delivery is split by need and confirmed; Kramfors sees its share and what it owes. Every
page is checked with axe-core, fits 1280 px and 200 % zoom without sideways scrolling.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from tests.e2e.conftest import assert_fits, log_in
from tests.e2e.test_accessibility import violations

ORG_NUMBER = "559012-3450"
SUPPLIER = "Ådalens Skydd AB"
SIZES = {"1280": {"width": 1280, "height": 800}, "200%": {"width": 640, "height": 400}}


@pytest.fixture
def tabs(browser, live_server: str):  # noqa: ANN001, ANN201
    """``tabs(username, size)``: a logged-in page in a context of its own, closed afterwards."""
    contexts = []

    def open_tab(username: str, size: str = "1280"):  # noqa: ANN202
        scale = 2 if size == "200%" else 1
        context = browser.new_context(base_url=live_server, locale="sv-SE", bypass_csp=True,
                                      viewport=SIZES[size], device_scale_factor=scale)
        contexts.append(context)
        return _logged_in(context.new_page(), username)

    yield open_tab
    for context in contexts:
        context.close()


def _logged_in(page, username: str):  # noqa: ANN001, ANN202
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    log_in(page, username)
    return page


def _checked(page) -> None:  # noqa: ANN001
    """No axe violations; no sideways scrolling at 1280 px, at 200 % zoom or on A4."""
    assert violations(page) == [], page.url
    assert_fits(page)


def _certificate() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _register_supplier_and_offer(page) -> str:  # noqa: ANN001
    page.goto("/inkop/")
    _checked(page)
    page.get_by_role("link", name="Registrera leverantör").first.click()
    _checked(page)
    page.get_by_label("Företagets namn").fill(SUPPLIER)
    page.get_by_label("Organisationsnummer (svensk leverantör)").fill("559012-3451")
    page.get_by_label("Visir (heltäckande ansiktsskydd)").check()
    page.get_by_role("button", name="Spara leverantören").click()
    expect(page.get_by_text("Kontrollsiffran stämmer inte.").first).to_be_visible()
    _checked(page)  # the form with its errors
    page.get_by_label("Organisationsnummer (svensk leverantör)").fill(ORG_NUMBER)
    page.get_by_role("button", name="Spara leverantören").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SUPPLIER)
    _checked(page)

    page.get_by_role("link", name="Registrera erbjudande från leverantören").click()
    page.get_by_label("Material", exact=True).select_option(
        label="Visir (heltäckande ansiktsskydd) (st)")
    page.get_by_label("Antal som finns att köpa").fill("1 000")
    page.get_by_label("Pris per enhet, kr exkl. moms").fill("7,50")
    page.get_by_label("Minsta order (antal)").fill("200")
    page.get_by_label("Leveranstid i dagar").fill("5")
    page.get_by_label("Erbjudandet gäller till och med").fill(
        (date.today() + timedelta(days=10)).isoformat())
    page.get_by_label("CE-märkt").check()
    page.get_by_label("Standard", exact=True).select_option(label="EN 166 (ögonskydd)")
    page.get_by_role("button", name="Spara erbjudandet").click()
    expect(page.locator("#notified_body-errors")).to_contain_text("intyg från ett anmält organ")
    page.get_by_label("Anmält organ (nummer)").fill("0598")
    _checked(page)
    page.get_by_role("button", name="Spara erbjudandet").click()
    expect(page.get_by_text("Erbjudandet är sparat.")).to_be_visible()

    page.get_by_label("Certifikat eller datablad (PDF, PNG eller JPEG)").set_input_files(
        files=[{"name": "CE-intyg.pdf", "mimeType": "application/pdf",
                "buffer": _certificate()}])
    page.get_by_role("button", name="Bifoga filen").click()
    expect(page.get_by_role("link", name="CE-intyg.pdf")).to_be_visible()
    _checked(page)
    return page.url


def _accept_and_pool(page, offer_url: str) -> str:  # noqa: ANN001
    page.goto("/inkop/lan/22/jamforelse/VISIR")
    _checked(page)
    page.get_by_role("link", name=SUPPLIER).click()
    assert page.url.endswith(offer_url.split("/inkop")[1])
    page.get_by_role("button", name="Börja granska").click()
    page.get_by_role("button", name="Godta erbjudandet").click()
    expect(page.get_by_text("Erbjudandet har status: Godtaget.")).to_be_visible()
    page.get_by_role("link", name="Starta samordnat inköp").click()
    _checked(page)
    page.get_by_label("Sista dag för åtaganden").fill((date.today() + timedelta(days=3))
                                                      .isoformat())
    page.get_by_role("button", name="Öppna för åtaganden").click()
    expect(page.get_by_text("Det samordnade inköpet är öppnat för åtaganden.")).to_be_visible()
    _checked(page)
    return page.url


def _commit(page, order_url: str, quantity: str, total: str) -> None:  # noqa: ANN001
    page.goto(order_url)
    field = page.get_by_label(re.compile(r"^Åtagande för"))
    field.fill("-5")
    page.get_by_role("button", name="Spara åtagandet").click()
    expect(page.locator("#quantity-errors")).to_have_text("Ange ett tal mellan 0 och 10 000 000.")
    field.fill(quantity)
    page.get_by_role("button", name="Spara åtagandet").click()
    expect(page.locator("#commitment-status")).to_have_text("Åtagandet är sparat.")
    expect(page.locator("#order-totals")).to_contain_text(f"Åtagit hittills: {total} av 1 000")
    _checked(page)


def _decide_in_the_meeting(page, order_url: str) -> None:  # noqa: ANN001
    """The county coordinator puts the pooled order on the logistics meeting's agenda and
    records that the meeting approved it; the order page then says so."""
    page.goto("/omfordelning/lan/22/moten")
    page.get_by_label("Datum för logistikberedningen").fill(date.today().isoformat())
    page.get_by_label("Deltagare 1, namn").fill("Kim Samordnare")
    page.get_by_role("button", name="Spara").click()
    title = f"Samordnat inköp: Visir (heltäckande ansiktsskydd), {SUPPLIER}"
    page.get_by_label("Samordnat inköp att ta upp").select_option(label=title)
    page.get_by_role("button", name="Lägg till").click()
    item = page.locator(".agenda-item", has_text=title)
    expect(item).to_contain_text("700 av 1\xa0000 st åtagna")
    _checked(page)
    item.get_by_label("Beslut", exact=True).select_option(label="Bifalls")
    item.get_by_label("Beslutets lydelse eller anmärkning").fill("Sundsvall beställer.")
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Anteckna beslutet").click()
    expect(page.locator(".agenda-item")).to_contain_text("Mötets beslut: Bifalls. Sundsvall")
    _checked(page)
    page.goto(order_url)
    expect(page.locator("#meeting-heading + ul")).to_contain_text("Bifalls. Sundsvall beställer.")


def _place_and_split(page, order_url: str) -> str:  # noqa: ANN001
    page.goto(order_url)
    page.get_by_role("button", name="Stäng rundan").click()
    page.get_by_role("link", name="Registrera beställningen").click()
    page.get_by_label("Ordernummer").fill("SI-2026-001")
    page.get_by_label("Väntad leverans 1, datum").fill((date.today() + timedelta(days=7))
                                                       .isoformat())
    _checked(page)
    page.get_by_role("button", name="Registrera beställningen").click()
    expect(page.get_by_text("Beställningen är lagd.")).to_be_visible()

    page.get_by_role("link", name="Registrera mottagen leverans").click()
    page.get_by_label("Mottaget antal").fill("500")
    _checked(page)
    page.get_by_role("button", name="Registrera och föreslå fördelning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SI-2026-001-L1")
    expect(page.locator("#split-summary")).to_contain_text("kvar att fördela 0")
    _checked(page)
    timra = page.get_by_label("Andel till Timrå")
    timra.fill(str(int(timra.input_value()) + 100))
    timra.press("Tab")
    expect(page.locator("#share-" + timra.get_attribute("id").split("-")[1] + "-status")
           ).to_have_text("Inte sparad – se meddelandet vid fältet")
    timra.fill(str(int(timra.input_value()) - 110))
    timra.press("Tab")
    expect(page.locator("#split-summary")).to_contain_text("kvar att fördela 10")
    timra.fill(str(int(timra.input_value()) + 10))
    timra.press("Tab")
    expect(page.locator("#split-summary")).to_contain_text("kvar att fördela 0")
    page.get_by_role("button", name="Bekräfta fördelningen").click()
    expect(page.get_by_text("Fördelningen är bekräftad och bokförd.")).to_be_visible()
    expect(page.get_by_text("Kontrollsumma (SHA-256):")).to_be_visible()
    _checked(page)
    return page.url


def _note_text(page, delivery_url: str) -> str:  # noqa: ANN001
    response = page.request.get(f"{delivery_url}/fordelningsbesked.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def _shares(page) -> dict[str, tuple[int, int, str]]:  # noqa: ANN001
    """Quantity, packs and cost per organisation from the confirmed delivery page."""
    found = {}
    for row in page.locator("table:has(#note-caption) tbody tr").all():
        name = row.locator("th").inner_text()
        cells = [cell.inner_text() for cell in row.locator("td").all()]
        found[name] = (int(re.sub(r"\D", "", cells[0])), int(re.sub(r"\D", "", cells[1])),
                       cells[2].replace("\xa0", " ").removesuffix(" kr"))
    return found


def test_a_joint_purchase_from_offer_to_split_delivery(tabs) -> None:  # noqa: ANN001
    timra = tabs("timra.inkop")
    offer_url = _register_supplier_and_offer(timra)

    lead = tabs("sundsvall.inkop")
    order_url = _accept_and_pool(lead, offer_url)

    _commit(timra, order_url, "400", "400")
    kramfors = tabs("kramfors.inkop")
    _commit(kramfors, order_url, "300", "700")
    _decide_in_the_meeting(tabs("lst-vasternorrland.samordnare"), order_url)

    delivery_url = _place_and_split(lead, order_url)
    shares = _shares(lead)
    assert set(shares) == {"Timrå", "Kramfors"}
    assert sum(quantity for quantity, _, _ in shares.values()) == 500
    text = _note_text(lead, delivery_url).replace("\xa0", " ")
    for name, (quantity, packs, cost) in shares.items():
        assert packs == quantity // 10
        assert re.search(rf"{name} {quantity} {packs} {re.escape(cost)}", text), (name, text)
    assert "Fördelningsbesked" in text and "7,50 kr" in text

    kramfors.goto(delivery_url)
    _checked(kramfors)
    kramfors.get_by_role("button", name="Kvittera mottagen andel").click()
    expect(kramfors.get_by_text("Ni har kvitterat att andelen är mottagen.")).to_be_visible()
    kramfors.goto(order_url)
    quantity, _, cost = shares["Kramfors"]
    row = kramfors.locator("#order-rows tbody tr", has_text="Kramfors")
    expect(row.locator("td").nth(2)).to_have_text(str(quantity))
    expect(row.locator("td").nth(5)).to_contain_text(cost)  # owed to Sundsvall
    _checked(kramfors)
    for tab in (timra, lead, kramfors):
        assert tab.problems == []


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_demo_comparison_shows_its_flags_and_fits(tabs, size: str) -> None:  # noqa: ANN001
    page = tabs("harnosand.inkop", size)
    page.goto("/inkop/lan/22/jamforelse/MUNSKYDD_IIR")
    expect(page.get_by_text("Mer än 3 gånger katalogens referenspris")).to_be_visible()
    expect(page.get_by_text("Leverantören är inte verifierad").first).to_be_visible()
    page.get_by_label("Visa", exact=True).select_option("alla")
    page.get_by_label("Sortera efter").select_option("antal")
    expect(page).to_have_url(re.compile(r"sortera=antal"))
    first = page.locator(".comparison-table tbody tr").first
    expect(first).to_contain_text("Medisafe Handels GmbH")
    page.reload()
    expect(page.locator(".comparison-table tbody tr").first).to_contain_text("Medisafe")
    _checked(page)
    for url in ("/inkop/lan/22/", "/inkop/lan/22/leverantorer",
                "/inkop/lan/22/jamforelse/ANDNINGSSKYDD_FFP2?visa=alla"):
        page.goto(url)
        _checked(page)
    expect(page.get_by_text("Kan inte väljas")).to_be_visible()
    page.locator(".comparison-table tbody th a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erbjudande")
    _checked(page)
    page.get_by_role("link", name="Skyddsprodukter i Sverige AB").click()
    _checked(page)


def test_the_comparison_and_the_overview_print_on_a4(browser, live_server) -> None:
    a4_landscape = round((297 - 2 * 12) / 25.4 * 96)
    context = browser.new_context(base_url=live_server, locale="sv-SE",
                                  viewport={"width": a4_landscape, "height": 700})
    page = context.new_page()
    log_in(page, "harnosand.inkop")
    for url in ("/inkop/lan/22/jamforelse/MUNSKYDD_IIR?visa=alla", "/inkop/lan/22/"):
        page.goto(url)
        page.emulate_media(media="print")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= a4_landscape, (url, width)
        page.emulate_media(media="screen")
    context.close()
