"""Situation report pages: the municipality's report form and the county picture."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.models import Role
from app.core.access import (
    can_edit_org,
    can_view_org_detail,
    require_county,
    require_edit,
    require_view,
    roles_required,
)
from app.core.htmx import render_page_or_fragment
from app.core.models import CareUnit, County, Material, Organisation, OrgKind
from app.core.services import care_unit_name_taken, care_units_of, save_care_unit
from app.documents.downloads import download_name, send_spreadsheet
from app.documents.spreadsheets import SpreadsheetError, read_table
from app.extensions import db
from app.reports import exchange, services
from app.reports.forms import (
    UNIT_TYPE_LABELS,
    CareUnitForm,
    ImportForm,
    LineForm,
    SettingsForm,
)
from app.reports.graphics import county_graphics
from app.reports.models import Breakdown, Report, ReportImport, ReportRevision
from app.reports.periods import Frequency, Period, parse_period_start, period_containing, today
from app.reports.picture import build_picture, county_municipalities
from app.reports.sheet import previous_use, section_rows, summary_rows

bp = Blueprint("reports", __name__, url_prefix="/lagesbild")

R = Role
REPORTERS = (R.MUNICIPAL_REPORTER,)
READERS = (R.MUNICIPAL_REPORTER, R.COUNTY_COORDINATOR, R.LOGISTICS_MEMBER, R.VIEWER)
COUNTY_READERS = (R.COUNTY_COORDINATOR, R.LOGISTICS_MEMBER, R.VIEWER, R.MUNICIPAL_REPORTER)


@bp.route("/")
@roles_required(*READERS)
def index() -> Response | str:
    """Send each user to their starting point: own reports, or the county picture."""
    org = current_user.organisation
    if org.kind is OrgKind.MUNICIPALITY:
        return redirect(url_for("reports.municipality", org_id=org.id))
    if org.county_code:
        return redirect(url_for("reports.county", county_code=org.county_code))
    counties = db.session.scalars(sa.select(County).order_by(County.code)).all()
    return render_template("reports/counties.html", counties=counties)


# --- The municipality's reports -------------------------------------------------------------

def _municipality_or_404(org_id: int) -> Organisation:
    org = db.get_or_404(Organisation, org_id)
    if org.kind is not OrgKind.MUNICIPALITY:
        abort(404)
    return org


@bp.route("/kommun/<int:org_id>/")
@roles_required(*READERS)
def municipality(org_id: int) -> str:
    """A municipality's reports, newest first, and the current period."""
    org = _municipality_or_404(org_id)
    require_view(org)
    period = services.current_period(org)
    return render_template(
        "reports/municipality.html", org=org, reports=services.reports_of(org), period=period,
        current=services.find_report(org, period), can_edit=_can_report(org),
        period_label=exchange.period_label, now=datetime.now(UTC))


def _can_report(org: Organisation) -> bool:
    """Reporters of the organisation itself (and admins) fill in its reports."""
    return current_user.has_role(R.MUNICIPAL_REPORTER, R.ADMIN) and can_edit_org(current_user,
                                                                                 org)


@bp.route("/kommun/<int:org_id>/starta", methods=["POST"])
@roles_required(*REPORTERS)
def start(org_id: int) -> Response:
    """Open the report of the current period (pre-filled from the previous one)."""
    org = _municipality_or_404(org_id)
    require_edit(org)
    period = services.current_period(org)
    report = services.find_report(org, period) or services.start_report(org, period,
                                                                        current_user)
    db.session.commit()
    return redirect(url_for("reports.report", report_id=report.id))


def _report_for_view(report_id: int) -> Report:
    report = db.get_or_404(Report, report_id)
    require_view(report.organisation)
    return report


def _report_for_edit(report_id: int) -> Report:
    report = db.get_or_404(Report, report_id)
    require_edit(report.organisation)
    return report


def _line_form(report: Report, section: services.Section, material: Material,
               line=None, formdata=None) -> LineForm:  # noqa: ANN001
    earliest, latest = services.delivery_window(report.period)
    return LineForm(formdata=formdata, obj=line, prefix=f"{section.key}-{material.code}",
                    earliest=earliest, latest=latest)


