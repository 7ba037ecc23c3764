"""Documents kept by Samordna: PDFs as issued, and files that users uploaded.

Both belong to something in a domain through ``source_type``/``source_id`` (e.g.
``"redistribution_decision"``, ``"17"``), plain strings so that this package needs no
domain's models; the domain decides who may see them.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import utcnow
from app.extensions import db


class StoredDocument(db.Model):
    """A generated PDF kept exactly as it was issued; its bytes and SHA-256 never change."""

    __tablename__ = "stored_documents"
    __table_args__ = (
        sa.Index("ix_stored_documents_source", "source_type", "source_id"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    number: Mapped[str | None] = mapped_column(sa.String(60))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column("bytes", sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    source_type: Mapped[str] = mapped_column(sa.String(40))
    source_id: Mapped[str] = mapped_column(sa.String(40))

    @property
    def intact(self) -> bool:
        """Whether the bytes still have the SHA-256 recorded when they were stored."""
        return hashlib.sha256(self.content).hexdigest() == self.sha256


@event.listens_for(StoredDocument, "before_update")
def _refuse_changes(_mapper: object, _connection: object, document: StoredDocument) -> None:
    raise ValueError(f"stored document {document.id} cannot be changed; store a new one")


class Upload(db.Model):
    """A file a user uploaded, kept outside the web root under a name Samordna chose.

    ``content_type`` is what the file's own bytes showed, never what the browser said;
    ``original_name`` is the user's file name, cleaned, kept only to show and download.
    """

    __tablename__ = "uploads"
    __table_args__ = (
        sa.Index("ix_uploads_source", "source_type", "source_id"),
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    source_type: Mapped[str] = mapped_column(sa.String(40))
    source_id: Mapped[str] = mapped_column(sa.String(40))
