"""Login, logout and session cookies."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.extensions import db
from tests.helpers import csrf_token_from, login, page_csrf


def test_login_page_renders_in_swedish(client) -> None:
    html = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert '<label for="username">Användarnamn</label>' in html
    assert '<label for="password">Lösenord</label>' in html


def test_login_shows_dashboard_with_navigation_for_roles(client, make_user) -> None:
    user = make_user("Sundsvall", Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER)
    response = login(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "Översikt" in html and "Sundsvall" in html
    assert 'href="/lagesbild/"' in html and 'href="/inkop/"' in html
    assert 'href="/omfordelning/"' in html  # their transfers and compensation
    assert 'href="/admin/anvandare"' not in html


def test_session_cookie_is_httponly_and_lax(client, make_user) -> None:
    response = login(client, make_user("Sundsvall", Role.VIEWER))
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_gives_clear_swedish_error(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    response = login(client, user, password="fel-lösenord")
    assert response.status_code == 422
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still logged out


def test_unknown_user_gets_the_same_error(client) -> None:
    token = page_csrf(client, "/logga-in")
    response = client.post("/logga-in", data={"username": "finns-inte", "password": "x",
                                              "csrf_token": token})
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    user.active = False
    db.session.commit()
    assert login(client, user).status_code == 422


def test_empty_fields_get_messages_next_to_them(client) -> None:
    token = page_csrf(client, "/logga-in")
    html = client.post("/logga-in", data={"csrf_token": token}).get_data(as_text=True)
    assert "Fyll i ditt användarnamn." in html and "Fyll i ditt lösenord." in html


def test_logout_requires_post_and_ends_session(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    login(client, user)
    assert client.get("/logga-ut").status_code == 405
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/logga-ut", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.user_id == user.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["user.login", "user.logout"]


def test_login_redirects_only_to_local_paths(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    token = page_csrf(client, "/logga-in")
    response = client.post("/logga-in?next=https://evil.example/", data={
        "username": user.username, "password": "rätt-lösenord-123", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_anonymous_user_is_sent_to_login(client) -> None:
    response = client.get("/lagesbild/")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_password_is_hashed_with_scrypt(make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    assert user.password_hash.startswith("scrypt:")


def test_login_required_message_is_swedish(client) -> None:
    response = client.get("/lagesbild/", follow_redirects=True)
    assert "Logga in för att se sidan." in response.get_data(as_text=True)


def test_logout_revokes_a_copied_session_cookie(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    login(client, user)
    copied = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    client.set_cookie("session", copied)
    replayed = client.get("/")
    assert replayed.status_code == 302 and "/logga-in" in replayed.headers["Location"]


def test_password_change_ends_other_sessions(app, client, make_user) -> None:
    from app.auth.services import update_user

    user = make_user("Sundsvall", Role.VIEWER)
    login(client, user)
    update_user(user, full_name=user.full_name, email=None, organisation=user.organisation,
                roles=user.roles, active=True, password="ett-helt-nytt-losenord")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_login_attempts_are_limited_per_account_and_audited(client, make_user) -> None:
    user = make_user("Sundsvall", Role.VIEWER)
    for _ in range(12):
        login(client, user, password="fel-lösenord")
    right = login(client, user)
    assert right.status_code == 429
    assert "För många misslyckade inloggningsförsök" in right.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entity_id == str(user.id))).all()
    assert actions.count("user.login_failed") == 5 and "user.login_blocked" in actions


def test_other_accounts_are_not_blocked_by_one_attack(client, make_user) -> None:
    victim, other = make_user("Sundsvall", Role.VIEWER), make_user("Timrå", Role.VIEWER)
    for _ in range(6):
        login(client, victim, password="fel-lösenord")
    assert login(client, other).status_code == 302


def test_expired_session_gives_htmx_a_401_not_the_login_page(client) -> None:
    token = page_csrf(client, "/logga-in")  # the browser still has its form token
    response = client.post("/lagesbild/rapport/1/rad/own/VISIR",
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "<html" not in html and "inte sparat" in html
