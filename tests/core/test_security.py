"""CSRF refusal (forms and htmx) and security headers."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.core.security import CONTENT_SECURITY_POLICY
from tests.helpers import page_csrf


def test_form_post_without_token_is_refused(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    response = client.post("/logga-in", data={"username": user.username,
                                              "password": "rätt-lösenord-123"})
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_htmx_post_without_token_is_refused_with_fragment(client, logged_in) -> None:
    logged_in("Sundsvall", Role.VIEWER)
    response = client.post("/logga-ut", headers={"HX-Request": "true"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Säkerhetstoken saknas" in html
    assert client.get("/").status_code == 200  # still logged in


def test_htmx_post_with_header_token_is_accepted(client, logged_in) -> None:
    logged_in("Sundsvall", Role.VIEWER)
    token = page_csrf(client, "/")
    response = client.post("/logga-ut", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 302


def test_body_carries_csrf_header_for_htmx(client, logged_in) -> None:
    logged_in("Sundsvall", Role.VIEWER)
    html = client.get("/").get_data(as_text=True)
    assert "<body hx-headers='{\"X-CSRFToken\": \"" in html


@pytest.mark.parametrize("path", ["/logga-in", "/finns-inte", "/static/css/app.css"])
def test_security_headers_on_every_response(client, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in headers["Vary"]


def test_pages_have_no_inline_scripts(client, logged_in) -> None:
    logged_in("Sundsvall", Role.VIEWER)
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and " on" + "click=" not in html
    assert 'src="/static/vendor/htmx-2.0.11.min.js"' in html
