"""Stored documents: the same bytes and SHA-256 every time they are fetched."""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.core.audit import AuditEntry
from app.core.models import OrgKind
from app.documents.archive import SHA256_HEADER, DocumentAltered, send_document, store_pdf
from app.documents.models import StoredDocument
from app.documents.pdf import render_pdf
from app.extensions import db


@pytest.fixture
def decision_pdf(document_app) -> bytes:  # noqa: ANN001
    return render_pdf("test_documents/table.html", title="Beslut om omfördelning",
                      number="OF-2026-3", rows=[])


def store(pdf: bytes, by=None) -> StoredDocument:  # noqa: ANN001
    document = store_pdf(pdf, kind="redistribution_decision", title="Beslut om omfördelning",
                         number="OF-2026-3", source_type="redistribution_round", source_id=12,
                         by=by)
    db.session.commit()
    return document


def fetch(app, document_id: int, **environ: object):  # noqa: ANN001, ANN201
    """send_document's response for a document read back from the database."""
    db.session.expire_all()
    with app.test_request_context(**environ):
        response = send_document(db.session.get(StoredDocument, document_id))
        response.direct_passthrough = False
        return response


def test_bytes_and_sha256_come_back_unchanged(app, decision_pdf: bytes, make_user) -> None:
    user = make_user("Länsstyrelsen Västernorrland", Role.COUNTY_COORDINATOR,
                     kind=OrgKind.COUNTY_BOARD)
    document = store(decision_pdf, by=user)
    digest = hashlib.sha256(decision_pdf).hexdigest()

    first, second = fetch(app, document.id), fetch(app, document.id)
    assert first.get_data() == second.get_data() == decision_pdf
    assert first.headers[SHA256_HEADER] == second.headers[SHA256_HEADER] == digest
    assert first.headers["ETag"] == f'"{digest}"'
    assert first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"] == (
        "inline; filename=Beslut-om-omfordelning-OF-2026-3.pdf")
    assert (document.sha256, document.created_by_id, document.source_id) == (
        digest, user.id, "12")


def test_as_attachment_and_not_modified(app, decision_pdf: bytes) -> None:
    document = store(decision_pdf)
    with app.test_request_context():
        attached = send_document(document, as_attachment=True)
    assert attached.headers["Content-Disposition"].startswith("attachment;")
    again = fetch(app, document.id, headers={"If-None-Match": f'"{document.sha256}"'})
    assert again.status_code == 304


def test_storing_is_audited(app, decision_pdf: bytes) -> None:
    document = store(decision_pdf)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "document.store")).one()
    assert entry.entity_id == str(document.id)
    assert entry.after["sha256"] == document.sha256
    assert entry.after["source"] == "redistribution_round:12"


def test_a_stored_document_cannot_be_changed(app, decision_pdf: bytes) -> None:
    document = store(decision_pdf)
    document.title = "Annat beslut"
    with pytest.raises(ValueError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()


def test_altered_bytes_are_never_sent(app, decision_pdf: bytes) -> None:
    document = store(decision_pdf)
    db.session.execute(sa.update(StoredDocument).where(StoredDocument.id == document.id)
                       .values(content=decision_pdf + b"%"))
    with pytest.raises(DocumentAltered):
        fetch(app, document.id)


def test_only_pdfs_are_stored(app) -> None:
    with pytest.raises(ValueError, match="PDF"):
        store(b"<html></html>")
