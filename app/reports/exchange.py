"""Report files: the import template, validation of uploaded rows, and exports.

An upload is validated row by row with the same form as the web table, so a file can never
store what the form would refuse. Nothing is saved until the user confirms a preview
without errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict

from app.core import audit
from app.core.models import Material
from app.documents.spreadsheets import Sheet, Table, read_table
from app.extensions import db
from app.reports.forms import LineForm
from app.reports.labels import period_label
from app.reports.models import Report, ReportImport, ReportRevision
from app.reports.picture import CountyPicture
from app.reports.services import (
    Section,
    delivery_window,
    draft_of,
    lines_by_key,
    municipality_sections,
    save_line,
)

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


def report_sheet(report: Report, revision: ReportRevision, sections: list[Section],
                 materials: list[Material]) -> Sheet:
    """The report as a spreadsheet, one row per section and material (also the template).

    Section labels are written in Swedish, like the column names, whatever the UI language.
    """
    lines = lines_by_key(revision.lines)
    with force_locale("sv"):
        sections = [section if section.care_unit_id else next(
            s for s in municipality_sections() if s.key == section.key) for section in sections]
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


def _section_labels(sections: list[Section]) -> dict[str, Section]:
    """Sections by their label in every UI language (files may come from either)."""
    labels = {section.label.casefold(): section for section in sections if section.care_unit_id}
    by_key = {section.key: section for section in sections}
    for language in ("en", "sv"):
        with force_locale(language):
            for generic in municipality_sections():
                if generic.key in by_key:
                    labels[generic.label.casefold()] = by_key[generic.key]
    return labels


def validate_rows(report: Report, table: Table, sections: list[Section],
                  materials: list[Material]) -> list[ImportRow]:
    """Check every row against the report's sections, the catalogue and the line rules."""
    by_label = _section_labels(sections)
    by_code = {material.code.casefold(): material for material in materials}
    earliest, latest = delivery_window(report.period)
    seen: set[tuple[str, str]] = set()
    rows = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        record = dict(zip(COLUMNS, cells, strict=True))
        row = ImportRow(number, record["Materialkod"], record["Avsnitt"],
                        {name: record[column] for name, column in FIELD_COLUMNS.items()})
        if not any(value.strip() for value in row.values.values()):
            continue  # template rows the user left empty are ignored
        material = by_code.get(row.material_code.casefold())
        section = by_label.get(row.section_label.casefold())
        if material is None:
            row.errors.append(gettext("Okänd materialkod: %(code)s.",
                                      code=row.material_code or "–"))
        if section is None:
            row.errors.append(gettext("Okänt avsnitt: %(label)s.",
                                      label=row.section_label or "–"))
        elif material is not None:
            row.section_key = section.key
            if (section.key, material.code) in seen:
                row.errors.append(gettext("Samma material och avsnitt finns på flera rader."))
            seen.add((section.key, material.code))
        form = LineForm(formdata=MultiDict(row.values), earliest=earliest, latest=latest,
                        meta={"csrf": False})
        if not form.validate():
            row.errors.extend(f"{FIELD_COLUMNS[name]}: {message}"
                              for name, messages in form.errors.items() for message in messages)
        rows.append(row)
    return rows


def preview_upload(report: Report, revision: ReportRevision, filename: str, data: bytes,
                   sections: list[Section], materials: list[Material],
                   user_id: int) -> ReportImport:
    """Read an uploaded file, check every row, and keep the result for the preview page.

    Raises :class:`SpreadsheetError` (a Swedish message for the user) when the file cannot
    be read as the template.
    """
    table = read_table(filename, data, expected_header=COLUMNS, max_rows=MAX_IMPORT_ROWS)
    rows = validate_rows(report, table, sections, materials)
    return store_preview(revision, filename, rows, user_id)


def store_preview(revision: ReportRevision, filename: str, rows: list[ImportRow],
                  user_id: int) -> ReportImport:
    """Keep the checked rows, errors included, until the user confirms (or re-uploads)."""
    pending = ReportImport(revision=revision, filename=filename[:200], created_by_id=user_id,
                           rows=[{"row": row.row_number, "section": row.section_key,
                                  "section_label": row.section_label,
                                  "material": row.material_code, "values": row.values,
                                  "errors": row.errors} for row in rows])
    db.session.add(pending)
    db.session.flush()
    audit.record("report_import.upload", "report_import", pending.id,
                 organisation_id=revision.report.organisation_id,
                 after={"filename": filename, "rows": len(rows),
                        "rows_with_errors": sum(1 for row in rows if row.errors)})
    return pending


