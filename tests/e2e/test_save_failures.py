"""A row that cannot be saved says so in its own status cell, never a stale "Sparad"."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_draft

SAVE_URL = re.compile(r".*/rad/own/VISIR$")


def _change_visir(page, value: str) -> None:  # noqa: ANN001
    stock = page.get_by_label("Lager, Visir (heltäckande ansiktsskydd)")
    stock.fill(value)
    stock.press("Tab")


def _status(page):  # noqa: ANN001, ANN202
    return page.locator("#line-own-VISIR .line-status")


def test_a_saved_row_says_sparad(page) -> None:
    open_draft(page, "hallsberg.rapportor")
    _change_visir(page, "55")
    expect(_status(page)).to_have_text("Sparad")


def test_an_expired_session_is_shown_in_the_row(page) -> None:
    open_draft(page, "hallefors.rapportor")
    _change_visir(page, "56")
    expect(_status(page)).to_have_text("Sparad")
    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.get_by_role("button", name="Logga ut").click()
    _change_visir(page, "57")
    expect(_status(page)).to_contain_text("du är utloggad")


@pytest.mark.parametrize(("status", "text"), [
    (403, "du saknar behörighet"),
    (500, "fel 500"),
    (400, "sidan har gått ut"),
])
def test_a_refused_request_is_shown_in_the_row(page, status: int, text: str) -> None:
    open_draft(page, "karlskoga.rapportor")
    _change_visir(page, "60")
    expect(_status(page)).to_have_text("Sparad")
    page.route(SAVE_URL, lambda route: route.fulfill(status=status, body="nej"))
    _change_visir(page, "61")
    expect(_status(page)).to_contain_text(text)
    expect(_status(page)).not_to_contain_text("Sparad")


def test_a_lost_connection_is_shown_in_the_row(page) -> None:
    open_draft(page, "laxa.rapportor")
    page.route(SAVE_URL, lambda route: route.abort())
    _change_visir(page, "62")
    expect(_status(page)).to_contain_text("ingen kontakt med servern")
