"""Authentication and user administration as plain service functions (the view commits)."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.auth.models import Role, User, UserRole
from app.core import audit
from app.core.models import Organisation
from app.extensions import db

MIN_PASSWORD_LENGTH = 10


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user with this id, or None."""
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str) -> User | None:
    """The active user whose credentials match, else None (same answer for every failure)."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def user_snapshot(user: User) -> dict[str, object]:
    """The audited view of a user (never the password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "organisation_id": user.organisation_id,
        "active": user.active,
        "roles": sorted(role.value for role in user.roles),
    }


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
    db.session.flush()
    after = user_snapshot(user) | ({"password_changed": True} if password else {})
    audit.record("user.update", "user", user.id, before=before, after=after,
                 organisation_id=organisation.id)
