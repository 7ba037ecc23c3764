"""The main navigation, filtered by the roles of the logged-in user."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role

R = Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when rendered
    roles: frozenset[Role]

    def visible_to(self, user) -> bool:  # noqa: ANN001 - current_user proxy
        return user.is_authenticated and (user.has_role(Role.ADMIN) or user.has_role(*self.roles))

    @property
    def active(self) -> bool:
        return (request.endpoint or "").split(".")[0] == self.endpoint.split(".")[0]


NAV_ITEMS = (
    NavItem("main.dashboard", _l("Översikt"), frozenset(Role)),
    NavItem(
        "reports.index",
        _l("Lägesbild"),
        frozenset({R.MUNICIPAL_REPORTER, R.COUNTY_COORDINATOR, R.LOGISTICS_MEMBER, R.VIEWER}),
    ),
    NavItem(
        "redistribution.index",
        _l("Omfördelning"),
        frozenset({R.COUNTY_COORDINATOR, R.LOGISTICS_MEMBER, R.VIEWER}),
    ),
    NavItem(
        "procurement.index",
        _l("Samordnade inköp"),
        frozenset({R.MUNICIPAL_BUYER, R.PROCUREMENT_LEAD, R.COUNTY_COORDINATOR}),
    ),
    NavItem("admin.users", _l("Administration"), frozenset({R.ADMIN})),
)


def navigation_for_current_user() -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.visible_to(current_user)]


ROLE_LABELS = {
    Role.COUNTY_COORDINATOR: _l("Samordnare, länsstyrelsen"),
    Role.LOGISTICS_MEMBER: _l("Ledamot i logistikberedningen"),
    Role.MUNICIPAL_REPORTER: _l("Rapportör, kommun"),
    Role.MUNICIPAL_BUYER: _l("Inköpare, kommun"),
    Role.PROCUREMENT_LEAD: _l("Inköpsledare"),
    Role.VIEWER: _l("Läsbehörighet"),
    Role.ADMIN: _l("Administratör"),
}


def register_navigation(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict[str, object]:
        return {"nav_items": navigation_for_current_user(), "role_labels": ROLE_LABELS}
