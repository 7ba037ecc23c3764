"""Situation report pages: a municipality's reports, the report form, files, the county picture."""
from __future__ import annotations

from datetime import UTC, datetime

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

from app.auth.access import (
    can_configure_county,
    can_edit_org,
    can_report_for,
    can_see_revision,
    can_view_county,
    can_view_org_detail,
    require,
    roles_required,
)
from app.auth.roles import COUNTY_COORDINATORS, REPORTERS, SITUATION_READERS
from app.core.formatting import current_language
from app.core.htmx import render_page_or_fragment
from app.core.models import County, Material, Organisation
from app.core.workflow import StaleObject
from app.documents.downloads import download_name, send_spreadsheet
from app.documents.spreadsheets import SpreadsheetError
from app.extensions import db
from app.reports import exchange, review, services
from app.reports.forms import ImportForm, LineForm, SettingsForm
from app.reports.graphics import county_graphics, municipality_chart_choices
from app.reports.labels import period_file_label, period_label
from app.reports.models import Breakdown, Report, ReportImport, ReportRevision
from app.reports.periods import Period, parse_period_start, period_containing, today
from app.reports.sheet import previous_use, section_rows, summary_rows
from app.reports.supply import county_municipalities, load_picture

bp = Blueprint("reports", __name__, url_prefix="/lagesbild")


@bp.app_template_filter("period")
def period_filter(period: Period) -> str:
    return period_label(period)


@bp.route("/")
@roles_required(SITUATION_READERS)
def index() -> Response | str:
    """Send each user to their starting point: own reports, or the county picture."""
    org = current_user.organisation
    if org.is_municipality:
        return redirect(url_for("reports.municipality", org_id=org.id))
    if org.county_code:
        return redirect(url_for("reports.county", county_code=org.county_code))
    return render_template("reports/counties.html", counties=services.counties())


# --- The municipality's reports -------------------------------------------------------------

@bp.route("/kommun/<int:org_id>/")
@roles_required(SITUATION_READERS)
def municipality(org_id: int) -> str:
    """A municipality's reports, newest first, and the current period."""
    org = services.municipality_or_404(org_id)
    require(can_view_org_detail(current_user, org))
    period = services.current_period(org)
    return render_template(
        "reports/municipality.html", org=org, reports=services.reports_of(org), period=period,
        current=services.find_report(org, period), can_edit=can_report_for(current_user, org),
        now=datetime.now(UTC))


@bp.route("/kommun/<int:org_id>/starta", methods=["POST"])
@roles_required(REPORTERS)
def start(org_id: int) -> Response:
    """Open the report of the current period (pre-filled from the previous one)."""
    org = services.municipality_or_404(org_id)
    require(can_edit_org(current_user, org))
    report = services.find_or_start_report(org, services.current_period(org), current_user)
    db.session.commit()
    return redirect(url_for("reports.report", report_id=report.id))


def _report_for_view(report_id: int) -> Report:
    report = db.get_or_404(Report, report_id)
    require(can_view_org_detail(current_user, report.organisation))
    return report


def _report_for_edit(report_id: int) -> Report:
    """The report, locked for this request's changes; 404 or 403 as for viewing."""
    report = services.lock_report(report_id) or abort(404)
    require(can_report_for(current_user, report.organisation))
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
    """The revisions the user may see: drafts only to the municipality's reporters."""
    return [revision for revision in report.revisions
            if can_see_revision(current_user, report.organisation, revision.is_draft)]


def _visible_revision(report: Report, number: int | None) -> ReportRevision:
    """Revision ``number`` (default: the latest) if the user may see it; else 404."""
    revisions = _visible_revisions(report)
    if number is not None:
        return next((r for r in revisions if r.number == number), None) or abort(404)
    if not revisions:
        abort(404)
    return revisions[-1]


@bp.route("/rapport/<int:report_id>")
@roles_required(SITUATION_READERS)
def report(report_id: int) -> str:
    """The report: an editable table for a draft, read-only once submitted."""
    report = _report_for_view(report_id)
    revision = _visible_revision(report, request.args.get("revision", type=int))
    return render_template("reports/report.html",
                           **_report_context(report, revision, request.args.get("avsnitt")))