def _section(report: Report, key: str | None
             ) -> tuple[list[services.Section], services.Section | None]:
    """The report's sections and the chosen one (the first by default; None if there are none)."""
    sections = services.sections_for(report)
    if key is None:
        return sections, sections[0] if sections else None
    chosen = next((s for s in sections if s.key == key), None)
    if chosen is None:
        abort(404)
    return sections, chosen


def _visible_revisions(report: Report) -> list[ReportRevision]:
    """Drafts only to the municipality itself; everyone else sees submitted revisions."""
    if _can_report(report.organisation):
        return list(report.revisions)
    return [revision for revision in report.revisions if not revision.is_draft]


def _visible_revision(report: Report, number: int | None) -> ReportRevision:
    """Revision ``number`` (default: the latest) if the user may see it; else 404."""
    revisions = _visible_revisions(report)
    if number is not None:
        return next((r for r in revisions if r.number == number), None) or abort(404)
    if not revisions:
        abort(404)
    return revisions[-1]


@bp.route("/rapport/<int:report_id>")
@roles_required(*READERS)
def report(report_id: int) -> str:
    """The report: an editable table for a draft, read-only once submitted."""
    report = _report_for_view(report_id)
    revision = _visible_revision(report, request.args.get("revision", type=int))
    return _render_report(report, revision, request.args.get("avsnitt"))


def _render_report(report: Report, revision, section_key: str | None, *,  # noqa: ANN001
                   status: int = 200, import_form: ImportForm | None = None,
                   preview=None) -> tuple[str, int]:  # noqa: ANN001
    sections, section = _section(report, section_key)
    settings = services.county_settings(report.organisation.county_code)
    materials = services.materials()
    history = previous_use(report)
    editable = revision.is_draft and _can_report(report.organisation)
    rows = section_rows(report, revision, section, materials, settings, history) if section else []
    forms = {row.material.id: _line_form(report, section, row.material, row.line)
             for row in rows} if editable else {}
    html = render_template(
        "reports/report.html", report=report, revision=revision, sections=sections,
        section=section, rows=rows, forms=forms, editable=editable, settings=settings,
        summary=summary_rows(report, revision, materials, settings, history),
        period_label=exchange.period_label(report.period),
        import_form=import_form or ImportForm(), preview=preview,
        can_correct=not revision.is_draft and _can_report(report.organisation)
        and revision is report.latest_revision,
        visible_revisions=_visible_revisions(report),
    )
    return html, status


@bp.route("/rapport/<int:report_id>/rad/<section_key>/<material_code>", methods=["POST"])
@roles_required(*REPORTERS)
def save_line(report_id: int, section_key: str, material_code: str) -> tuple[str, int]:
    """Save one line as the user leaves a field (htmx); errors are shown next to the fields."""
    report = _report_for_edit(report_id)
    _, section = _section(report, section_key)
    material = db.session.scalar(sa.select(Material).where(Material.code == material_code))
    if material is None:
        abort(404)
    form = _line_form(report, section, material, formdata=request.form)
    revision = services.draft_of(report)
    if revision is None:
        return _line_response(report, section, material, form, locked=True), 409
    if not form.validate():
        return _line_response(report, section, material, form), 422
    services.save_line(report, section, material, form.data)
    db.session.commit()
    return _line_response(report, section, material, form, saved=True), 200


def _line_response(report: Report, section: services.Section, material: Material,
                   form: LineForm, *, saved: bool = False, locked: bool = False) -> str:
    settings = services.county_settings(report.organisation.county_code)
    materials = services.materials()
    history = previous_use(report)
    revision = report.latest_revision
    (row,) = section_rows(report, revision, section, [material], settings, history)
    return render_template(
        "reports/_line_saved.html", report=report, section=section, row=row, form=form,
        saved=saved, locked=locked, settings=settings,
        summary=summary_rows(report, revision, materials, settings, history))


