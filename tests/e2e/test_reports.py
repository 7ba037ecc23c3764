"""Journey: Kramfors' reporter submits this week's report; the county coordinator sees it."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_draft, submit_from_form

# The browser logs every refused save (422, the validation answer) as a failed resource.
EXPECTED_422 = "status of 422"


def test_reporter_submits_week_and_coordinator_sees_county_picture_change(browser,
                                                                          live_server) -> None:
    coordinator = browser.new_context(base_url=live_server, locale="sv-SE").new_page()
    log_in(coordinator, "lst-vasternorrland.samordnare")
    coordinator.goto("/lagesbild/lan/22/")
    kramfors_row = coordinator.locator(".picture-table").get_by_role(
        "row", name=re.compile("^Kramfors"))
    expect(kramfors_row).to_contain_text("ej rapporterat")

    reporter = browser.new_context(base_url=live_server, locale="sv-SE").new_page()
    problems: list[str] = []
    reporter.on("console", lambda msg: msg.type == "error" and EXPECTED_422 not in msg.text
                and problems.append(msg.text))
    log_in(reporter, "kramfors.rapportor")
    reporter.get_by_role("navigation", name="Huvudmeny").get_by_role("link",
                                                                     name="Lägesbild").click()
    reporter.get_by_role("button", name=re.compile("Starta rapport för v.")).click()
    expect(reporter.get_by_text("förifyllda från förra perioden")).to_be_visible()

    stock = reporter.get_by_label("Lager, Munskydd, kirurgiskt typ IIR")
    stock.fill("-3")
    stock.press("Tab")
    expect(reporter.locator("#own-MUNSKYDD_IIR-stock-errors")).to_have_text(
        "Ange ett tal mellan 0 och 10 000 000.")
    expect(stock).to_have_attribute("aria-invalid", "true")

    stock.fill("1 200")
    consumption = reporter.get_by_label("Förbrukning, Munskydd, kirurgiskt typ IIR")
    consumption.fill("700")
    consumption.press("Tab")
    row = reporter.locator("#line-own-MUNSKYDD_IIR")
    expect(row.locator(".line-status")).to_have_text("Sparad")
    expect(reporter.locator("#own-MUNSKYDD_IIR-stock-errors")).to_be_empty()
    expect(stock).to_have_value("1 200")  # what the user typed stays in the field

    submit_from_form(reporter)
    expect(reporter.get_by_role("button", name="Rätta rapporten (ny revision)")).to_be_visible()
    assert problems == []

    coordinator.reload()
    kramfors_row = coordinator.locator(".picture-table").get_by_role(
        "row", name=re.compile("^Kramfors"))
    expect(kramfors_row).not_to_contain_text("ej rapporterat")
    expect(kramfors_row.locator(".level").first).to_have_text(re.compile(r"^\d+,\d"))
    expect(coordinator.locator("svg.chart")).to_be_visible()
    expect(coordinator.locator("svg.county-map")).to_be_visible()

    coordinator.get_by_label("Material", exact=True).select_option("VISIR")
    expect(coordinator.locator("#county-material caption").first).to_contain_text("Visir")
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Ladda ner som Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    coordinator.locator("svg.county-map a[aria-label^='Kramfors']").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("Kramfors")


def test_a_value_typed_just_before_submitting_is_the_submitted_value(page) -> None:
    open_draft(page, "askersund.rapportor")
    stock = page.get_by_label("Lager, Visir (heltäckande ansiktsskydd)")
    stock.fill("4321")
    page.get_by_role("link", name="Granska och skicka in").click()  # no Tab: the save races
    page.get_by_role("button", name="Bekräfta och skicka in").click()
    expect(page.get_by_text("Rapporten är inskickad.")).to_be_visible()
    visir = page.locator(".report-table tbody tr", has_text="Visir")
    expect(visir.locator("td").first).to_have_text("4 321")


def test_a_refused_value_blocks_the_submission_with_a_message(page) -> None:
    open_draft(page, "degerfors.rapportor")
    stock = page.get_by_label("Lager, Visir (heltäckande ansiktsskydd)")
    stock.fill("-10")
    page.get_by_role("link", name="Granska och skicka in").click()
    expect(page.get_by_role("heading", name="Det finns värden som inte är sparade")).to_be_visible()
    expect(page.get_by_role("button", name="Bekräfta och skicka in")).to_have_count(0)
