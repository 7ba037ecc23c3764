"""Proven lower bounds on the number of shipments, given the amounts fixed by the principle.

Two bounds, the larger wins:

- counting: every receiver needs a shipment in, every giver that must give one out;
- the linear relaxation of the fixed-charge model with strong linking: a pair's shipment
  variable ``y`` in [0, 1] must be at least ``packs / min(giver's most, receiver's need)``
  for every material it carries; minimise the sum of ``y``. It is solved with GLOP (dual
  simplex) and the bound is read from the duals as a Lagrangian bound, ``pi.b + sum of
  min(0, reduced cost x upper bound)`` over the variables' boxes, which is valid for any
  dual vector: an inaccurate solve only weakens the bound, it never makes it wrong.

Only materials moved in single packs count: with a larger minimum transfer a receiver may
be left short, so leaving such materials out keeps the bound valid (fewer materials never
need more shipments).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from app.allocation.levels import Targets

Pair = tuple[str, str]
# A margin for float rounding in the Lagrangian sum (units of shipments).
_ROUNDING = 1e-6


def counting_bound(targets: Mapping[str, Targets]) -> int:
    """Every receiver needs a shipment in, every giver that must give one out."""
    exact = _exact(targets)
    receivers = {code for t in exact.values() for code in t.receive}
    givers = {code for t in exact.values() for code, (low, _) in t.give_window.items() if low > 0}
    return max(len(receivers), len(givers))


def _exact(targets: Mapping[str, Targets]) -> dict[str, Targets]:
    """The materials whose receivers must get exactly their targets (single-pack minimums)."""
    return {m: t for m, t in targets.items() if t.min_transfer == t.pack and t.receive}


@dataclass
class _Relaxation:
    """The LP with every row's bounds and every column's upper bound and coefficients."""

    solver: pywraplp.Solver
    rows: list[tuple[pywraplp.Constraint, float, float]] = field(default_factory=list)
    columns: list[tuple[pywraplp.Variable, float, float, list[tuple[int, float]]]] = field(
        default_factory=list
    )

    def row(self, low: float, high: float) -> int:
        self.rows.append((self.solver.Constraint(low, high), low, high))
        return len(self.rows) - 1

    def column(self, upper: float, cost: float, entries: list[tuple[int, float]]) -> None:
        variable = self.solver.NumVar(0.0, upper, "")
        for index, coefficient in entries:
            self.rows[index][0].SetCoefficient(variable, coefficient)
        self.solver.Objective().SetCoefficient(variable, cost)
        self.columns.append((variable, upper, cost, entries))

    def lagrangian_bound(self) -> float:
        """The bound implied by the solver's duals (clipped to their valid signs)."""
        duals = []
        value = 0.0
        for constraint, low, high in self.rows:
            dual = constraint.dual_value()
            if dual > 0 and math.isinf(low) or dual < 0 and math.isinf(high):
                dual = 0.0
            duals.append(dual)
            value += dual * (low if dual > 0 else high) if dual else 0.0
        for _, upper, cost, entries in self.columns:
            reduced = cost - sum(duals[index] * coefficient for index, coefficient in entries)
            value += min(0.0, reduced * upper)
        return value


def _build(targets: Mapping[str, Targets]) -> _Relaxation:
    """Rows per receiver, giver and transfer; columns per transfer (units) and pair."""
    lp = _Relaxation(pywraplp.Solver.CreateSolver("GLOP"))
    links: dict[Pair, list[tuple[int, float]]] = {}
    for target in targets.values():
        receiver_rows = {r: lp.row(wanted, wanted) for r, wanted in target.receive.items()}
        for giver, (low, high) in target.give_window.items():
            giver_row = lp.row(low, high)
            for receiver, wanted in target.receive.items():
                most = min(high, wanted)
                if most < target.min_transfer:
                    continue
                link = lp.row(-math.inf, 0.0)
                links.setdefault((giver, receiver), []).append((link, -float(most)))
                lp.column(
                    most, 0.0, [(receiver_rows[receiver], 1.0), (giver_row, 1.0), (link, 1.0)]
                )
    for entries in links.values():
        lp.column(1.0, 1.0, entries)
    return lp


def lp_shipment_bound(targets: Mapping[str, Targets], wall_limit_s: float) -> tuple[int, int]:
    """(proven bound on shipments, simplex work) from the linear relaxation.

    The work is simplex iterations times rows, the same on every machine; the budget is
    charged for it. ``wall_limit_s`` (seconds) is only a safety net: a solve it stops
    gives the bound 0.
    """
    exact = _exact(targets)
    if not exact:
        return 0, 0
    lp = _build(exact)
    lp.solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
    lp.solver.SetTimeLimit(max(1, int(wall_limit_s * 1000)))
    lp.solver.Objective().SetMinimization()
    solved = lp.solver.Solve() == pywraplp.Solver.OPTIMAL
    work = lp.solver.iterations() * len(lp.rows)
    if not solved:
        return 0, work
    return max(0, math.ceil(lp.lagrangian_bound() - _ROUNDING)), work


def transfer_columns(targets: Mapping[str, Targets]) -> int:
    """Size of the relaxation in transfer columns, to predict its cost."""
    return sum(len(t.give_window) * len(t.receive) for t in _exact(targets).values())