@bp.route("/rapport/<int:report_id>/indelning", methods=["POST"])
@roles_required(*REPORTERS)
def breakdown(report_id: int) -> Response:
    """Switch between municipality totals and per care unit (only while no figures are in)."""
    report = _report_for_edit(report_id)
    try:
        wanted = Breakdown(request.form.get("breakdown", ""))
    except ValueError:
        abort(400)
    try:
        result = services.change_breakdown(report, wanted)
    except services.ReportLocked:
        flash(_("Rapporten är inskickad och kan inte ändras. Gör en rättelse."), "error")
        return redirect(url_for("reports.report", report_id=report.id))
    Change = services.BreakdownChange
    if result is Change.CHANGED:
        db.session.commit()
    messages = {
        Change.CHANGED: (_("Indelningen är ändrad."), "success"),
        Change.UNCHANGED: (_("Rapporten har redan den indelningen."), "info"),
        Change.HAS_FIGURES: (_("Indelningen kan inte ändras när rader redan har värden. "
                               "Töm raderna först."), "error"),
        Change.NO_CARE_UNITS: (_("Kommunen har inga aktiva verksamheter. Lägg till "
                                 "verksamheter först."), "error"),
    }
    flash(*messages[result])
    return redirect(url_for("reports.report", report_id=report.id))


@bp.route("/rapport/<int:report_id>/skicka", methods=["POST"])
@roles_required(*REPORTERS)
def submit(report_id: int) -> Response:
    """Submit and lock the report for the period."""
    report = _report_for_edit(report_id)
    try:
        revision = services.submit(report, current_user)
    except services.ReportLocked:
        flash(_("Rapporten är redan inskickad."), "info")
        return redirect(url_for("reports.report", report_id=report.id))
    db.session.commit()
    message = _("Rapporten är inskickad.")
    if revision.late:
        message += " " + _("Den kom in efter sista dag och markeras som sen.")
    flash(message, "warning" if revision.late else "success")
    return redirect(url_for("reports.report", report_id=report.id))


@bp.route("/rapport/<int:report_id>/rattelse", methods=["POST"])
@roles_required(*REPORTERS)
def correct(report_id: int) -> Response:
    """Open a new revision to correct a submitted report; earlier revisions are kept."""
    report = _report_for_edit(report_id)
    revision = services.open_correction(report, current_user)
    db.session.commit()
    flash(_("Revision %(number)s är öppen för rättelse. Skicka in den när du är klar.",
            number=revision.number), "info")
    return redirect(url_for("reports.report", report_id=report.id))


# --- Care units ----------------------------------------------------------------------------

def _care_unit_page(org: Organisation, unit: CareUnit | None) -> Response | tuple[str, int]:
    form = CareUnitForm(obj=unit, unit_type=unit.unit_type.value if unit else None,
                        ownership=unit.ownership.value if unit else None)
    if form.validate_on_submit():
        if care_unit_name_taken(org, form.name.data, unit):
            form.name.errors.append(_("Det finns redan en verksamhet med det namnet."))
        else:
            save_care_unit(org, unit, form.data)
            db.session.commit()
            flash(_("Verksamheten är sparad."), "success")
            return redirect(url_for("reports.care_units", org_id=org.id))
    status = 422 if form.errors else 200
    return render_template("reports/care_units.html", org=org, form=form, unit=unit,
                           units=care_units_of(org), type_labels=UNIT_TYPE_LABELS), status


@bp.route("/kommun/<int:org_id>/verksamheter", methods=["GET", "POST"])
@roles_required(*REPORTERS)
def care_units(org_id: int) -> Response | tuple[str, int]:
    """The municipality's care units: list them and add one."""
    org = _municipality_or_404(org_id)
    require_edit(org)
    return _care_unit_page(org, None)


