"""The split of a delivery and the expected schedule, over many random cases (Hypothesis)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.allocation import Site
from app.procurement.plans import (
    Participant,
    average_days,
    coverage_after,
    expected_schedule,
    participant,
    propose_split,
)

participants = st.lists(
    st.builds(
        lambda stock, use, incoming, remaining, reported: participant(
            "", remaining, 14, Site("x", stock, use, incoming) if reported else None),
        # Daily use is reported consumption over days: 0, or at least a unit in a few weeks.
        st.integers(0, 20_000), st.one_of(st.just(0.0), st.floats(0.01, 2_000)),
        st.integers(0, 5_000),
        st.integers(0, 30_000), st.booleans()),
    min_size=1, max_size=8,
).map(lambda found: [Participant(Site(str(i), p.site.stock, p.site.daily_use, p.site.incoming),
                                 p.remaining, p.reported) for i, p in enumerate(found)])


@settings(max_examples=300, deadline=None)
@given(received=st.integers(0, 100_000), found=participants,
       pack_size=st.sampled_from([1, 10, 20, 50, 100]))
def test_split_invariants(received: int, found: list[Participant], pack_size: int) -> None:
    proposal = propose_split(received, found, pack_size)
    shares = proposal.shares
    assert set(shares) == {p.code for p in found}
    assert all(0 <= shares[p.code] <= p.remaining for p in found)  # never above commitment
    assert sum(shares.values()) + proposal.undistributed == received  # never above received
    assert proposal.undistributed >= 0
    if proposal.undistributed:  # only once every commitment is met
        assert all(shares[p.code] == p.remaining for p in found)
    if received % pack_size == 0 and all(p.remaining % pack_size == 0 for p in found):
        assert all(share % pack_size == 0 for share in shares.values())  # whole packs
    # A pack is opened only for the delivery's loose units or to complete a commitment.
    partial = [p for p in found if shares[p.code] % pack_size and shares[p.code] < p.remaining]
    if partial and received % pack_size == 0:
        assert any(p.remaining % pack_size for p in found)


def test_the_worst_off_is_served_first() -> None:
    low = Participant(Site("1", 100, 100.0), remaining=5_000)  # one day
    high = Participant(Site("2", 2_000, 100.0), remaining=5_000)  # twenty days
    proposal = propose_split(1_000, [low, high], 50)
    assert proposal.shares == {"1": 1_000, "2": 0}
    assert coverage_after(low, 1_000) == pytest.approx(11.0)


def test_equal_days_after_a_large_delivery_and_the_rest_when_commitments_are_met() -> None:
    a = Participant(Site("1", 0, 100.0), remaining=3_000)
    b = Participant(Site("2", 0, 200.0), remaining=500)
    proposal = propose_split(4_000, [a, b], 50)
    assert proposal.shares == {"1": 3_000, "2": 500} and proposal.undistributed == 500


def test_loose_units_of_an_opened_pack_are_split_too() -> None:
    a = Participant(Site("1", 0, 10.0), remaining=1_000)
    b = Participant(Site("2", 0, 10.0), remaining=1_000)
    proposal = propose_split(125, [a, b], 50)
    assert sum(proposal.shares.values()) == 125 and proposal.undistributed == 0


def test_without_a_report_an_organisation_counts_as_average() -> None:
    reported = [Site("1", 500, 100.0), Site("2", 1_500, 100.0)]  # 5 and 15 days
    region = participant("9", 1_400, 14, None, average_days(reported))
    assert (region.reported, region.site.daily_use, region.site.stock) == (False, 100.0, 1_000)
    assert region.site.coverage() == 10.0
    assert average_days([Site("1", 5, 0.0)]) == 0.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        propose_split(-1, [], 1)
    with pytest.raises(ValueError):
        propose_split(10, [], 0)
    assert propose_split(10, [], 5).undistributed == 10


DAY = date(2026, 12, 1)


@settings(max_examples=200, deadline=None)
@given(schedule=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 10_000)), min_size=1,
                         max_size=4),
       delivered=st.integers(0, 20_000),
       remaining=st.dictionaries(st.integers(1, 20), st.integers(0, 10_000), max_size=6))
def test_expected_schedule_keeps_every_remaining_unit(schedule, delivered, remaining) -> None:  # noqa: ANN001
    plan = expected_schedule([(DAY + timedelta(days=d), q) for d, q in schedule], delivered,
                             remaining)
    for key, units in remaining.items():
        assert sum(item.quantity for item in plan if item.key == key) == units
    assert all(item.quantity > 0 for item in plan)
    last = DAY + timedelta(days=max(d for d, _ in schedule))
    assert all(item.expected_on <= last for item in plan)


def test_expected_schedule_follows_what_is_not_yet_delivered() -> None:
    plan = expected_schedule([(DAY, 600), (DAY + timedelta(days=7), 400)], 600, {1: 300, 2: 100})
    assert [(p.key, p.expected_on, p.quantity) for p in plan] == [
        (1, DAY + timedelta(days=7), 300), (2, DAY + timedelta(days=7), 100)]
