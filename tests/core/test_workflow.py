"""transition(): declared moves only, audited; the version column refuses stale writes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm.exc import StaleDataError

from app.auth.roles import Role
from app.core.audit import AuditEntry
from app.core.workflow import (
    StaleObject,
    TransitionNotAllowed,
    check_version,
    locked,
    transition,
)
from app.extensions import db
from app.main.errors import handle_concurrent_change
from app.reports import services
from app.reports.models import Report, ReportRevision, RevisionStatus
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import organisation


@pytest.fixture
def draft(make_user) -> ReportRevision:  # noqa: ANN001
    user = make_user("Sundsvall", Role.MUNICIPAL_REPORTER)
    report = services.start_report(organisation("Sundsvall"),
                                   period_containing(today(), Frequency.WEEKLY), user)
    db.session.commit()
    revision = report.latest_revision
    revision.acting_user = user
    return revision


def test_a_declared_move_is_made_and_audited_with_before_and_after(draft) -> None:
    transition(draft, RevisionStatus.SUBMITTED, by=draft.acting_user, reason="klar")
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "report_revision.submitted")).one()
    assert entry.before["status"] == "draft" and entry.after["status"] == "submitted"
    assert entry.after["reason"] == "klar" and entry.user_id == draft.acting_user.id
    assert draft.version == 2


def test_an_undeclared_move_is_refused_and_changes_nothing(draft) -> None:
    transition(draft, RevisionStatus.SUBMITTED, by=None)
    with pytest.raises(TransitionNotAllowed):
        transition(draft, RevisionStatus.DRAFT, by=None)
    assert draft.status is RevisionStatus.SUBMITTED


def test_a_row_changed_by_another_transaction_is_not_overwritten(draft) -> None:
    db.session.execute(sa.update(ReportRevision).where(ReportRevision.id == draft.id)
                       .values(version=ReportRevision.version + 1)
                       .execution_options(synchronize_session=False))
    draft.note = "min ändring"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()


def test_a_stale_form_is_refused(draft) -> None:
    check_version(draft, draft.version)
    with pytest.raises(StaleObject):
        check_version(draft, draft.version - 1)
    with pytest.raises(StaleObject):
        check_version(draft, None)


def test_locked_reads_the_row_afresh(draft) -> None:
    report_id = draft.report_id
    db.session.execute(sa.update(Report).where(Report.id == report_id)
                       .values(breakdown="care_unit")
                       .execution_options(synchronize_session=False))
    assert locked(Report, report_id).breakdown.value == "care_unit"
    assert locked(Report, 2**31 - 1) is None


def test_a_concurrent_change_gets_one_page_that_links_to_the_current_version(app: Flask) -> None:
    with app.test_request_context("/lagesbild/rapport/1/skicka", method="POST",
                                  headers={"Referer": "http://localhost/lagesbild/rapport/1"}):
        html, status = handle_concurrent_change(StaleDataError())
    assert status == 409 and "Någon annan har ändrat det här" in html
    assert 'href="/lagesbild/rapport/1"' in html
    with app.test_request_context("/x", method="POST", headers={"HX-Request": "true"}):
        fragment, status = handle_concurrent_change(StaleObject(object()))
    assert status == 409 and "<html" not in fragment
