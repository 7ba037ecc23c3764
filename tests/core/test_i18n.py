"""Swedish by default, English on request; numbers in the locale's format."""
from __future__ import annotations

from app.auth.roles import Role
from app.core.formatting import number
from tests.helpers import page_csrf


def test_swedish_is_the_default(client, logged_in) -> None:
    logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in html and "Översikt" in html and "Logga ut" in html


def test_english_is_selectable_and_stays_for_the_session(client, logged_in) -> None:
    logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    token = page_csrf(client, "/")
    response = client.post("/sprak", data={"lang": "en", "next": "/", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Overview" in html and "Log out" in html
    assert "Days of supply" in client.get("/hjalp").get_data(as_text=True)


def test_unknown_language_is_refused(client) -> None:
    token = page_csrf(client, "/logga-in")
    assert client.post("/sprak", data={"lang": "de", "csrf_token": token}).status_code == 400


def test_language_switch_does_not_redirect_off_site(client) -> None:
    token = page_csrf(client, "/logga-in")
    response = client.post("/sprak", data={"lang": "en", "next": "//evil.example",
                                           "csrf_token": token})
    assert response.headers["Location"] == "/logga-in"


def test_numbers_use_swedish_separators(app) -> None:
    with app.test_request_context():
        assert number(1234567) == "1\xa0234\xa0567"
        assert number(12.25, 1) in {"12,2", "12,3"}
        assert number(None) == "–" and number(float("inf")) == "∞"


def test_english_catalogue_is_complete_and_compiled() -> None:
    """Every UI string has an English translation and the committed .mo matches the .po."""
    from pathlib import Path

    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    folder = Path(__file__).resolve().parents[2] / "app/translations/en/LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    with (folder / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    def messages(found) -> dict[object, object]:  # noqa: ANN001
        return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id:
                tuple(m.string) if isinstance(m.string, list | tuple) else m.string
                for m in found if m.id}

    in_po, in_mo = messages(catalog), messages(compiled)
    assert in_mo == in_po, "run make translations"


def test_help_page_explains_the_fairness_principle(client, logged_in) -> None:
    logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    html = client.get("/hjalp").get_data(as_text=True)
    assert "Rättviseprincipen vid omfördelning" in html and "Lika många dagars förbrukning" in html


def test_dashboard_shows_the_period_status(client, logged_in) -> None:
    logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)
    html = client.get("/").get_data(as_text=True)
    assert 'id="period-status"' in html and "är inte påbörjad" in html
