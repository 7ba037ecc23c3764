"""The report form: save lines, validation, submit, lock, revisions, audit."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.reports.models import ReportLine, RevisionStatus
from tests.helpers import page_csrf
from tests.reports.conftest import (
    material_code,
    save_line,
    set_breakdown,
    start_report,
    submit_report,
)


def _lines(report) -> list[ReportLine]:  # noqa: ANN001
    db.session.refresh(report)
    return report.latest_revision.lines


def test_reporter_starts_a_report_and_sees_the_form(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "Lägesbild Sundsvall" in html and "Granska och skicka in" in html
    assert 'hx-trigger="change"' in html and "Egen verksamhet" in html
    assert '<label class="visually-hidden" for="own-MUNSKYDD_IIR-stock">Lager, ' in html


def test_saving_a_line_stores_it_and_returns_derived_figures(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    response = save_line(client, report, "own", material_code(), stock=1400, consumption=700)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Sparad" in html
    assert 'id="line-own-MUNSKYDD_IIR-use" hx-swap-oob="true">100,0<' in html
    # 1400 / 100 = 14 days: green at the default thresholds (yellow below 14)
    days = html.split('id="line-own-MUNSKYDD_IIR-days" hx-swap-oob="true">')[1]
    assert days.lstrip().startswith('<span class="level level--green">14,0')
    assert 'id="report-summary" hx-swap-oob="true"' in html
    (line,) = _lines(report)
    assert (line.stock, line.consumption, line.section) == (1400, 700, "own")


def test_invalid_line_is_refused_with_swedish_messages_and_nothing_saved(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    response = save_line(client, report, "own", material_code(), stock=-5, consumption="12,5",
                         support_quantity=10)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange ett tal mellan 0 och 10 000 000." in html
    assert "Ange ett heltal (inga decimaler eller bokstäver)." in html
    assert "En begäran om stöd behöver en motivering." in html
    assert "Inte sparad" in html
    assert _lines(report) == []


def test_absurd_quantities_and_dates_are_refused(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    too_late = report.period_end + timedelta(days=365)
    response = save_line(client, report, "own", material_code(), stock=10**9, incoming=5,
                         incoming_date=too_late.isoformat())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ange ett tal mellan 0 och 10 000 000." in html and "Datumet måste ligga mellan" in html
    no_date = save_line(client, report, "own", material_code(), incoming=5)
    assert "Ange när leveransen väntas." in no_date.get_data(as_text=True)
    bad_date = save_line(client, report, "own", material_code(), incoming=5,
                         incoming_date="2026-13-45")
    assert bad_date.status_code == 422
    assert _lines(report) == []


def test_submit_locks_the_report_and_a_correction_makes_a_new_revision(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=500, consumption=70)
    assert submit_report(client, report).status_code == 302
    db.session.refresh(report)
    first = report.latest_revision
    assert first.status is RevisionStatus.SUBMITTED and report.submitted_revision_id == first.id
    assert first.submitted_by_id == reporter.id
    locked = save_line(client, report, "own", material_code(), stock=1, consumption=1)
    assert locked.status_code == 409 and "låst" in locked.get_data(as_text=True)
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "Rätta rapporten (ny revision)" in html and "hx-post" not in html

    token = page_csrf(client, f"/lagesbild/rapport/{report.id}")
    client.post(f"/lagesbild/rapport/{report.id}/rattelse", data={"csrf_token": token})
    save_line(client, report, "own", material_code(), stock=600, consumption=70)
    db.session.refresh(report)
    assert [r.number for r in report.revisions] == [1, 2]
    assert report.revisions[0].lines[0].stock == 500  # the submitted revision is unchanged
    assert report.revisions[1].lines[0].stock == 600
    assert report.submitted_revision_id == first.id  # the county still sees revision 1
    history = client.get(f"/lagesbild/rapport/{report.id}?revision=1").get_data(as_text=True)
    assert "Revision 1" in history and "Revision 2" in history


def test_late_submission_is_marked(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    report.deadline = report.deadline - timedelta(days=30)
    db.session.commit()
    response = submit_report(client, report, follow_redirects=True)
    assert "markeras som sen" in response.get_data(as_text=True)
    db.session.refresh(report)
    assert report.latest_revision.late


def test_new_period_is_prefilled_from_the_previous_report(client, reporter) -> None:
    previous = start_report(client, "Sundsvall")
    save_line(client, previous, "own", material_code(), stock=1000, consumption=300)
    submit_report(client, previous)
    # Move the submitted report one week back, so that this week can be started afresh.
    db.session.refresh(previous)
    previous.period_start -= timedelta(days=7)
    previous.period_end -= timedelta(days=7)
    db.session.commit()
    current = start_report(client, "Sundsvall")
    assert current.id != previous.id
    (line,) = _lines(current)
    assert (line.stock, line.consumption) == (700, 300)
    html = client.get(f"/lagesbild/rapport/{current.id}").get_data(as_text=True)
    assert "förifyllda från förra perioden" in html


def test_every_save_and_submission_is_audited(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=10, consumption=7)
    save_line(client, report, "own", material_code(), stock=12, consumption=7)
    submit_report(client, report)
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.user_id == reporter.id, AuditEntry.action.like("report%"))
        .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["report.start", "report_line.save", "report_line.save",
                                           "report_revision.submitted"]
    assert entries[2].before["stock"] == 10 and entries[2].after["stock"] == 12


def test_care_unit_breakdown_lists_private_units(client, reporter) -> None:
    from app.core.models import CareUnit, CareUnitType, Ownership
    from tests.helpers import organisation

    org = organisation("Sundsvall")
    db.session.add_all([
        CareUnit(organisation=org, name="Björkbacken", unit_type=CareUnitType.RESIDENTIAL_CARE,
                 ownership=Ownership.MUNICIPAL),
        CareUnit(organisation=org, name="Solgården (Attendo)", provider_name="Attendo",
                 unit_type=CareUnitType.HOME_CARE, ownership=Ownership.PRIVATE)])
    db.session.commit()
    report = start_report(client, "Sundsvall")
    set_breakdown(client, report, "care_unit")
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "Björkbacken" in html and "Solgården (Attendo)" in html and "privat" in html


def test_text_that_is_not_a_number_gets_one_message(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    html = save_line(client, report, "own", material_code(), stock="abc").get_data(as_text=True)
    errors = html.split('id="own-MUNSKYDD_IIR-stock-errors"')[1].split("</ul>")[0]
    assert errors.count("<li>") == 1 and "Ange ett heltal" in errors


def test_text_over_the_limit_is_refused_with_a_message_not_cut(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    html = client.get(f"/lagesbild/rapport/{report.id}").get_data(as_text=True)
    assert "maxlength" not in html  # a browser would cut pasted text silently
    response = save_line(client, report, "own", material_code(), stock=1, consumption=1,
                         support_quantity=5, support_justification="x" * 1001)
    assert response.status_code == 422
    assert "Motiveringen får vara högst 1 000 tecken." in response.get_data(as_text=True)
    saved = save_line(client, report, "own", material_code(), stock=1, consumption=1,
                      support_quantity=5, support_justification="x" * 1000)
    assert saved.status_code == 200
    assert _lines(report)[0].support_justification == "x" * 1000
