"""Benchmark of the county picture page: time and query count by county size.

Run with ``python -m bench.county_picture``. It builds a temporary SQLite database with the
reference data and seven weeks of generated reports for every municipality of Västernorrland
(7), Örebro (12), Skåne (33) and Västra Götaland (49), then renders each county picture
repeatedly through Flask's test client as a county coordinator, and prints the median time
and the number of SQL queries per page.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from app import create_app
from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import Organisation, OrgKind
from app.core.reference import load_reference_data
from app.demo.care_units import create_care_units
from app.demo.reports import create_demo_reports
from app.extensions import db

COUNTIES = ("22", "18", "12", "14")
REPEATS = 7
PASSWORD = "benchmark-password"


def _prepare() -> None:
    load_reference_data()
    orgs = db.session.scalars(
        sa.select(Organisation).where(
            Organisation.county_code.in_(COUNTIES), Organisation.kind == OrgKind.MUNICIPALITY
        )
    ).all()
    create_care_units(orgs)
    create_demo_reports(orgs)
    for code in COUNTIES:
        board = db.session.scalar(
            sa.select(Organisation).where(
                Organisation.county_code == code, Organisation.kind == OrgKind.COUNTY_BOARD
            )
        )
        create_user(
            username=f"bench{code}",
            full_name="Bench",
            password=PASSWORD,
            organisation=board,
            roles=[Role.COUNTY_COORDINATOR],
        )
    db.session.commit()


def _measure(app, code: str) -> tuple[int, float, int]:  # noqa: ANN001
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/logga-in", data={"username": f"bench{code}", "password": PASSWORD})
    client.get(f"/lagesbild/lan/{code}/")  # warm-up
    queries = 0

    def count(*_args) -> None:  # noqa: ANN002
        nonlocal queries
        queries += 1

    with app.app_context():
        engine = db.engine
    timings = []
    for _ in range(REPEATS):
        queries = 0
        event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        response = client.get(f"/lagesbild/lan/{code}/")
        timings.append(time.perf_counter() - start)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200
    with app.app_context():
        municipalities = db.session.scalar(
            sa.select(sa.func.count()).where(
                Organisation.county_code == code, Organisation.kind == OrgKind.MUNICIPALITY
            )
        )
    return municipalities, statistics.median(timings), queries


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'b.db'}", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            db.create_all()
            _prepare()
        print(f"{'county':>6} {'municipalities':>14} {'median ms':>10} {'queries':>8}")
        for code in COUNTIES:
            municipalities, seconds, queries = _measure(app, code)
            print(f"{code:>6} {municipalities:>14} {seconds * 1000:>10.0f} {queries:>8}")


if __name__ == "__main__":
    main()