def _report_context(report: Report, revision: ReportRevision, section_key: str | None,
                    **extra: object) -> dict[str, object]:
    """Everything the report page shows for one revision and section."""
    sections, section = _section(report, section_key)
    settings = services.county_settings(report.organisation.county_code)
    materials = services.materials()
    history = previous_use(report)
    editable = revision.is_draft and can_report_for(current_user, report.organisation)
    rows = section_rows(report, revision, section, materials, settings, history) if section else []
    visible = _visible_revisions(report)
    return {
        "report": report, "revision": revision, "sections": sections, "section": section,
        "rows": rows, "editable": editable, "settings": settings,
        "forms": {row.material.id: _line_form(report, section, row.material, row.line)
                  for row in rows} if editable else {},
        "summary": summary_rows(report, revision, materials, settings, history),
        "import_form": ImportForm(),
        "can_correct": (not revision.is_draft and revision is report.latest_revision
                        and can_report_for(current_user, report.organisation)),
        "visible_revisions": visible,
        "newer_revision": next((r for r in visible if r.number > revision.number
                                and not r.is_draft), None),
        **extra,
    }


@bp.route("/rapport/<int:report_id>/rad/<section_key>/<material_code>", methods=["POST"])
@roles_required(REPORTERS)
def save_line(report_id: int, section_key: str, material_code: str) -> tuple[str, int]:
    """Save one line as the user leaves a field (htmx); errors are shown next to the fields."""
    report = _report_for_edit(report_id)
    _, section = _section(report, section_key)
    material = services.material_by_code(material_code) or abort(404)
    form = _line_form(report, section, material, formdata=request.form)
    if services.draft_of(report) is None:
        return _line_response(report, section, material, form, locked=True), 409
    if not form.validate():
        return _line_response(report, section, material, form), 422
    services.save_line(report, section, material, form.data)
    db.session.commit()
    return _line_response(report, section, material, form, saved=True), 200


def _line_response(report: Report, section: services.Section, material: Material,
                   form: LineForm, *, saved: bool = False, locked: bool = False) -> str:
    settings = services.county_settings(report.organisation.county_code)
    history = previous_use(report)
    revision = report.latest_revision
    (row,) = section_rows(report, revision, section, [material], settings, history)
    return render_template(
        "reports/_line_saved.html", report=report, section=section, row=row, form=form,
        saved=saved, locked=locked, settings=settings,
        summary=summary_rows(report, revision, services.materials(), settings, history))


@bp.route("/rapport/<int:report_id>/indelning", methods=["GET", "POST"])
@roles_required(REPORTERS)
def breakdown(report_id: int) -> Response | str:
    """Switch between municipality totals and per care unit; asks first when lines would
    be cleared."""
    report = _report_for_edit(report_id)
    try:
        wanted = Breakdown(request.values.get("breakdown", ""))
    except ValueError:
        abort(400)
    confirmed = request.method == "POST" and request.form.get("confirm") == "clear"
    try:
        result = services.change_breakdown(report, wanted, clear_lines=confirmed)
    except services.ReportLocked:
        flash(_("Rapporten är inskickad och kan inte ändras. Gör en rättelse."), "error")
        return redirect(url_for("reports.report", report_id=report.id))
    change = services.BreakdownChange
    if result is change.HAS_FIGURES:
        return render_template("reports/breakdown_confirm.html", report=report, wanted=wanted,
                               revision=report.latest_revision)
    if result is change.CHANGED:
        db.session.commit()
    messages = {
        change.CHANGED: (_("Indelningen är ändrad."), "success"),
        change.UNCHANGED: (_("Rapporten har redan den indelningen."), "info"),
        change.NO_CARE_UNITS: (_("Kommunen har inga aktiva verksamheter. Lägg till "
                                 "verksamheter först."), "error"),
    }
    flash(*messages[result])
    return redirect(url_for("reports.report", report_id=report.id))


@bp.route("/rapport/<int:report_id>/skicka", methods=["GET", "POST"])
@roles_required(REPORTERS)
def submit(report_id: int) -> Response | tuple[str, int]:
    """Review what will be submitted (GET), then submit exactly that version (POST)."""
    report = _report_for_edit(report_id)
    revision = services.draft_of(report)
    if revision is None:
        flash(_("Rapporten är redan inskickad."), "info")
        return redirect(url_for("reports.report", report_id=report.id))
    if request.method == "POST":
        try:
            submitted = services.submit(report, current_user,
                                        reviewed_version=request.form.get("version", type=int))
        except StaleObject:
            db.session.rollback()
            return _review_page(report, changed=True), 409
        db.session.commit()
        _flash_submitted(submitted)
        return redirect(url_for("reports.report", report_id=report.id))
    return _review_page(report), 200


