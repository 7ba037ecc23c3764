"""Redistribution rounds: opening one from the reports, the engine's job, proposal versions,
edits that are checked before they are kept, comments, and the what-if comparison.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.allocation import Site, redistribute_all
from app.allocation.model import trip_km
from app.core import audit
from app.core.models import Material, Organisation, OrgKind
from app.core.workflow import StaleObject, locked, transition
from app.extensions import db
from app.jobs.models import Job
from app.jobs.services import JobError, JobResult, Progress, enqueue, job_handler, result_page
from app.redistribution import plan
from app.redistribution.models import (
    Principle,
    PrinciplesVersion,
    ProposalComment,
    ProposalVersion,
    ProposedTransfer,
    Round,
    RoundSite,
    RoundState,
    WhatIf,
)
from app.redistribution.principles import current_principles, prices_for
from app.reports.periods import Period
from app.reports.services import county_settings, materials
from app.reports.supply import county_supply

PROPOSE_JOB = "redistribution.propose"
WHAT_IF_JOB = "redistribution.what_if"
result_page("redistribution_round", "redistribution.round_page", "round_id")
result_page("what_if", "redistribution.what_if_page", "what_if_id")


class PlanRejected(Exception):
    """An edit would break the plan's rules; ``problems`` say how. Nothing was kept."""

    def __init__(self, problems: list[plan.Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class RoundInputs:
    """A round's frozen figures as plan values, and the organisations they concern."""

    sites: list[plan.PlanSite]
    materials: dict[int, plan.PlanMaterial]
    rules: plan.Rules
    organisations: dict[int, Organisation]

    def distance(self) -> Callable[[int, int], int]:
        """Straight-line km between two organisations (by id)."""
        located = {str(org.id): (org.latitude, org.longitude)
                   for org in self.organisations.values()
                   if org.latitude is not None and org.longitude is not None}
        km = trip_km(located)
        return lambda first, second: km(str(first), str(second))


def _next_number(county_code: str) -> int:
    latest = db.session.scalar(sa.select(sa.func.max(Round.number))
                               .where(Round.county_code == county_code))
    return (latest or 0) + 1


def open_round(county_code: str, period: Period, *, by: Any) -> Round:
    """A round for ``period`` with the reported figures frozen and the engine's job queued.

    Raises :class:`JobError` (its message is for the user) when no municipality has
    reported for the period.
    """
    principles = current_principles(county_code)
    supply = county_supply(county_code, period, county_settings(county_code), materials(),
                           include_private=principles.include_private,
                           horizon_days=principles.horizon_days)
    if not supply.figures:
        raise JobError(gettext("Ingen kommun har rapporterat för perioden."))
    round_ = Round(county_code=county_code, number=_next_number(county_code),
                   period_start=period.start, period_end=period.end, principles=principles,
                   missing=[org.name for org in supply.missing],
                   late=[org.name for org in supply.late], created_by_id=getattr(by, "id", None))
    round_.sites = [RoundSite(organisation_id=f.organisation.id, material_id=f.material.id,
                              stock=f.stock, daily_use=f.daily_use, incoming=f.incoming,
                              ordered=f.ordered) for f in supply.figures.values()]
    db.session.add(round_)
    db.session.flush()
    audit.record("redistribution_round.open", "redistribution_round", round_.id,
                 after=audit.snapshot(round_) | {"sites": len(round_.sites)})
    queue_proposal(round_, principles.principle, gettext("Förslag från beräkningen"), by)
    return round_


def rerun(round_: Round, principle: Principle, *, by: Any) -> Job:
    """Compute a new proposal version with another (or the same) principle."""
    transition(round_, RoundState.COMPUTING, by=by, reason=principle.value)
    return queue_proposal(round_, principle, gettext("Ny beräkning"), by)


def queue_proposal(round_: Round, principle: Principle, reason: str, by: Any) -> Job:
    """Queue the engine's job for the round's next proposal version."""
    count = len({site.material_id for site in round_.sites})
    job = enqueue(PROPOSE_JOB, title=gettext("Förslag till omfördelning, omgång %(title)s",
                                             title=round_.title),
                  params={"round_id": round_.id, "principle": principle.value, "reason": reason},
                  by=by, organisation_id=_board_id(round_, by), steps=count)
    round_.job_id = job.id
    db.session.flush()
    return job


def _board_id(round_: Round, by: Any) -> int:
    """Jobs of a round belong to the county board, so all its coordinators can follow them."""
    return db.session.scalar(
        sa.select(Organisation.id).where(Organisation.county_code == round_.county_code,
                                         Organisation.kind == OrgKind.COUNTY_BOARD))


def inputs(round_: Round) -> RoundInputs:
    """The round's frozen figures, the materials' packs and prices, and its organisations."""
    catalogue = {m.id: m for m in materials()}
    prices = prices_for(round_.principles, list(catalogue.values()))
    sites = [plan.PlanSite(s.organisation_id, s.material_id, s.stock, s.incoming, s.daily_use)
             for s in round_.sites]
    used = {site.material_id for site in sites}
    orgs = {org.id: org for org in db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_({s.organisation_id for s in sites})))}
    return RoundInputs(
        sites, {m_id: plan.PlanMaterial(m_id, catalogue[m_id].pack_size, prices[m_id])
                for m_id in used},
        plan.Rules(round_.principles.horizon_days, round_.principles.safety_days), orgs)


