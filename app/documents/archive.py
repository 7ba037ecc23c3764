"""Issued PDFs kept as they were: store once, send the same bytes with their SHA-256.

A decision or protocol is rendered once (:func:`app.documents.pdf.render_pdf`), stored
with :func:`store_pdf`, and from then on always sent from the database by
:func:`send_document`, so that everyone fetches the identical file and can compare its
SHA-256 (shown in the ``X-Content-SHA256`` header and the ETag) with the one on record.
Who may fetch a document is for the owning domain's view to decide.
"""
from __future__ import annotations

import hashlib
from io import BytesIO

from flask import send_file
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core import audit
from app.documents.downloads import download_name
from app.documents.models import StoredDocument
from app.extensions import db

SHA256_HEADER = "X-Content-SHA256"


class DocumentAltered(RuntimeError):
    """A stored document's bytes no longer match their SHA-256: it must not be sent."""


def store_pdf(pdf: bytes, *, kind: str, title: str, number: str | None, source_type: str,
              source_id: object, by: User | None) -> StoredDocument:
    """Keep ``pdf`` as issued, with its SHA-256, for ``source_type``/``source_id`` (flushed).

    ``kind`` names the sort of document (e.g. ``"redistribution_decision"``); ``by`` is
    who issued it (None for the system). Raises ValueError if ``pdf`` is not a PDF.
    """
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("store_pdf needs the bytes of a PDF")
    document = StoredDocument(
        kind=kind, title=title, number=number, sha256=hashlib.sha256(pdf).hexdigest(),
        content=pdf, created_by_id=by.id if by else None, source_type=source_type,
        source_id=str(source_id))
    db.session.add(document)
    db.session.flush()
    audit.record("document.store", "stored_document", document.id, after={
        "kind": kind, "title": title, "number": number, "sha256": document.sha256,
        "size": len(pdf), "source": f"{source_type}:{source_id}"})
    return document


def send_document(document: StoredDocument, *, as_attachment: bool = False) -> Response:
    """The stored PDF, byte for byte, shown in the browser (or ``as_attachment``).

    Named after its title and number, with its SHA-256 in ``X-Content-SHA256`` and as
    the ETag (so a repeated fetch can be answered 304). Raises :class:`DocumentAltered`
    when the bytes do not match their SHA-256.
    """
    if not document.intact:
        raise DocumentAltered(f"stored document {document.id} does not match its SHA-256")
    response = send_file(
        BytesIO(document.content), mimetype="application/pdf", as_attachment=as_attachment,
        download_name=f"{download_name(document.title, document.number)}.pdf",
        etag=document.sha256, max_age=0)
    response.headers[SHA256_HEADER] = document.sha256
    response.cache_control.private = True
    return response
