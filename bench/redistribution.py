"""Benchmarks of the redistribution pages: ``python -m bench.redistribution``.

- The decision PDF with 300 transfers (target: under 3 s).
- The proposal page of a round with 49 municipalities × 13 materials (target: under 300 ms),
  with its query count.

Runs on a throwaway SQLite database with the reference data; prints the median of a few
runs of each.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app import create_app
from app.auth.roles import Role
from app.auth.services import create_user
from app.core.models import OrgKind
from app.core.reference import load_reference_data
from app.extensions import db
from tests.helpers import count_queries, login, organisation
from tests.redistribution.test_pdf import TRANSFERS, decision_with_transfers
from tests.redistribution.test_queries import synthetic_round

RUNS = 5


def _median_seconds(action, runs: int = RUNS) -> tuple[float, float]:  # noqa: ANN001
    """Median wall-clock and CPU seconds of ``action`` (CPU time is what another process on
    the machine does not change)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "JOBS_BACKEND": "immediate",
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.create_all()
        load_reference_data()
        user = create_user(username="bench", full_name="Bench", password="bench-password-1",
                           organisation=organisation("Socialstyrelsen", OrgKind.NATIONAL_BOARD),
                           roles=[Role.ADMIN])
        round_ = synthetic_round("14")
        decision = decision_with_transfers(round_, TRANSFERS)
        db.session.commit()
        round_id = round_.id
        from app.redistribution.decisions import decision_pdf

        with app.test_request_context():
            pdf_s = _median_seconds(lambda: decision_pdf(decision), runs=3)
        client = app.test_client()
        login(client, user, password="bench-password-1")
        url = f"/omfordelning/omgang/{round_id}"
        page_s = _median_seconds(lambda: client.get(url))
        queries = count_queries(client, url)
    print(f"decision PDF, {TRANSFERS} transfers: median {pdf_s[0]:.2f} s wall, "
          f"{pdf_s[1]:.2f} s CPU (target < 3 s)")
    print(f"proposal page, 49 municipalities x 13 materials: median {page_s[0] * 1000:.0f} ms "
          f"wall, {page_s[1] * 1000:.0f} ms CPU (target < 300 ms), {queries} queries")


if __name__ == "__main__":
    main()
