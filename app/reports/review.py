"""What the reporter reviews before submitting: unsaved values and warnings.

The review page is requested with the values the page's fields show (after any pending
saves have finished); a value that differs from what is stored was not saved, usually
because it was refused, and blocks the submission until it is corrected.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext, ngettext

from app.core.formatting import current_language, number
from app.core.models import Material
from app.core.types import aware_utc
from app.reports.forms import LineForm
from app.reports.models import Report, ReportRevision
from app.reports.services import (
    LINE_FIELDS,
    Section,
    delivery_window,
    lines_by_key,
)


@dataclass(frozen=True)
class Unsaved:
    """A field whose shown value is not what the report holds."""

    section: Section
    material: Material
    label: str


def unsaved_fields(report: Report, revision: ReportRevision | None, shown: Mapping[str, str],
                   materials: list[Material], sections: list[Section]) -> list[Unsaved]:
    """Fields whose value in ``shown`` (form data named like the report rows) is not stored."""
    if revision is None:
        return []
    stored = lines_by_key(revision.lines)
    earliest, latest = delivery_window(report.period)
    found = []
    for section in sections:
        for material in materials:
            prefix = f"{section.key}-{material.code}"
            if not any(key.startswith(f"{prefix}-") for key in shown):
                continue
            form = LineForm(formdata=shown, prefix=prefix, earliest=earliest, latest=latest,
                            meta={"csrf": False})
            form.validate()
            line = stored.get((section.key, material.id))
            found += [Unsaved(section, material, str(getattr(form, name).label.text))
                      for name in LINE_FIELDS
                      if getattr(form, name).errors or _differs(form, name, line)]
    return found


def _differs(form: LineForm, name: str, line: object | None) -> bool:
    value = form.data[name]
    if isinstance(value, str):
        value = value.strip()
    stored = getattr(line, name) if line is not None else None
    return (value or None) != (stored or None)


@dataclass(frozen=True)
class ReviewWarning:
    """Something the reporter should look at before submitting (does not block)."""

    text: str
    items: list[str]


def warnings(report: Report, revision: ReportRevision | None, materials: list[Material],
             now: datetime) -> list[ReviewWarning]:
    """Pre-filled rows nobody checked, requests for support, materials without any line,
    and a deadline that has passed."""
    if revision is None:
        return []
    language = current_language()
    names = {material.id: material.name_for(language) for material in materials}
    found = []
    prefilled = [line for line in revision.lines if line.prefilled]
    if prefilled:
        found.append(ReviewWarning(ngettext(
            "%(num)s rad är oförändrad sedan den förifylldes från förra perioden. Stämmer "
            "lager och förbrukning?",
            "%(num)s rader är oförändrade sedan de förifylldes från förra perioden. Stämmer "
            "lager och förbrukning?", len(prefilled)),
            sorted({names[line.material_id] for line in prefilled})))
    support = [gettext("%(material)s: %(quantity)s", material=names[line.material_id],
                       quantity=number(line.support_quantity))
               for line in revision.lines if line.support_quantity]
    if support:
        found.append(ReviewWarning(gettext("Rapporten begär stöd från länet:"), support))
    reported = {line.material_id for line in revision.lines}
    missing = [names[m.id] for m in materials if m.id not in reported]
    if missing:
        found.append(ReviewWarning(gettext("Inga uppgifter för dessa material:"), missing))
    if now > aware_utc(report.deadline):
        found.append(ReviewWarning(gettext("Sista dag har passerat: rapporten markeras som sen."),
                             []))
    return found
