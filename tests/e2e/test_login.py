"""Journey: a demo user of Sundsvall logs in and sees the Swedish dashboard for their roles."""
from __future__ import annotations

from tests.e2e.conftest import log_in


def test_sundsvall_buyer_logs_in_and_sees_dashboard(page) -> None:
    log_in(page, "sundsvall.inkop")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Översikt").is_visible()
    nav = page.get_by_role("navigation", name="Huvudmeny")
    assert nav.get_by_role("link", name="Samordnade inköp").is_visible()
    assert nav.get_by_role("link", name="Omfördelning").is_visible()  # its transfers to carry out
    assert nav.get_by_role("link", name="Administration").count() == 0
    assert "Sundsvall" in page.locator(".site-header").inner_text()
    assert page.problems == []  # no CSP violations, no script errors


def test_wrong_password_shows_error_next_to_field(page) -> None:
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill("sundsvall.inkop")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    assert page.locator("#password-errors").inner_text() == "Fel användarnamn eller lösenord."


def test_keyboard_user_can_skip_to_content_and_log_out(page) -> None:
    log_in(page, "timra.rapportor")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in")
    assert page.get_by_text("Du är utloggad.").is_visible()