@dataclass(frozen=True)
class PreviewRow:
    """One row of a stored import as the preview shows it."""

    row_number: int
    material_name: str
    section_label: str
    values: dict[str, str]
    errors: list[str]
    changed: frozenset[str]  # fields whose value differs from what the report holds now

    @property
    def ok(self) -> bool:
        return not self.errors


def preview_rows(pending: ReportImport, report: Report, materials: list[Material],
                 language: str) -> list[PreviewRow]:
    """The stored rows with material names and the fields that would change the report."""
    names = {m.code.casefold(): m.name_for(language) for m in materials}
    ids = {m.code.casefold(): m.id for m in materials}
    stored = lines_by_key(draft_of(report).lines) if draft_of(report) else {}
    forms = _validated_forms(pending, report)
    rows = []
    for row, form in zip(pending.rows, forms, strict=True):
        code = row["material"].casefold()
        line = stored.get((row["section"], ids.get(code)))
        changed = frozenset() if row["errors"] else _changed_fields(form, line)
        rows.append(PreviewRow(row["row"], names.get(code, row["material"]),
                               row["section_label"], row["values"], row["errors"], changed))
    return rows


def _changed_fields(form: LineForm, line: object | None) -> frozenset[str]:
    """Fields of a valid row whose value differs from the stored line (all, if none)."""
    form.validate()
    return frozenset(name for name in FIELD_COLUMNS
                     if line is None or (form.data[name] or None) != (getattr(line, name) or None))


def apply_import(pending: ReportImport, report: Report, sections: list[Section],
                 materials: list[Material], now: datetime) -> int:
    """Save every row of a confirmed preview through the same rules as the form."""
    by_key = {section.key: section for section in sections}
    by_code = {material.code.casefold(): material for material in materials}
    for row, form in zip(pending.rows, _validated_forms(pending, report), strict=True):
        save_line(report, by_key[row["section"]], by_code[row["material"].casefold()],
                  form.data)
    pending.applied_at = now
    audit.record("report_import.apply", "report_import", pending.id,
                 organisation_id=report.organisation_id, after={"rows": len(pending.rows)})
    return len(pending.rows)


def _validated_forms(pending: ReportImport, report: Report) -> list[LineForm]:
    earliest, latest = delivery_window(report.period)
    return [LineForm(formdata=MultiDict(row["values"]), earliest=earliest, latest=latest,
                     meta={"csrf": False}) for row in pending.rows]


def is_importable(pending: ReportImport, report: Report, sections: list[Section],
                  materials: list[Material]) -> bool:
    """Whether a preview can be saved: unapplied, for the current draft, without errors, and
    every row still pointing at an existing section and material and passing the rules."""
    draft = draft_of(report)
    if draft is None or pending.revision_id != draft.id or pending.applied_at is not None:
        return False
    if not pending.rows or any(row["errors"] for row in pending.rows):
        return False
    keys = {section.key for section in sections}
    codes = {material.code.casefold() for material in materials}
    return all(row["section"] in keys and row["material"].casefold() in codes
               for row in pending.rows) and all(
        form.validate() for form in _validated_forms(pending, report))


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
                      *(_days(picture.totals[m.id].figure) for m in picture.materials)])
    for material in picture.materials:
        total = picture.totals[material.id]
        detail_rows.append(_detail("Länet totalt (brist efter full omfördelning)", material,
                                   total.figure))
        detail_rows.append(["Summa av kommunernas behov", material.code, material.name_sv,
                            material.unit, None, None, None, None, None, total.need_sum, None,
                            None])
    return [
        Sheet(f"Dagar {label}", ["Kommun", "Rapporterat", *(m.name_sv for m in picture.materials)],
              days_rows),
        Sheet(f"Underlag {label}", ["Kommun", "Materialkod", "Material", "Enhet", "Lager",
                                    "Förbrukning", "Inkommande inom horisont",
                                    "Förbrukning per dag",
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
