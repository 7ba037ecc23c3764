"""The main navigation, filtered by the roles of the logged-in user."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import is_admin
from app.auth.roles import (
    ADMINS,
    ALL_ROLES,
    PROCUREMENT_READERS,
    REDISTRIBUTION_READERS,
    ROLE_LABELS,
    SITUATION_READERS,
    Role,
)


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when rendered
    roles: frozenset[Role]

    def visible_to(self, user) -> bool:  # noqa: ANN001 - current_user proxy
        return user.is_authenticated and (is_admin(user) or user.has_role(*self.roles))

    @property
    def active(self) -> bool:
        return (request.endpoint or "").split(".")[0] == self.endpoint.split(".")[0]


NAV_ITEMS = (
    NavItem("main.dashboard", _l("Översikt"), ALL_ROLES),
    NavItem("reports.index", _l("Lägesbild"), SITUATION_READERS),
    NavItem("redistribution.index", _l("Omfördelning"), REDISTRIBUTION_READERS),
    NavItem("procurement.index", _l("Samordnade inköp"), PROCUREMENT_READERS),
    NavItem("admin.users", _l("Administration"), ADMINS),
)


def navigation_for_current_user() -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.visible_to(current_user)]


def register_navigation(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict[str, object]:
        return {"nav_items": navigation_for_current_user(), "role_labels": ROLE_LABELS}
