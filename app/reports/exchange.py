"""Report files: the import template, validation of uploaded rows, and exports.

An upload is validated row by row with the same form as the web table, so a file can never
store what the form would refuse. Nothing is saved until the user confirms a preview
without errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from werkzeug.datastructures import MultiDict

from app.core import audit
from app.core.models import Material
from app.extensions import db
from app.reports.forms import LineForm
from app.reports.models import Report, ReportImport, ReportRevision
from app.reports.picture import CountyPicture
from app.reports.services import (
    Section,
    delivery_window,
    draft_of,
    lines_by_key,
    save_line,
)
from app.reports.spreadsheets import Sheet, Table
from app.reports.periods import Period

COLUMNS = ("Materialkod", "Material", "Avsnitt", "Lager", "Förbrukning", "Inkommande",
           "Leveransdatum", "Begärt stöd", "Motivering")
FIELD_COLUMNS = {"stock": "Lager", "consumption": "Förbrukning", "incoming": "Inkommande",
                 "incoming_date": "Leveransdatum", "support_quantity": "Begärt stöd",
                 "support_justification": "Motivering"}
MAX_IMPORT_ROWS = 2000


@dataclass
class ImportRow:
    """One data row of an uploaded file with what it would save, or why it cannot."""

    row_number: int
    material_code: str
    section_label: str
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    section_key: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def period_label(period: Period) -> str:
    if period.is_week:
        year, week, _ = period.start.isocalendar()
        return f"v. {week} {year}"
    if period.days == 1:
        return period.start.isoformat()
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def report_sheet(report: Report, revision: ReportRevision, sections: list[Section],
                 materials: list[Material]) -> Sheet:
    """The report as a spreadsheet, one row per section and material (also the template)."""
    lines = lines_by_key(revision.lines)
    rows = []
    for section in sections:
        for material in materials:
            line = lines.get((section.key, material.id))
            rows.append([
                material.code, material.name_sv, section.label,
                *(_cell(getattr(line, name)) if line else None for name in FIELD_COLUMNS),
            ])
    title = f"{report.organisation.name} {period_label(report.period)}"
    return Sheet(title=title, header=COLUMNS, rows=rows)


def _cell(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def validate_rows(report: Report, table: Table, sections: list[Section],
                  materials: list[Material]) -> list[ImportRow]:
    """Check every row against the report's sections, the catalogue and the line rules."""
    by_label = {section.label.casefold(): section for section in sections}
    by_code = {material.code.casefold(): material for material in materials}
    earliest, latest = delivery_window(report.period)
    seen: set[tuple[str, str]] = set()
    rows = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        record = dict(zip(COLUMNS, cells, strict=True))
        row = ImportRow(number, record["Materialkod"], record["Avsnitt"],
                        {name: record[column] for name, column in FIELD_COLUMNS.items()})
        material = by_code.get(row.material_code.casefold())
        section = by_label.get(row.section_label.casefold())
        if material is None:
            row.errors.append(f"Okänd materialkod: {row.material_code or '(tom)'}.")
        if section is None:
            row.errors.append(f"Okänt avsnitt: {row.section_label or '(tomt)'}.")
        elif material is not None:
            row.section_key = section.key
            if (section.key, material.code) in seen:
                row.errors.append("Samma material och avsnitt finns på flera rader.")
            seen.add((section.key, material.code))
        if _is_blank(row):
            continue
        form = LineForm(formdata=MultiDict(row.values), earliest=earliest, latest=latest,
                        meta={"csrf": False})
        if not form.validate():
            row.errors.extend(f"{FIELD_COLUMNS[name]}: {message}"
                              for name, messages in form.errors.items() for message in messages)
        rows.append(row)
    return rows


def _is_blank(row: ImportRow) -> bool:
    """Rows of the template the user left empty are ignored."""
    return not row.errors and not any(value.strip() for value in row.values.values())


def store_preview(revision: ReportRevision, filename: str, rows: list[ImportRow],
                  user_id: int) -> ReportImport:
    """Keep the validated rows until the user confirms them."""
    pending = ReportImport(revision=revision, filename=filename[:200], created_by_id=user_id,
                           rows=[{"section": row.section_key, "material": row.material_code,
                                  "values": row.values} for row in rows])
    db.session.add(pending)
    db.session.flush()
    audit.record("report_import.upload", "report_import", pending.id,
                 organisation_id=revision.report.organisation_id,
                 after={"filename": filename, "rows": len(rows)})
    return pending


def apply_import(pending: ReportImport, report: Report, sections: list[Section],
                 materials: list[Material], now: datetime) -> int:
    """Save every row of a confirmed preview through the same rules as the form."""
    by_key = {section.key: section for section in sections}
    by_code = {material.code.casefold(): material for material in materials}
    earliest, latest = delivery_window(report.period)
    for row in pending.rows:
        form = LineForm(formdata=MultiDict(row["values"]), earliest=earliest, latest=latest,
                        meta={"csrf": False})
        if not form.validate():
            raise ValueError(f"row no longer valid: {form.errors}")
        save_line(report, by_key[row["section"]], by_code[row["material"].casefold()],
                  form.data)
    pending.applied_at = now
    audit.record("report_import.apply", "report_import", pending.id,
                 organisation_id=report.organisation_id, after={"rows": len(pending.rows)})
    return len(pending.rows)


def is_importable(pending: ReportImport, report: Report) -> bool:
    """Only an unapplied preview of the report's current draft can be confirmed."""
    draft = draft_of(report)
    return draft is not None and pending.revision_id == draft.id and pending.applied_at is None


def county_sheets(picture: CountyPicture, county_name: str) -> list[Sheet]:
    """The county picture as spreadsheets: days of supply, then the underlying figures."""
    label = period_label(picture.period)
    days_rows, detail_rows = [], []
    for row in picture.rows:
        days_rows.append([row.organisation.name, "ja" if row.reported else "nej",
                          *(_days(row.cells.get(m.id)) for m in picture.materials)])
        for material in picture.materials:
            figure = row.cells.get(material.id)
            if figure is not None:
                detail_rows.append(_detail(row.organisation.name, material, figure))
    days_rows.append(["Länet totalt", "",
                      *(_days(picture.totals[m.id]) for m in picture.materials)])
    for material in picture.materials:
        detail_rows.append(_detail("Länet totalt", material, picture.totals[material.id]))
    return [
        Sheet(f"Dagar {label}", ["Kommun", "Rapporterat", *(m.name_sv for m in picture.materials)],
              days_rows),
        Sheet(f"Underlag {label}", ["Kommun", "Materialkod", "Material", "Enhet", "Lager",
                                    "Förbrukning", "Inkommande inom horisont", "Förbrukning per dag",
                                    "Dagar av tillgång", "Behov", "Begärt stöd", "Prognos (dagar)"],
              detail_rows),
    ]


def _days(figure: object) -> float | str | None:
    days = getattr(figure, "days", None)
    if days is None:
        return None
    return "oändligt" if days == float("inf") else round(days, 1)


def _detail(name: str, material: Material, figure: object) -> list[object]:
    totals = figure.totals
    forecast = figure.forecast
    return [name, material.code, material.name_sv, material.unit, totals.stock,
            totals.consumption, totals.incoming,
            None if figure.daily_use is None else round(figure.daily_use, 2), _days(figure),
            figure.need, totals.support,
            None if forecast is None else ("oändligt" if forecast == float("inf")
                                           else round(forecast, 1))]
