"""Import preview and exports of reports and the county picture."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from app.auth.models import Role
from app.documents.spreadsheets import Sheet, to_csv, to_xlsx
from app.extensions import db
from app.reports.exchange import COLUMNS
from tests.helpers import page_csrf
from tests.reports.conftest import material_code, save_line, start_report


def _upload(client, report, filename: str, data: bytes):  # noqa: ANN001, ANN201
    token = page_csrf(client, f"/lagesbild/rapport/{report.id}")
    return client.post(f"/lagesbild/rapport/{report.id}/import", data={
        "csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data", follow_redirects=True)


def _template_rows(client, report) -> list[list[object]]:  # noqa: ANN001
    response = client.get(f"/lagesbild/rapport/{report.id}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_downloaded_template_filled_in_imports_after_preview(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    header, *rows = _template_rows(client, report)
    assert tuple(header) == COLUMNS and len(rows) == 2 * 13  # own + private, 13 materials
    rows[0][3:8] = [1200, 350, 100, (report.period_end).isoformat(), None]
    rows[14][3:5] = [80, 20]
    response = _upload(client, report, "lagesbild.xlsx", to_xlsx([Sheet("x", COLUMNS, rows)]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Alla 2 rader är giltiga" in html
    db.session.refresh(report)
    assert report.latest_revision.lines == []  # nothing saved before confirmation
    import_id = re.search(r"/import/(\d+)", html).group(1)
    token = page_csrf(client, f"/lagesbild/rapport/{report.id}")
    confirmed = client.post(f"/lagesbild/rapport/{report.id}/import/{import_id}",
                            data={"csrf_token": token}, follow_redirects=True)
    assert "2 rader är importerade." in confirmed.get_data(as_text=True)
    db.session.refresh(report)
    stocks = sorted((line.section, line.stock, line.incoming)
                    for line in report.latest_revision.lines)
    assert stocks == [("own", 1200, 100), ("private", 80, 0)]
    again = client.post(f"/lagesbild/rapport/{report.id}/import/{import_id}",
                        data={"csrf_token": token}, follow_redirects=True)
    assert "kan inte längre sparas" in again.get_data(as_text=True)


def test_file_with_errors_shows_every_row_and_saves_nothing(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    rows = [
        ["MUNSKYDD_IIR", "", "Egen verksamhet", "-4", "10", "", "", "", ""],
        ["FINNS_INTE", "", "Egen verksamhet", "1", "1", "", "", "", ""],
        ["VISIR", "", "Okänd enhet", "1", "1", "", "", "", ""],
        ["VISIR", "", "Egen verksamhet", "1", "1", "", "", "5", ""],
        ["ANTIGENTEST", "", "Egen verksamhet", "10", "2", "", "", "", ""],
    ]
    response = _upload(client, report, "fel.csv", to_csv(Sheet("x", COLUMNS, rows)))
    html = response.get_data(as_text=True)
    assert "4 av 5 rader har fel. Inget har sparats." in html
    assert "Lager: Ange ett tal mellan 0 och 10 000 000." in html
    assert "Okänd materialkod: FINNS_INTE." in html and "Okänt avsnitt: Okänd enhet." in html
    assert "Motivering: En begäran om stöd behöver en motivering." in html
    assert "Spara 5 rader" not in html
    db.session.refresh(report)
    assert report.latest_revision.lines == []


def test_wrong_columns_are_explained_next_to_the_field(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    data = to_csv(Sheet("x", ["Material", "Lagret"], [["VISIR", "1"]]))
    response = _upload(client, report, "fel.csv", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="file-errors">\s*<li>Kolumnerna stämmer inte med mallen', html)


def test_huge_file_is_refused(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    rows = [["VISIR", "", "Egen verksamhet", "1", "1", "", "", "", ""]] * 2500
    response = _upload(client, report, "stor.csv", to_csv(Sheet("x", COLUMNS, rows)))
    assert response.status_code == 422
    assert "Filen har fler än 2000 rader" in response.get_data(as_text=True)


def test_wrong_file_type_is_refused(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    response = _upload(client, report, "rapport.pdf", b"%PDF-1.4")
    assert response.status_code == 422
    assert "Filen måste vara .xlsx eller .csv." in response.get_data(as_text=True)


def test_report_exports_are_named_after_the_municipality_week_and_revision(client,
                                                                            logged_in) -> None:
    logged_in("Örnsköldsvik", Role.MUNICIPAL_REPORTER)
    report = start_report(client, "Örnsköldsvik")
    year, week, _ = report.period_start.isocalendar()
    response = client.get(f"/lagesbild/rapport/{report.id}/export.csv")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=lagesbild-Ornskoldsvik-v{week:02d}-{year}-rev1.csv")


def test_report_export_guards_formulas(client, reporter) -> None:
    report = start_report(client, "Sundsvall")
    save_line(client, report, "own", material_code(), stock=10, consumption=70,
              support_quantity=5, support_justification="=HYPERLINK(\"http://x\")")
    csv_text = client.get(f"/lagesbild/rapport/{report.id}/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";10;70;" in csv_text
    workbook = load_workbook(io.BytesIO(client.get(
        f"/lagesbild/rapport/{report.id}/export.xlsx").data))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
