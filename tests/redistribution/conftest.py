"""A county with reports where some municipalities are short and others well stocked."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.core.models import Material, OrgKind
from app.extensions import db
from app.redistribution.models import Round
from app.redistribution.principles import current_principles
from app.reports import services
from app.reports.periods import Frequency, period_containing, today
from tests.helpers import organisation, page_csrf

BOARD = ("Länsstyrelsen Västernorrland", OrgKind.COUNTY_BOARD)
#: municipality → {material code: (stock, weekly consumption)}
SITUATION = {
    "Kramfors": {"VISIR": (0, 700), "MUNSKYDD_IIR": (100, 700)},      # short in both
    "Sundsvall": {"VISIR": (10_000, 700), "MUNSKYDD_IIR": (20_000, 1400)},  # plenty
    "Timrå": {"VISIR": (1_400, 700), "MUNSKYDD_IIR": (300, 700)},     # 14 days / short
}


def materials_by_code() -> dict[str, Material]:
    return {m.code: m for m in db.session.scalars(sa.select(Material))}


def submit_situation(situation: dict = SITUATION) -> None:
    """Submitted reports of the current week, own operations only."""
    by_code = materials_by_code()
    period = period_containing(today(), Frequency.WEEKLY)
    anyone = db.session.scalars(sa.select(User)).first()
    for name, lines in situation.items():
        report = services.start_report(organisation(name), period, None)
        own = services.sections_for(report)[0]
        for code, (stock, consumption) in lines.items():
            services.save_line(report, own, by_code[code], {"stock": stock,
                                                            "consumption": consumption})
        services.submit(report, anyone, reviewed_version=report.latest_revision.version)
    db.session.commit()


@pytest.fixture
def coordinator(logged_in):  # noqa: ANN001, ANN201
    user = logged_in(BOARD[0], Role.COUNTY_COORDINATOR, kind=BOARD[1])
    principles = current_principles("22")
    principles.solver_budget_s = 2  # small rounds are settled long before; keeps tests quick
    db.session.commit()
    return user


@pytest.fixture
def reported(coordinator) -> None:  # noqa: ANN001
    submit_situation()


def open_round(client) -> Round:  # noqa: ANN001
    """Open a round for this week through the UI; the engine runs at once in tests."""
    url = "/omfordelning/lan/22/ny-omgang"
    response = client.post(url, data={"csrf_token": page_csrf(client, url),
                                      "period": period_containing(today(), Frequency.WEEKLY)
                                      .start.isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    round_id = int(re.search(r"/omgang/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Round, round_id)