@bp.route("/kommun/<int:org_id>/verksamheter/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*REPORTERS)
def edit_care_unit(org_id: int, unit_id: int) -> Response | tuple[str, int]:
    """Change a care unit, or take it out of the reports (inactive)."""
    org = _municipality_or_404(org_id)
    require_edit(org)
    unit = db.get_or_404(CareUnit, unit_id)
    if unit.organisation_id != org.id:
        abort(404)
    return _care_unit_page(org, unit)


# --- Files: template, export, import ---------------------------------------------------------

@bp.route("/rapport/<int:report_id>/export.<fmt>")
@roles_required(*READERS)
def export_report(report_id: int, fmt: str) -> Response:
    """The report (latest revision, or ?revision=N) as .xlsx or .csv; also the import template."""
    report = _report_for_view(report_id)
    revision = _visible_revision(report, request.args.get("revision", type=int))
    sheet = exchange.report_sheet(report, revision, services.sections_for(report),
                                  services.materials())
    return send_spreadsheet([sheet], fmt, download_name(
        "lagesbild", report.organisation.name, exchange.period_file_label(report.period),
        f"rev{revision.number}"))


@bp.route("/rapport/<int:report_id>/import", methods=["POST"])
@roles_required(*REPORTERS)
def upload(report_id: int) -> tuple[str, int]:
    """Read an uploaded file and show a preview with every row's errors; nothing is saved."""
    report = _report_for_edit(report_id)
    revision = services.draft_of(report)
    if revision is None:
        abort(409)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_report(report, revision, None, status=422, import_form=form)
    upload_file = form.file.data
    try:
        table = read_table(upload_file.filename or "", upload_file.read(),
                           expected_header=exchange.COLUMNS, max_rows=exchange.MAX_IMPORT_ROWS)
    except SpreadsheetError as error:
        form.file.errors.append(str(error))
        return _render_report(report, revision, None, status=422, import_form=form)
    sections = services.sections_for(report)
    rows = exchange.validate_rows(report, table, sections, services.materials())
    pending = None
    if rows and all(row.ok for row in rows):
        pending = exchange.store_preview(revision, upload_file.filename or "", rows,
                                         current_user.id)
        db.session.commit()
    return _render_report(report, revision, None, import_form=form,
                          preview={"rows": rows, "pending": pending})


@bp.route("/rapport/<int:report_id>/import/<int:import_id>", methods=["POST"])
@roles_required(*REPORTERS)
def confirm_import(report_id: int, import_id: int) -> Response:
    """Save a previewed file's rows into the draft."""
    report = _report_for_edit(report_id)
    pending = db.get_or_404(ReportImport, import_id)
    if not exchange.is_importable(pending, report, services.sections_for(report),
                                  services.materials()):
        flash(_("Importen kan inte längre sparas. Ladda upp filen igen."), "error")
        return redirect(url_for("reports.report", report_id=report.id))
    count = exchange.apply_import(pending, report, services.sections_for(report),
                                  services.materials(), datetime.now(UTC))
    db.session.commit()
    flash(_("%(count)s rader är importerade.", count=count), "success")
    return redirect(url_for("reports.report", report_id=report.id))


# --- The county picture -------------------------------------------------------------------

def _county_or_404(county_code: str) -> County:
    county = db.session.get(County, county_code) or abort(404)
    require_county(county.code)
    return county


def _chosen_material(materials: list[Material]) -> Material:
    code = request.args.get("material")
    return next((m for m in materials if m.code == code), materials[0])


def _chosen_period(settings) -> Period:  # noqa: ANN001
    raw = request.args.get("period")
    if raw:
        return parse_period_start(raw, settings.frequency) or abort(404)
    return period_containing(today(), settings.frequency)


def _county_context(county: County, settings_form: SettingsForm | None = None
                    ) -> dict[str, object]:
    """Everything the county picture page shows for the requested period and material."""
    settings = services.county_settings(county.code)
    materials = services.materials()
    material = _chosen_material(materials)
    picture = build_picture(county.code, _chosen_period(settings), settings, materials,
                            county_municipalities(county.code))
    return {
        "county": county, "picture": picture, "material": material,
        "graphics": county_graphics(picture, material), "period_label": exchange.period_label,
        "settings_form": settings_form or SettingsForm(
            obj=settings, frequency=settings.frequency.value),
        "can_configure": _can_configure(county),
    }


def _can_configure(county: County) -> bool:
    """Admins, and coordinators of this county's board."""
    org = current_user.organisation
    return current_user.has_role(R.ADMIN) or (
        current_user.has_role(R.COUNTY_COORDINATOR) and org.kind is OrgKind.COUNTY_BOARD
        and org.county_code == county.code)


@bp.route("/lan/<county_code>/")
@roles_required(*COUNTY_READERS)
def county(county_code: str) -> str:
    """Days of supply per municipality and material, trends, map, forecast, support requests."""
    context = _county_context(_county_or_404(county_code))
    return render_page_or_fragment("reports/county.html", "reports/_county_material.html",
                                   **context)


@bp.route("/lan/<county_code>/installningar", methods=["POST"])
@roles_required(R.COUNTY_COORDINATOR)
def county_settings(county_code: str) -> Response | tuple[str, int]:
    """Change the county's reporting frequency, horizon, thresholds and scenario."""
    county = _county_or_404(county_code)
    if not _can_configure(county):
        abort(403)
    form = SettingsForm()
    if not form.validate():
        return render_template("reports/county.html", **_county_context(county, form)), 422
    services.update_settings(services.county_settings(county.code), {
        "frequency": Frequency(form.frequency.data),
        "horizon_days": form.horizon_days.data,
        "red_below_days": form.red_below_days.data,
        "yellow_below_days": form.yellow_below_days.data,
        "scenario_multiplier": float(form.scenario_multiplier.data),
    })
    db.session.commit()
    flash(_("Länets inställningar är sparade."), "success")
    return redirect(url_for("reports.county", county_code=county.code))


@bp.route("/lan/<county_code>/export.<fmt>")
@roles_required(*COUNTY_READERS)
def export_county(county_code: str, fmt: str) -> Response:
    """The county picture of a period as .xlsx (two sheets) or .csv (days of supply)."""
    county = _county_or_404(county_code)
    settings = services.county_settings(county.code)
    period = _chosen_period(settings)
    picture = build_picture(county.code, period, settings, services.materials(),
                            county_municipalities(county.code))
    return send_spreadsheet(exchange.county_sheets(picture, county.name), fmt, download_name(
        "lagesbild", county.name, exchange.period_file_label(period)))


def _county_member(county_code: str, org_id: int) -> tuple[County, Organisation]:
    county = _county_or_404(county_code)
    org = _municipality_or_404(org_id)
    if org.county_code != county.code:
        abort(404)
    return county, org


@bp.route("/lan/<county_code>/kommun/<int:org_id>")
@roles_required(*COUNTY_READERS)
def county_municipality(county_code: str, org_id: int) -> str:
    """Drill-down: one municipality's figures and trend per material; its care units if allowed."""
    county, org = _county_member(county_code, org_id)
    settings = services.county_settings(county.code)
    picture = build_picture(county.code, _chosen_period(settings), settings,
                            services.materials(), [org])
    report = services.find_report(org, picture.period)
    sections = []
    if report is not None and report.submitted_revision and can_view_org_detail(current_user, org):
        sections = services.sections_for(report)
    return render_template(
        "reports/county_municipality.html", county=county, org=org, picture=picture,
        row=picture.rows[0], report=report, sections=sections,
        period_label=exchange.period_label)


@bp.route("/lan/<county_code>/kommun/<int:org_id>/avsnitt/<section_key>")
@roles_required(*COUNTY_READERS)
def county_section(county_code: str, org_id: int, section_key: str) -> str:
    """Drill-down to a care unit (or section) of a municipality's submitted report."""
    county, org = _county_member(county_code, org_id)
    require_view(org)
    settings = services.county_settings(county.code)
    period = _chosen_period(settings)
    report = services.find_report(org, period)
    if report is None or report.submitted_revision is None:
        abort(404)
    sections, section = _section(report, section_key)
    materials = services.materials()
    rows = section_rows(report, report.submitted_revision, section, materials, settings,
                        previous_use(report))
    return render_template("reports/county_section.html", county=county, org=org,
                           report=report, section=section, rows=rows, settings=settings,
                           period=period, period_label=exchange.period_label)