def transfers_of(version: ProposalVersion | None) -> list[plan.PlanTransfer]:
    if version is None:
        return []
    return [plan.PlanTransfer(t.material_id, t.giver_id, t.receiver_id, t.quantity)
            for t in version.transfers]


def engine_plans(round_: Round, data: RoundInputs, principle: Principle,
                 budget_s: float, progress: Callable[[int, int], None] | None = None
                 ) -> list[plan.PlanTransfer]:
    """Run the engine on the round's figures; its transfers as plan values."""
    principles: PrinciplesVersion = round_.principles
    by_code = {str(org_id): org for org_id, org in data.organisations.items()}
    sites: dict[str, list[Site]] = {}
    for site in data.sites:
        sites.setdefault(str(site.material_id), []).append(Site(
            code=str(site.organisation_id), stock=site.stock, daily_use=site.daily_use,
            incoming=site.incoming, population=data.organisations[site.organisation_id]
            .population))
    packs = {code: data.materials[int(code)].pack_size for code in sites}
    try:
        plans = redistribute_all(
            sites, horizon_days=principles.horizon_days, safety_days=principles.safety_days,
            min_transfer={code: pack * principles.min_transfer_packs
                          for code, pack in packs.items()},
            pack_size=packs, time_limit_s=budget_s, principle=principle.value,
            locations={code: (org.latitude, org.longitude) for code, org in by_code.items()
                       if org.latitude is not None}, progress=progress)
    except ValueError as error:
        raise JobError(gettext("Beräkningen kunde inte göras: %(reason)s",
                               reason=str(error))) from error
    return [plan.PlanTransfer(int(code), int(t.giver), int(t.receiver), t.quantity)
            for code, result in plans.items() for t in result.transfers]


def _stats(transfers: list[plan.PlanTransfer], data: RoundInputs) -> dict[str, Any]:
    summary = plan.summary(data.sites, data.materials, transfers, data.rules, data.distance())
    return {"shipments": summary.shipments, "transfers": summary.transfers, "km": summary.km,
            "value": str(summary.value)}


@job_handler(PROPOSE_JOB)
def _propose(job: Job, progress: Progress) -> JobResult:
    """The engine's proposal for a round, stored as its next version."""
    round_ = db.session.get(Round, job.params["round_id"])
    data = inputs(round_)
    principle = Principle(job.params["principle"])
    steps = len(data.materials)

    def report(done: int, total: int) -> None:
        progress(done, total, gettext("Material %(done)s av %(total)s", done=done,
                                      total=total))

    report(0, steps)
    transfers = engine_plans(round_, data, principle, round_.principles.solver_budget_s, report)
    version = _add_version(round_, transfers, principle=principle, reason=job.params["reason"],
                           by_id=job.created_by_id, stats=_stats(transfers, data))
    transition(round_, RoundState.PROPOSAL, by=None, reason=f"version {version.number}")
    return JobResult("redistribution_round", round_.id)


def _add_version(round_: Round, transfers: Iterable[plan.PlanTransfer], *,
                 principle: Principle, reason: str, by_id: int | None,
                 stats: dict[str, Any]) -> ProposalVersion:
    number = (round_.latest.number if round_.latest else 0) + 1
    version = ProposalVersion(number=number, principle=principle, reason=reason[:300],
                              stats=stats, created_by_id=by_id)
    version.transfers = [ProposedTransfer(material_id=t.material_id, giver_id=t.giver_id,
                                          receiver_id=t.receiver_id, quantity=t.quantity)
                         for t in transfers]
    round_.versions.append(version)
    db.session.flush()
    audit.record("proposal_version.create", "proposal_version", version.id,
                 after={"round": round_.id, "number": number, "reason": version.reason,
                        "transfers": len(version.transfers)}, user_id=by_id)
    return version


def lock_round(round_id: int) -> Round | None:
    """The round, locked for this transaction (edits, decisions and re-runs start here)."""
    return locked(Round, round_id)


