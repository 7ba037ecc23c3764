"""Rounds: opened from the reports, computed by the engine, edited into new versions."""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.allocation import Site, redistribute_all
from app.core.audit import AuditEntry
from app.extensions import db
from app.jobs.models import Job, JobState
from app.redistribution import rounds
from app.redistribution.models import Principle, PrinciplesVersion, RoundState, WhatIf
from tests.helpers import organisation, page_csrf
from tests.redistribution.conftest import materials_by_code, open_round


def _line_post(client, round_, **values: object):  # noqa: ANN001, ANN201
    token = page_csrf(client, f"/omfordelning/omgang/{round_.id}")
    data = {"base_version": round_.latest.number, **{k: str(v) for k, v in values.items()}}
    return client.post(f"/omfordelning/omgang/{round_.id}/rad", data=data,
                       headers={"HX-Request": "true", "X-CSRFToken": token})


def _visir_line(round_):  # noqa: ANN001, ANN202
    visir = materials_by_code()["VISIR"]
    return next(t for t in round_.latest.transfers if t.material_id == visir.id)


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
    assert "Versionen bryter mot reglerna" not in html  # the engine's plan passes the checks


def test_the_new_round_page_lists_who_has_not_reported(client, reported) -> None:
    html = client.get("/omfordelning/lan/22/ny-omgang").get_data(as_text=True)
    assert "3 av 7 kommuner har skickat in sin lägesbild." in html
    assert "Härnösand" in html and "Beräkna förslag ändå" in html


def test_a_round_keeps_the_principles_in_force_when_it_was_created(client, reported) -> None:
    round_ = open_round(client)
    first = round_.principles_id
    db.session.add(PrinciplesVersion(county_code="22", number=2, horizon_days=30))
    db.session.commit()
    db.session.refresh(round_)
    assert round_.principles_id == first and round_.principles.horizon_days == 14


def test_editing_a_line_makes_a_new_version_and_keeps_the_old(client, reported) -> None:
    round_ = open_round(client)
    line = _visir_line(round_)
    pack = materials_by_code()["VISIR"].pack_size
    response = _line_post(client, round_, material_id=line.material_id, giver_id=line.giver_id,
                          receiver_id=line.receiver_id, quantity=line.quantity - pack)
    assert response.status_code == 200 and "Version 2 är sparad" in response.get_data(
        as_text=True)
    db.session.refresh(round_)
    assert [v.number for v in round_.versions] == [1, 2]
    old = {t.key: t.quantity for t in round_.versions[0].transfers}
    new = {t.key: t.quantity for t in round_.versions[1].transfers}
    assert new[line.key] == old[line.key] - pack and len(new) == len(old)
    compared = client.get(f"/omfordelning/omgang/{round_.id}/jamfor?fran=1&till=2")
    assert f"{old[line.key] - pack:,}".replace(",", "\u00a0") in compared.get_data(as_text=True)


def test_an_edit_that_breaks_the_rules_is_refused_and_changes_nothing(client, reported) -> None:
    round_ = open_round(client)
    line = _visir_line(round_)
    not_packs = _line_post(client, round_, material_id=line.material_id,
                           giver_id=line.giver_id, receiver_id=line.receiver_id,
                           quantity=line.quantity + 1)
    assert not_packs.status_code == 422
    assert "hela förpackningar" in not_packs.get_data(as_text=True)
    too_much = _line_post(client, round_, material_id=line.material_id,
                          giver_id=line.giver_id, receiver_id=line.receiver_id,
                          quantity=1_000_000)
    assert too_much.status_code == 422
    assert "kan inte ge mer" in too_much.get_data(as_text=True)
    malformed = _line_post(client, round_, material_id=line.material_id,
                           giver_id=line.giver_id, receiver_id=line.receiver_id, quantity="-5")
    assert malformed.status_code == 422
    db.session.refresh(round_)
    assert len(round_.versions) == 1


def test_a_second_editor_on_an_old_version_is_refused_and_shown_the_current(client,
                                                                            reported) -> None:
    round_ = open_round(client)
    line = _visir_line(round_)
    pack = materials_by_code()["VISIR"].pack_size
    first = _line_post(client, round_, material_id=line.material_id, giver_id=line.giver_id,
                       receiver_id=line.receiver_id, quantity=line.quantity - pack)
    assert first.status_code == 200
    stale = client.post(f"/omfordelning/omgang/{round_.id}/rad", data={
        "base_version": 1, "material_id": line.material_id, "giver_id": line.giver_id,
        "receiver_id": line.receiver_id, "quantity": pack},
        headers={"HX-Request": "true",
                 "X-CSRFToken": page_csrf(client, f"/omfordelning/omgang/{round_.id}")})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Någon annan ändrade förslaget" in html
    assert "Förslag, version 2" in html
    db.session.refresh(round_)
    assert len(round_.versions) == 2


def test_lines_can_be_removed_and_added(client, reported) -> None:
    round_ = open_round(client)
    line = _visir_line(round_)
    removed = _line_post(client, round_, material_id=line.material_id, giver_id=line.giver_id,
                         receiver_id=line.receiver_id, quantity=0)
    assert removed.status_code == 200
    db.session.refresh(round_)
    assert line.key not in {t.key for t in round_.latest.transfers}
    added = _line_post(client, round_, add=1, material_id=line.material_id,
                       giver_id=line.giver_id, receiver_id=line.receiver_id,
                       quantity=line.quantity)
    assert added.status_code == 200
    db.session.refresh(round_)
    assert {t.key: t.quantity for t in round_.latest.transfers}[line.key] == line.quantity
    reasons = [v.reason for v in round_.versions]
    assert reasons[1].startswith("Borttagen") and reasons[2].startswith("Tillagd")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "proposal_version.create")) == 3


