"""The audit log records who changed what, with before and after."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum

import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core import audit
from app.core.audit import AuditEntry
from app.core.models import OrgKind
from app.extensions import db
from tests.helpers import organisation, page_csrf


class Colour(Enum):
    RED = "red"


def test_record_serialises_values(app) -> None:
    entry = audit.record("thing.update", "thing", 7, before={"price": Decimal("1.50")},
                         after={"colour": Colour.RED, "tags": {"a"}})
    db.session.flush()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored.entity_id == "7" and stored.before == {"price": "1.50"}
    assert stored.after == {"colour": "red", "tags": ["a"]}


def test_admin_creating_a_user_is_audited_with_the_acting_admin(client, logged_in) -> None:
    admin = logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    token = page_csrf(client, "/admin/anvandare/ny")
    sundsvall_id = organisation("Sundsvall").id
    response = client.post("/admin/anvandare/ny", data={
        "csrf_token": token, "username": "ny.rapportor", "full_name": "Ny Rapportör",
        "organisation_id": sundsvall_id, "roles": ["municipal_reporter"],
        "password": "ett-langt-losenord",
    })
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "ny.rapportor"))
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.create", AuditEntry.entity_id == str(user.id))).one()
    assert entry.user_id == admin.id
    assert entry.after["roles"] == ["municipal_reporter"]
    assert "password" not in str(entry.after)
