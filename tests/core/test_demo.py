"""The demo-data command: real municipalities, demo users, idempotent."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.core.models import CareUnit, County, Organisation, OrgKind
from app.demo.users import DEMO_PASSWORD
from app.extensions import db


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (County, Organisation, CareUnit, User, AuditEntry)
    }


def test_demo_data_loads_the_country_and_demo_users(runner) -> None:
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "sundsvall.rapportor" in result.output and DEMO_PASSWORD in result.output
    counts = _counts()
    assert counts["County"] == 21
    municipalities = db.session.scalar(sa.select(sa.func.count()).where(
        Organisation.kind == OrgKind.MUNICIPALITY))
    assert municipalities == 290
    sundsvall_buyer = db.session.scalar(sa.select(User).where(User.username == "sundsvall.inkop"))
    assert sundsvall_buyer.has_role(Role.PROCUREMENT_LEAD)
    assert sundsvall_buyer.check_password(DEMO_PASSWORD)
    reporters = db.session.scalars(sa.select(User).join(User.organisation).where(
        Organisation.county_code == "18", User.username.like("%.rapportor"))).all()
    assert len(reporters) == 12
    private_units = db.session.scalar(sa.select(sa.func.count()).select_from(CareUnit).where(
        CareUnit.provider_name.is_not(None)))
    assert private_units > 0


def test_demo_data_twice_changes_nothing(runner) -> None:
    assert runner.invoke(args=["demo-data", "--quiet"]).exit_code == 0
    before = _counts()
    result = runner.invoke(args=["demo-data", "--quiet"])
    assert result.exit_code == 0, result.output
    assert _counts() == before


def test_no_demo_report_is_submitted_in_the_future(runner) -> None:
    from datetime import UTC, datetime

    from app.core.types import aware_utc
    from app.reports.models import ReportRevision

    assert runner.invoke(args=["demo-data", "--quiet"]).exit_code == 0
    latest = db.session.scalar(sa.select(sa.func.max(ReportRevision.submitted_at)))
    assert aware_utc(latest) <= datetime.now(UTC)
