"""State machines, row locks and optimistic locking: the one way any record changes state.

A model that has a workflow declares, as class attributes, the name of its state column
(``STATE_ATTRIBUTE``, default ``"status"``), the moves it allows (``TRANSITIONS``: state ->
set of states) and its name in the audit log (``AUDIT_ENTITY``). It carries a ``version``
column through :class:`Versioned`, so SQLAlchemy refuses to overwrite a row that another
transaction changed since it was read (``version_id_col``), and forms that edit it send the
version they showed so that a stale form is refused too (:func:`check_version`).

:func:`transition` checks the move, sets the state (and any fields that change with it),
flushes and writes the audit record with the values before and after.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core import audit
from app.extensions import db

T = TypeVar("T")


class TransitionNotAllowed(Exception):
    """The record's workflow does not allow this move (e.g. a submitted report to draft)."""

    def __init__(self, obj: object, from_state: enum.Enum, to_state: enum.Enum) -> None:
        super().__init__(f"{type(obj).__name__}: {from_state.value} -> {to_state.value} "
                         "is not an allowed transition")
        self.from_state = from_state
        self.to_state = to_state


class StaleObject(Exception):
    """Someone else changed the record after the user's form was shown."""

    def __init__(self, obj: object) -> None:
        super().__init__(f"{type(obj).__name__} changed since it was read")
        self.obj = obj


class Versioned:
    """Mixin: a ``version`` column that SQLAlchemy checks and increments on every UPDATE."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative directive
        return {"version_id_col": cls.__table__.c.version}


class Stateful(Versioned):
    """Mixin for models with a declared workflow (see the module docstring)."""

    STATE_ATTRIBUTE: ClassVar[str] = "status"
    TRANSITIONS: ClassVar[Mapping[enum.Enum, frozenset[enum.Enum]]] = {}
    AUDIT_ENTITY: ClassVar[str] = ""

    @property
    def state(self) -> enum.Enum:
        return getattr(self, self.STATE_ATTRIBUTE)

    def can_move_to(self, to_state: enum.Enum) -> bool:
        return to_state in self.TRANSITIONS.get(self.state, frozenset())


def transition(obj: Stateful, to_state: enum.Enum, *, by: Any, reason: str | None = None,
               changes: Mapping[str, Any] | None = None,
               organisation_id: int | None = None) -> None:
    """Move ``obj`` to ``to_state`` (setting ``changes`` with it), flush and audit.

    ``by`` is the acting user (None for the system). Raises :class:`TransitionNotAllowed`
    for a move the model does not declare, and ``StaleDataError`` at the flush when another
    transaction changed the row since it was read.
    """
    from_state = obj.state
    if not obj.can_move_to(to_state):
        raise TransitionNotAllowed(obj, from_state, to_state)
    before = audit.snapshot(obj)
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    setattr(obj, obj.STATE_ATTRIBUTE, to_state)
    db.session.flush()
    after = audit.snapshot(obj) | ({"reason": reason} if reason else {})
    entity_id = sa.inspect(obj).identity[0]
    audit.record(f"{obj.AUDIT_ENTITY}.{to_state.value}", obj.AUDIT_ENTITY, entity_id,
                 before=before, after=after, organisation_id=organisation_id,
                 user_id=getattr(by, "id", None))


def check_version(obj: Versioned, shown_version: int | None) -> None:
    """Raise :class:`StaleObject` unless the user's form showed the row's current version."""
    if shown_version is None or shown_version != obj.version:
        raise StaleObject(obj)


def locked(model: type[T], ident: object) -> T | None:
    """Load a row and lock it until the transaction ends (``SELECT … FOR UPDATE``).

    PostgreSQL holds concurrent writers of the row until this transaction commits, so a
    check made after the lock cannot be overtaken. SQLite has no row locks (it serialises
    writers on the whole database); there the ``version`` column makes the later of two
    conflicting writes fail instead.
    """
    return db.session.scalars(
        sa.select(model).where(sa.inspect(model).primary_key[0] == ident)
        .with_for_update().execution_options(populate_existing=True)
    ).one_or_none()