def _review_page(report: Report, *, changed: bool = False) -> str:
    """The summary, warnings and confirmation shown before a submission."""
    report = db.session.get(Report, report.id)
    revision = services.draft_of(report)
    settings = services.county_settings(report.organisation.county_code)
    materials = services.materials()
    unsaved = review.unsaved_fields(report, revision, request.args, materials,
                                    services.sections_for(report))
    return render_template(
        "reports/review.html", report=report, revision=revision, settings=settings,
        summary=summary_rows(report, revision, materials, settings, previous_use(report)),
        warnings=review.warnings(report, revision, materials, datetime.now(UTC)),
        unsaved=unsaved, changed=changed, back_section=request.args.get("avsnitt"))


def _flash_submitted(revision: ReportRevision) -> None:
    message = _("Rapporten är inskickad.")
    if revision.late:
        message += " " + _("Den kom in efter sista dag och markeras som sen.")
    flash(message, "warning" if revision.late else "success")


@bp.route("/rapport/<int:report_id>/rattelse", methods=["POST"])
@roles_required(REPORTERS)
def correct(report_id: int) -> Response:
    """Open a new revision to correct a submitted report; earlier revisions are kept."""
    report = _report_for_edit(report_id)
    revision = services.open_correction(report, current_user)
    db.session.commit()
    flash(_("Revision %(number)s är öppen för rättelse. Skicka in den när du är klar.",
            number=revision.number), "info")
    return redirect(url_for("reports.report", report_id=report.id))


# --- Files: template, export, import ---------------------------------------------------------

@bp.route("/rapport/<int:report_id>/export.<fmt>")
@roles_required(SITUATION_READERS)
def export_report(report_id: int, fmt: str) -> Response:
    """The report (latest revision, or ?revision=N) as .xlsx or .csv; also the import template."""
    report = _report_for_view(report_id)
    revision = _visible_revision(report, request.args.get("revision", type=int))
    sheet = exchange.report_sheet(report, revision, services.sections_for(report),
                                  services.materials())
    return send_spreadsheet([sheet], fmt, download_name(
        "lagesbild", report.organisation.name, period_file_label(report.period),
        f"rev{revision.number}"))


@bp.route("/rapport/<int:report_id>/import", methods=["GET", "POST"])
@roles_required(REPORTERS)
def upload(report_id: int) -> Response | tuple[str, int]:
    """Read an uploaded file and show a preview with every row's errors; nothing is saved."""
    report = _report_for_edit(report_id)
    revision = services.draft_of(report) or abort(409)
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(report, form), 422 if form.errors else 200
    upload_file = form.file.data
    try:
        pending = exchange.preview_upload(report, revision, upload_file.filename or "",
                                          upload_file.read(), services.sections_for(report),
                                          services.materials(), current_user.id)
    except SpreadsheetError as error:
        form.file.errors.append(str(error))
        return _import_page(report, form), 422
    db.session.commit()
    return redirect(url_for("reports.preview_import", report_id=report.id,
                            import_id=pending.id), 303)


def _import_page(report: Report, form: ImportForm) -> str:
    return render_template("reports/import.html", report=report, import_form=form,
                           revision=report.latest_revision)


def _pending_import(report: Report, import_id: int) -> ReportImport:
    pending = db.get_or_404(ReportImport, import_id)
    if pending.revision.report_id != report.id:
        abort(404)
    return pending


@bp.route("/rapport/<int:report_id>/import/<int:import_id>", methods=["GET", "POST"])
@roles_required(REPORTERS)
def preview_import(report_id: int, import_id: int) -> Response | str:
    """The preview of an uploaded file (GET), and saving its rows into the draft (POST)."""
    report = _report_for_edit(report_id)
    pending = _pending_import(report, import_id)
    sections, materials = services.sections_for(report), services.materials()
    importable = exchange.is_importable(pending, report, sections, materials)
    if request.method == "GET":
        return render_template(
            "reports/import.html", report=report, revision=report.latest_revision,
            import_form=ImportForm(), pending=pending, importable=importable,
            rows=exchange.preview_rows(pending, report, materials, current_language()))
    if not importable:
        flash(_("Importen kan inte längre sparas. Ladda upp filen igen."), "error")
        return redirect(url_for("reports.report", report_id=report.id))
    count = exchange.apply_import(pending, report, sections, materials, datetime.now(UTC))
    db.session.commit()
    flash(_("%(count)s rader är importerade.", count=count), "success")
    return redirect(url_for("reports.report", report_id=report.id))


# --- The county picture -------------------------------------------------------------------

def _county_or_404(county_code: str) -> County:
    county = db.session.get(County, county_code) or abort(404)
    require(can_view_county(current_user, county.code))
    return county