def test_rerunning_with_another_principle_is_a_new_version(client, reported) -> None:
    round_ = open_round(client)
    url = f"/omfordelning/omgang/{round_.id}"
    response = client.post(f"{url}/berakna", data={"csrf_token": page_csrf(client, url),
                                                    "principle": "proportional_to_need"})
    assert response.status_code == 302
    db.session.refresh(round_)
    assert round_.state is RoundState.PROPOSAL
    assert [v.principle for v in round_.versions] == [Principle.EQUAL_DAYS,
                                                      Principle.PROPORTIONAL_TO_NEED]


def test_what_if_figures_are_the_engines_own(client, reported) -> None:
    round_ = open_round(client)
    url = f"/omfordelning/omgang/{round_.id}"
    job_page = client.post(f"{url}/jamfor-principer", data={"csrf_token": page_csrf(client, url)})
    assert job_page.status_code == 302
    what_if = db.session.scalars(sa.select(WhatIf)).one()
    data = rounds.inputs(round_)
    for principle in Principle:
        expected = rounds.what_if_result(data, rounds.engine_plans(
            round_, data, principle, round_.principles.solver_budget_s / len(Principle)))
        assert what_if.results[principle.value] == expected
    direct = redistribute_all(
        {str(m): [Site(str(s.organisation_id), s.stock, s.daily_use, s.incoming)
                  for s in data.sites if s.material_id == m] for m in data.materials},
        horizon_days=14, safety_days=3, pack_size={str(m): p.pack_size
                                                   for m, p in data.materials.items()},
        min_transfer={str(m): p.pack_size for m, p in data.materials.items()},
        time_limit_s=round_.principles.solver_budget_s / len(Principle),
        locations={str(o.id): (o.latitude, o.longitude)
                   for o in data.organisations.values()})
    transfers = sum(len(plan.transfers) for plan in direct.values())
    assert what_if.results["equal_days"]["transfers"] == transfers
    page = client.get(f"/omfordelning/jamforelse/{what_if.id}").get_data(as_text=True)
    assert "Per invånare" in page and "I proportion till behovet" in page
    assert re.search(r"Kramfors</th>", page)


def test_logistics_members_comment_on_a_line(client, reported, logged_in) -> None:
    from app.auth.roles import Role
    from app.core.models import OrgKind

    round_ = open_round(client)
    line = _visir_line(round_)
    logged_in("Länsstyrelsen Västernorrland", Role.LOGISTICS_MEMBER, kind=OrgKind.COUNTY_BOARD)
    url = f"/omfordelning/omgang/{round_.id}"
    response = client.post(f"{url}/kommentar", data={
        "material_id": line.material_id, "giver_id": line.giver_id,
        "receiver_id": line.receiver_id, "text": "Kan Sundsvall köra över på tisdag?"},
        headers={"HX-Request": "true", "X-CSRFToken": page_csrf(client, url)})
    assert response.status_code == 200
    assert "Kan Sundsvall köra över på tisdag?" in client.get(url).get_data(as_text=True)
    empty = client.post(f"{url}/kommentar", data={
        "material_id": line.material_id, "giver_id": line.giver_id,
        "receiver_id": line.receiver_id, "text": ""},
        headers={"HX-Request": "true", "X-CSRFToken": page_csrf(client, url)})
    assert empty.status_code == 422 and "Skriv en kommentar." in empty.get_data(as_text=True)


def test_a_material_without_a_price_is_pointed_out_before_the_decision(client, reported) -> None:
    visir = materials_by_code()["VISIR"]
    visir.unit_price_sek = None  # neither the catalogue nor the county has a price
    db.session.commit()
    round_ = open_round(client)
    html = client.get(f"/omfordelning/omgang/{round_.id}").get_data(as_text=True)
    assert "Ersättningspris saknas för Visir (heltäckande ansiktsskydd)." in html
    assert "pris saknas" in html  # the line itself says so rather than 0,00


def test_the_coverage_charts_show_the_lowest_days_capped_at_the_horizon(client,
                                                                        reported) -> None:
    from app.redistribution.presentation import coverage_charts, plan_view

    round_ = open_round(client)
    data = rounds.inputs(round_)
    view = plan_view(data, rounds.transfers_of(round_.latest),
                     {m.id: m for m in materials_by_code().values()})
    (chart,) = coverage_charts(view, horizon_days=14)  # three municipalities: one chart
    kramfors = organisation("Kramfors").id
    after = min(view.coverage_of(kramfors, m.id).after for m in materials_by_code().values()
                if view.coverage_of(kramfors, m.id))
    assert f"Efter beslutet, Kramfors: {after:.1f}".replace(".", ",") in chart
    assert "Före beslutet, Kramfors" not in chart  # no stock before: no bar (0 days)
    # Sundsvall has far more than 14 days: drawn at the horizon
    assert "Före beslutet, Sundsvall: 14,0" in chart
    assert "Efter beslutet, Kramfors:" in chart
