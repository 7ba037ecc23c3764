"""Access rules in one place: which roles may use a view, and named predicates for scope.

Every view declares its roles with :func:`roles_required` (a role set from
:mod:`app.auth.roles`) and checks the organisation or county it touches with one of the
predicates below, through :func:`require`. Admins pass every check.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import User
from app.auth.roles import Role
from app.core.models import Organisation, OrgKind

P = ParamSpec("P")
R = TypeVar("R")


def roles_required(roles: Iterable[Role]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Require a logged-in user holding any of ``roles`` (admins pass); otherwise 403."""
    wanted = frozenset(roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not (is_admin(current_user) or current_user.has_role(*wanted)):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require(allowed: bool) -> None:
    """Abort with 403 unless ``allowed`` (the result of one of the predicates below)."""
    if not allowed:
        abort(403)


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def is_national(user: User) -> bool:
    """Admins and the national board see every county."""
    return is_admin(user) or user.organisation.kind is OrgKind.NATIONAL_BOARD


def is_county_board_of(user: User, county_code: str | None) -> bool:
    """Whether the user works at the county board of ``county_code``."""
    org = user.organisation
    return (county_code is not None and org.kind is OrgKind.COUNTY_BOARD
            and org.county_code == county_code)


def is_county_coordinator_of(user: User, county_code: str | None) -> bool:
    """A county coordinator at the board of ``county_code``."""
    return user.has_role(Role.COUNTY_COORDINATOR) and is_county_board_of(user, county_code)


def can_configure_county(user: User, county_code: str | None) -> bool:
    """Change the county's settings and principles: its coordinators, and admins."""
    return is_admin(user) or is_county_coordinator_of(user, county_code)


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
    return (is_national(user) or user.organisation_id == org.id
            or is_county_board_of(user, org.county_code))


def can_edit_org(user: User, org: Organisation) -> bool:
    """Only members of the organisation itself change its data (admins too)."""
    return is_admin(user) or user.organisation_id == org.id


def can_report_for(user: User, org: Organisation) -> bool:
    """Fill in ``org``'s situation reports: its own reporters (and admins)."""
    return (is_admin(user) or user.has_role(Role.MUNICIPAL_REPORTER)) and can_edit_org(user, org)


def can_see_revision(user: User, org: Organisation, is_draft: bool) -> bool:
    """A report revision of ``org``: drafts only to its reporters, submitted ones to all who
    may see the organisation in detail."""
    return can_view_org_detail(user, org) and (not is_draft or can_report_for(user, org))


def can_see_job(user: User, job: object) -> bool:
    """A background job: the organisation that started it (and admins)."""
    return is_admin(user) or user.organisation_id == getattr(job, "organisation_id", None)


def can_comment_in_county(user: User, county_code: str | None) -> bool:
    """Remarks on a county's proposals: its coordinators and the logistics meeting's members
    from any organisation of the county."""
    return is_admin(user) or (
        user.has_role(Role.LOGISTICS_MEMBER, Role.COUNTY_COORDINATOR)
        and county_code is not None and user.organisation.county_code == county_code)


def can_act_for(user: User, org: Organisation) -> bool:
    """Mark an organisation's transfers sent or received, invoice and pay for it: its own
    municipal staff (and admins)."""
    return is_admin(user) or (user.organisation_id == org.id and user.has_role(
        Role.MUNICIPAL_REPORTER, Role.MUNICIPAL_BUYER))


# --- Joint procurement ------------------------------------------------------------------
# The records are passed in as they are (duck typing, like can_see_job): app.auth sits
# below the procurement domain and does not import its models.

def is_buyer_of(user: User, org_id: int | None) -> bool:
    """A buyer of organisation ``org_id`` (admins too): registers for it and commits for it."""
    return is_admin(user) or (user.has_role(Role.MUNICIPAL_BUYER)
                              and org_id is not None and user.organisation_id == org_id)


def is_procurement_lead_of(user: User, county_code: str | None) -> bool:
    """A procurement lead (the region or the lead municipality) of ``county_code``."""
    org = user.organisation
    return is_admin(user) or (
        user.has_role(Role.PROCUREMENT_LEAD) and county_code is not None
        and org.county_code == county_code and org.kind in (OrgKind.MUNICIPALITY,
                                                            OrgKind.REGION))


def can_edit_offer(user: User, offer: object) -> bool:
    """Change an offer or a supplier, or attach files to it: buyers of the organisation that
    registered it (every buyer of the county sees it, only they change it)."""
    return is_buyer_of(user, getattr(offer, "organisation_id", None))


def can_commit_for(user: User, org: Organisation, county_code: str | None) -> bool:
    """Enter ``org``'s commitment in a pooled order of ``county_code``: its own buyers."""
    return org.county_code == county_code and is_buyer_of(user, org.id)
