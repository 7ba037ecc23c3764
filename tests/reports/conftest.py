"""Fixtures for the report pages: a logged-in reporter and a started report."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.core.models import Material
from app.extensions import db
from app.reports.models import Report
from tests.helpers import csrf_token_from, organisation, page_csrf


def material_code(index: int = 0) -> str:
    return db.session.scalars(sa.select(Material.code).order_by(Material.sort_order)).all()[index]


def start_report(client, org_name: str) -> Report:  # noqa: ANN001
    """Start the current period's report through the UI and return it."""
    org = organisation(org_name)
    token = page_csrf(client, f"/lagesbild/kommun/{org.id}/")
    response = client.post(f"/lagesbild/kommun/{org.id}/starta", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    report_id = int(re.search(r"/rapport/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Report, report_id)


def line_data(section: str, code: str, **values: object) -> dict[str, str]:
    """Form data of one line, the way the htmx row posts it."""
    defaults = {"stock": "1000", "consumption": "700", "incoming": "", "incoming_date": "",
                "support_quantity": "", "support_justification": ""}
    defaults.update({key: str(value) for key, value in values.items()})
    return {f"{section}-{code}-{key}": value for key, value in defaults.items()}


def save_line(client, report: Report, section: str, code: str, **values: object):  # noqa: ANN001, ANN201
    token = page_csrf(client, f"/lagesbild/rapport/{report.id}")
    return client.post(
        f"/lagesbild/rapport/{report.id}/rad/{section}/{code}",
        data=line_data(section, code, **values),
        headers={"HX-Request": "true", "X-CSRFToken": token})


VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def submit_report(client, report: Report, **kwargs: object):  # noqa: ANN001, ANN201
    """Submit through the review page: open it, then confirm the version it showed."""
    review = client.get(f"/lagesbild/rapport/{report.id}/skicka").get_data(as_text=True)
    version = VERSION_INPUT.search(review)
    assert version, "the review page offers no confirmation"
    return client.post(f"/lagesbild/rapport/{report.id}/skicka", data={
        "csrf_token": csrf_token_from(review), "version": version.group(1)}, **kwargs)


@pytest.fixture
def reporter(logged_in):  # noqa: ANN001, ANN201
    return logged_in("Sundsvall", Role.MUNICIPAL_REPORTER)


def set_breakdown(client, report: Report, breakdown: str, **kwargs: object):  # noqa: ANN001, ANN201
    """Switch the report's breakdown through the form ('municipality' or 'care_unit')."""
    return client.post(f"/lagesbild/rapport/{report.id}/indelning", data={
        "csrf_token": page_csrf(client, f"/lagesbild/rapport/{report.id}"),
        "breakdown": breakdown}, **kwargs)
