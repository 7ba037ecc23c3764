"""The allocation engine: fair redistribution and delivery splits, pure and deterministic.

Redistribution follows one of three principles (``EQUAL_DAYS``, the default,
``PROPORTIONAL_TO_NEED``, ``PER_CAPITA``; texts for the help page in
``PRINCIPLE_TEXTS_SV`` / ``_EN``), then minimises the shipments over all materials of a
round. Frozen dataclasses in, dataclasses out. This package imports only the standard library
and OR-Tools (checked by the import-linter contract in ``pyproject.toml``); services
convert database rows to :class:`Site` values and store the :class:`Plan` they get back.
"""

from app.allocation.model import Plan, Site, SiteOutcome, SolveStats, Transfer
from app.allocation.principles import (
    EQUAL_DAYS,
    FAIRNESS_PRINCIPLE_EN,
    FAIRNESS_PRINCIPLE_SV,
    PER_CAPITA,
    PRINCIPLE_TEXTS_EN,
    PRINCIPLE_TEXTS_SV,
    PROPORTIONAL_TO_NEED,
    REDISTRIBUTION_PRINCIPLES,
)
from app.allocation.redistribution import Progress, redistribute, redistribute_all
from app.allocation.split import split_delivery

__all__ = [
    "EQUAL_DAYS",
    "FAIRNESS_PRINCIPLE_EN",
    "FAIRNESS_PRINCIPLE_SV",
    "PER_CAPITA",
    "PRINCIPLE_TEXTS_EN",
    "PRINCIPLE_TEXTS_SV",
    "PROPORTIONAL_TO_NEED",
    "REDISTRIBUTION_PRINCIPLES",
    "Plan",
    "Progress",
    "Site",
    "SiteOutcome",
    "SolveStats",
    "Transfer",
    "redistribute",
    "redistribute_all",
    "split_delivery",
]