def _chosen_material(materials: list[Material]) -> Material:
    code = request.args.get("material")
    return next((m for m in materials if m.code == code), materials[0])


def _chosen_period(settings) -> Period:  # noqa: ANN001
    raw = request.args.get("period")
    if raw:
        return parse_period_start(raw, settings.frequency) or abort(404)
    return period_containing(today(), settings.frequency)


def _county_context(county: County) -> dict[str, object]:
    """Everything the county picture page shows for the requested period and material."""
    settings = services.county_settings(county.code)
    materials = services.materials()
    material = _chosen_material(materials)
    picture = load_picture(county.code, _chosen_period(settings), settings, materials,
                           county_municipalities(county.code))
    chosen = municipality_chart_choices(picture, material, request.args.getlist("kommun",
                                                                               type=int))
    return {
        "county": county, "picture": picture, "material": material, "chart_choice": chosen,
        "graphics": county_graphics(picture, material, chosen.shown),
        "can_configure": can_configure_county(current_user, county.code),
    }


@bp.route("/lan/<county_code>/")
@roles_required(SITUATION_READERS)
def county(county_code: str) -> str:
    """Days of supply per municipality and material, trends, map, forecast, support requests."""
    context = _county_context(_county_or_404(county_code))
    return render_page_or_fragment("reports/county.html", "reports/_county_material.html",
                                   **context)


@bp.route("/lan/<county_code>/installningar", methods=["GET", "POST"])
@roles_required(COUNTY_COORDINATORS)
def county_settings(county_code: str) -> Response | tuple[str, int]:
    """Change the county's reporting frequency, horizon, thresholds and scenario."""
    county = _county_or_404(county_code)
    require(can_configure_county(current_user, county.code))
    settings = services.county_settings(county.code)
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        services.update_settings(settings, {
            name: getattr(form, name).data for name in services.SETTINGS_FIELDS})
        db.session.commit()
        flash(_("Länets inställningar är sparade."), "success")
        return redirect(url_for("reports.county", county_code=county.code))
    return render_template("reports/settings.html", county=county, form=form), (
        422 if form.errors else 200)


@bp.route("/lan/<county_code>/export.<fmt>")
@roles_required(SITUATION_READERS)
def export_county(county_code: str, fmt: str) -> Response:
    """The county picture of a period as .xlsx (two sheets) or .csv (days of supply)."""
    county = _county_or_404(county_code)
    settings = services.county_settings(county.code)
    period = _chosen_period(settings)
    picture = load_picture(county.code, period, settings, services.materials(),
                           county_municipalities(county.code))
    return send_spreadsheet(exchange.county_sheets(picture, county.name), fmt, download_name(
        "lagesbild", county.name, period_file_label(period)))


def _county_member(county_code: str, org_id: int) -> tuple[County, Organisation]:
    county = _county_or_404(county_code)
    org = services.municipality_or_404(org_id)
    if org.county_code != county.code:
        abort(404)
    return county, org


@bp.route("/lan/<county_code>/kommun/<int:org_id>")
@roles_required(SITUATION_READERS)
def county_municipality(county_code: str, org_id: int) -> str:
    """Drill-down: one municipality's figures and trend per material; its care units if allowed."""
    county, org = _county_member(county_code, org_id)
    settings = services.county_settings(county.code)
    picture = load_picture(county.code, _chosen_period(settings), settings,
                           services.materials(), [org])
    report = services.find_report(org, picture.period)
    sections = []
    if report is not None and report.submitted_revision and can_view_org_detail(current_user, org):
        sections = services.sections_for(report)
    return render_template(
        "reports/county_municipality.html", county=county, org=org, picture=picture,
        row=picture.rows[0], report=report, sections=sections)


@bp.route("/lan/<county_code>/kommun/<int:org_id>/avsnitt/<section_key>")
@roles_required(SITUATION_READERS)
def county_section(county_code: str, org_id: int, section_key: str) -> str:
    """Drill-down to a care unit (or section) of a municipality's submitted report."""
    county, org = _county_member(county_code, org_id)
    require(can_view_org_detail(current_user, org))
    settings = services.county_settings(county.code)
    period = _chosen_period(settings)
    report = services.find_report(org, period)
    if report is None or report.submitted_revision is None:
        abort(404)
    _, section = _section(report, section_key)
    rows = section_rows(report, report.submitted_revision, section, services.materials(),
                        settings, previous_use(report))
    return render_template("reports/county_section.html", county=county, org=org,
                           report=report, section=section, rows=rows, settings=settings,
                           period=period)
