"""The decision document with 300 transfers: every line, the totals, readable pages."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from app.auth.roles import Role
from app.core.models import OrgKind
from app.extensions import db
from app.redistribution.decisions import create_meeting, decision_pdf
from app.redistribution.models import DecidedTransfer, Decision, ProposedTransfer, Round
from tests.redistribution.test_queries import synthetic_round

TRANSFERS = 300


def decision_with_transfers(round_: Round, count: int) -> Decision:
    """A decision on the round's proposal with ``count`` transfers (repeating the lines)."""
    meeting = create_meeting(round_.county_code, date(2026, 12, 1),
                             [("Åsa Öberg", None), ("Per Ängström", None)], by=None)
    db.session.flush()
    lines: list[ProposedTransfer] = round_.latest.transfers
    decision = Decision(round=round_, meeting=meeting, version_number=1,
                        county_code=round_.county_code, year=2026, sequence=7,
                        decided_on=date(2026, 12, 1))
    decision.transfers = [DecidedTransfer(material_id=line.material_id, giver_id=line.giver_id,
                                          receiver_id=line.receiver_id,
                                          quantity=line.quantity + index, unit_price=Decimal("2.5"))
                          for index, line in enumerate((lines * 2)[:count])]
    db.session.add(decision)
    db.session.flush()
    return decision


def test_a_300_transfer_decision_renders_every_line_and_the_totals(app, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    round_ = synthetic_round("14")
    assert len(round_.latest.transfers) >= TRANSFERS // 2
    decision = decision_with_transfers(round_, TRANSFERS)
    with app.test_request_context():
        pdf = decision_pdf(decision)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert len(reader.pages) >= 8
    assert text.count("14/2026/7") >= len(pages) - 1  # in the running header of every page
    assert all("Sida" in page for page in pages)
    assert "Åsa Öberg" in text and "Per Ängström" in text
    assert "Göteborg" in text or "Härryda" in text
    assert f"Summa: {TRANSFERS} överföringar" in text.replace("\u00a0", " ")
    assert "Underskrift" in pages[-1]
