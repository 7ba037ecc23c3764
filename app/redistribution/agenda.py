"""Matters other domains bring to the logistics meeting (a pooled order of joint procurement).

Redistribution sits below those domains and does not import them: a domain registers a
:class:`SubjectSource` under a kind with :func:`agenda_source`, and the meeting asks it for
the matters open for decision in a county and for the current view of those on its agenda.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    """One matter as the meeting page shows it."""

    kind: str
    id: int
    title: str  # what the item is called on the agenda
    summary: str  # its state in a sentence (commitments so far, deadline)
    url: str  # its own page
    link_text: str  # what the link to that page says ("Öppna inköpet")

    @property
    def token(self) -> str:
        """The value of the matter in the agenda form's select."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class SubjectSource:
    """How one domain lists its matters: those open for decision in a county, and any by id."""

    open_in: Callable[[str], list[Subject]]
    by_ids: Callable[[Iterable[int]], dict[int, Subject]]


_SOURCES: dict[str, SubjectSource] = {}


def agenda_source(kind: str, source: SubjectSource) -> None:
    """Register the matters of ``kind`` (done once, when the domain's module is imported)."""
    _SOURCES[kind] = source


def open_subjects(county_code: str) -> list[Subject]:
    """Every registered domain's matters the county's meeting could decide."""
    return [subject for source in _SOURCES.values() for subject in source.open_in(county_code)]


def subjects_of(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Subject]:
    """The current view of the matters (kind, id) on an agenda, one query per kind."""
    by_kind: dict[str, set[int]] = {}
    for kind, ident in keys:
        by_kind.setdefault(kind, set()).add(ident)
    return {(kind, ident): subject
            for kind, ids in by_kind.items() if kind in _SOURCES
            for ident, subject in _SOURCES[kind].by_ids(ids).items()}
