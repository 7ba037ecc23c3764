"""The audit log: one table, one helper. Every state change in the app calls :func:`record`."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import utcnow
from app.extensions import db


class AuditEntry(db.Model):
    """Who did what, when, to which entity, with the values before and after. Never updated."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    action: Mapped[str] = mapped_column(sa.String(80))
    entity_type: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str | None] = mapped_column(sa.String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))


def _jsonable(value: Any) -> Any:
    """Turn dates, decimals and enums into JSON-friendly values, recursively."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


#: Columns never written to the audit log, whatever the model.
SECRET_COLUMNS = frozenset({"password_hash", "session_token"})
#: Bookkeeping columns that change with every write and say nothing about the change.
BOOKKEEPING_COLUMNS = frozenset({"version", "updated_at"})


def snapshot(obj: object, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The audited view of a model row: every mapped column except secrets and bookkeeping.

    Large binary columns are left out (a stored document's bytes are kept by its hash).
    """
    mapper = sa.inspect(obj).mapper
    skip = SECRET_COLUMNS | BOOKKEEPING_COLUMNS | exclude
    return {
        attr.key: getattr(obj, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in skip and not isinstance(attr.columns[0].type, sa.LargeBinary)
    }


def _acting_user_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record(
    action: str,
    entity_type: str,
    entity_id: object = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    user_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (the caller commits with its change)."""
    entry = AuditEntry(
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        before=_jsonable(before),
        after=_jsonable(after),
        organisation_id=organisation_id,
        user_id=user_id if user_id is not None else _acting_user_id(),
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