def edit(round_: Round, *, base_version: int | None, key: plan.Key, quantity: int,
         by: Any) -> ProposalVersion | None:
    """Set one line of the proposal to ``quantity`` units (0 removes it): a new version, or
    None when the line already has that quantity.

    Raises :class:`StaleObject` when the user's page showed another version than the
    latest (someone else edited it meanwhile), :class:`PlanRejected` when the edited plan
    would break a rule; nothing is kept then.
    """
    latest = round_.latest
    if round_.state is not RoundState.PROPOSAL or latest is None or base_version != latest.number:
        raise StaleObject(round_)
    current = {t.key: t for t in transfers_of(latest)}
    old = current.get(key)
    if (old.quantity if old else 0) == quantity:
        return None
    if quantity:
        current[key] = plan.PlanTransfer(*key, quantity)
    else:
        current.pop(key, None)
    data = inputs(round_)
    problems = plan.check(data.sites, data.materials, current.values(), data.rules)
    if problems:
        raise PlanRejected(problems)
    reason = _edit_reason(key, old.quantity if old else 0, quantity, data)
    return _add_version(round_, current.values(), principle=latest.principle, reason=reason,
                        by_id=getattr(by, "id", None),
                        stats=_stats(list(current.values()), data))


def _edit_reason(key: plan.Key, old: int, new: int, data: RoundInputs) -> str:
    material_id, giver_id, receiver_id = key
    material = db.session.get(Material, material_id)
    route = f"{data.organisations[giver_id].name} → {data.organisations[receiver_id].name}"
    if not old:
        return gettext("Tillagd: %(material)s %(route)s, %(new)s", material=material.name_sv,
                       route=route, new=new)
    if not new:
        return gettext("Borttagen: %(material)s %(route)s", material=material.name_sv,
                       route=route)
    return gettext("Ändrad: %(material)s %(route)s, %(old)s → %(new)s",
                   material=material.name_sv, route=route, old=old, new=new)


def add_comment(round_: Round, key: plan.Key, text: str, *, by: Any) -> ProposalComment:
    """A remark on one line of the proposal, kept across versions."""
    material_id, giver_id, receiver_id = key
    comment = ProposalComment(round_id=round_.id, version_number=round_.latest.number,
                              material_id=material_id, giver_id=giver_id,
                              receiver_id=receiver_id, text=text.strip(), author_id=by.id)
    db.session.add(comment)
    db.session.flush()
    audit.record("proposal_comment.create", "proposal_comment", comment.id,
                 after=audit.snapshot(comment))
    return comment


def comments_by_line(round_: Round) -> dict[plan.Key, list[ProposalComment]]:
    found: dict[plan.Key, list[ProposalComment]] = {}
    for comment in db.session.scalars(
            sa.select(ProposalComment).where(ProposalComment.round_id == round_.id)
            .order_by(ProposalComment.created_at)):
        found.setdefault(comment.key, []).append(comment)
    return found


def start_what_if(round_: Round, *, by: Any) -> Job:
    """Queue the comparison of every principle on the round's figures (one job)."""
    count = len({site.material_id for site in round_.sites}) * len(Principle)
    return enqueue(WHAT_IF_JOB, title=gettext("Jämförelse av principer, omgång %(title)s",
                                              title=round_.title),
                   params={"round_id": round_.id}, by=by,
                   organisation_id=_board_id(round_, by), steps=count)


@job_handler(WHAT_IF_JOB)
def _what_if(job: Job, progress: Progress) -> JobResult:
    """Each principle's plan on the same figures: coverage, shipments, km and shortage."""
    round_ = db.session.get(Round, job.params["round_id"])
    data = inputs(round_)
    budget = max(1.0, round_.principles.solver_budget_s / len(Principle))
    per_principle = len(data.materials)
    results = {}
    for index, principle in enumerate(Principle):
        def report(done: int, total: int, index: int = index) -> None:
            progress(index * per_principle + done, per_principle * len(Principle),
                     gettext("Princip %(n)s av %(total)s", n=index + 1, total=len(Principle)))

        transfers = engine_plans(round_, data, principle, budget, report)
        results[principle.value] = what_if_result(data, transfers)
    what_if = WhatIf(round_id=round_.id, results=results)
    db.session.add(what_if)
    db.session.flush()
    return JobResult("what_if", what_if.id)


def what_if_result(data: RoundInputs, transfers: list[plan.PlanTransfer]) -> dict[str, Any]:
    """One principle's figures as stored for the comparison page (JSON-friendly)."""
    summary = plan.summary(data.sites, data.materials, transfers, data.rules, data.distance())
    cover = plan.coverage(data.sites, transfers, data.rules)
    return {
        "shipments": summary.shipments, "transfers": summary.transfers, "km": summary.km,
        "value": str(summary.value),
        "shortage": {str(m): units for m, units in summary.shortage_units.items()},
        "after": {f"{org}:{material}": _days(item.after) for (org, material), item in
                  cover.items()},
    }


def _days(value: float) -> float | None:
    """Days for JSON: None stands for unlimited (no use)."""
    return None if value == float("inf") else round(value, 2)
