"""Access rules: which roles may use a view and which organisations a user may see or change.

Every view declares its roles with :func:`roles_required` and checks the organisation it
touches with :func:`require_view` or :func:`require_edit`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.core.models import Organisation, OrgKind

P = ParamSpec("P")
R = TypeVar("R")

COUNTY_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.LOGISTICS_MEMBER, Role.VIEWER})


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Require a logged-in user holding any of ``roles`` (admins pass); otherwise 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not (current_user.has_role(Role.ADMIN) or current_user.has_role(*roles)):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_national(user: User) -> bool:
    return user.has_role(Role.ADMIN) or user.organisation.kind is OrgKind.NATIONAL_BOARD


def can_view_county(user: User, county_code: str | None) -> bool:
    """Whether ``user`` may see the county-wide picture of ``county_code``."""
    return is_national(user) or (
        county_code is not None and user.organisation.county_code == county_code
    )


def can_view_org_detail(user: User, org: Organisation) -> bool:
    """Whether ``user`` may see the detailed (unit-level) data of ``org``.

    Municipalities see only their own detail; county boards see their county's
    municipalities; the national board and admins see everything.
    """
    if is_national(user) or user.organisation_id == org.id:
        return True
    return (
        user.organisation.kind is OrgKind.COUNTY_BOARD
        and user.organisation.county_code == org.county_code
    )


def can_edit_org(user: User, org: Organisation) -> bool:
    """Only members of the organisation itself change its data (admins too)."""
    return user.has_role(Role.ADMIN) or user.organisation_id == org.id


def require_view(org: Organisation) -> None:
    """Abort with 403 unless the current user may see ``org`` in detail."""
    if not can_view_org_detail(current_user, org):
        abort(403)


def require_edit(org: Organisation) -> None:
    """Abort with 403 unless the current user may change ``org``'s data."""
    if not can_edit_org(current_user, org):
        abort(403)


def require_county(county_code: str | None) -> None:
    """Abort with 403 unless the current user may see ``county_code``'s picture."""
    if not can_view_county(current_user, county_code):
        abort(403)
