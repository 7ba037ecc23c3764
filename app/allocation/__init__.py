"""The allocation engine: fair redistribution and delivery splits, pure and deterministic.

Frozen dataclasses in, dataclasses out. This package imports only the standard library
and OR-Tools (checked by the import-linter contract in ``pyproject.toml``); services
convert database rows to :class:`Site` values and store the :class:`Plan` they get back.
"""

from app.allocation.model import Plan, Site, SiteOutcome, SolveStats, Transfer
from app.allocation.principles import FAIRNESS_PRINCIPLE_EN, FAIRNESS_PRINCIPLE_SV
from app.allocation.redistribution import redistribute, redistribute_all
from app.allocation.split import EQUAL_DAYS, PROPORTIONAL_TO_NEED, split_delivery

__all__ = [
    "EQUAL_DAYS",
    "FAIRNESS_PRINCIPLE_EN",
    "FAIRNESS_PRINCIPLE_SV",
    "PROPORTIONAL_TO_NEED",
    "Plan",
    "Site",
    "SiteOutcome",
    "SolveStats",
    "Transfer",
    "redistribute",
    "redistribute_all",
    "split_delivery",
]
