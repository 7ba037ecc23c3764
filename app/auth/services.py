"""Authentication and user administration as plain service functions (the view commits)."""
from __future__ import annotations

import secrets
from collections.abc import Iterable

import sqlalchemy as sa

from app.auth.models import User, UserRole
from app.auth.roles import Role
from app.core import audit
from app.core.models import Organisation
from app.extensions import db

MIN_PASSWORD_LENGTH = 10


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the user whose id and current session token this is, or None
    (a session from before a logout or a password change)."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isdigit() and len(user_id) <= 9 and token):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str) -> User | None:
    """The active user whose credentials match, else None (same answer for every failure)."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def user_snapshot(user: User) -> dict[str, object]:
    """The audited view of a user with their roles (never the password hash)."""
    return audit.snapshot(user) | {"roles": sorted(role.value for role in user.roles)}


def create_user(
    *,
    username: str,
    full_name: str,
    password: str,
    organisation: Organisation,
    roles: Iterable[Role],
    email: str | None = None,
) -> User:
    """Create a user with ``roles``; raises ValueError if the username is taken."""
    username = username.strip().lower()
    if find_user(username) is not None:
        raise ValueError(f"username {username!r} is already taken")
    user = User(username=username, full_name=full_name.strip(), email=email or None)
    user.organisation = organisation
    user.set_password(password)
    user.role_rows = [UserRole(role=role) for role in set(roles)]
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, after=user_snapshot(user),
                 organisation_id=organisation.id)
    return user


def update_user(
    user: User, *, full_name: str, email: str | None, organisation: Organisation,
    roles: Iterable[Role], active: bool, password: str | None = None,
) -> None:
    """Change a user's details, roles and (optionally) password; audited."""
    before = user_snapshot(user)
    user.full_name = full_name.strip()
    user.email = email or None
    user.organisation = organisation
    user.active = active
    wanted = set(roles)
    user.role_rows = [row for row in user.role_rows if row.role in wanted] + [
        UserRole(role=role) for role in wanted - user.roles
    ]
    if password:
        user.set_password(password)
    if not active:
        user.end_sessions()
    db.session.flush()
    after = user_snapshot(user) | ({"password_changed": True} if password else {})
    audit.record("user.update", "user", user.id, before=before, after=after,
                 organisation_id=organisation.id)
