"""Rounds: opened from the reports, computed by the engine, edited into new versions."""
from __future__ import annotations

from app.extensions import db
from app.jobs.models import Job, JobState
from app.redistribution.models import RoundState
from tests.helpers import organisation
from tests.redistribution.conftest import materials_by_code, open_round


def test_a_round_freezes_the_figures_and_the_engine_proposes_transfers(client, reported) -> None:
    round_ = open_round(client)
    job = db.session.get(Job, round_.job_id)
    assert job.state is JobState.DONE, job.error
    assert round_.state is RoundState.PROPOSAL and round_.latest.number == 1
    assert "Härnösand" in round_.missing  # not reported: not in the round
    sundsvall, kramfors = organisation("Sundsvall"), organisation("Kramfors")
    visir = materials_by_code()["VISIR"]
    lines = {(t.giver_id, t.receiver_id, t.material_id): t.quantity
             for t in round_.latest.transfers}
    assert lines.get((sundsvall.id, kramfors.id, visir.id), 0) > 0
    html = client.get(f"/omfordelning/omgang/{round_.id}").get_data(as_text=True)
    assert "Sundsvall → Kramfors" in html and "Dagar av tillgång före och efter" in html
    assert 'class="county-map' in html  # the map of shipments
