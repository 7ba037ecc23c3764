"""Files that users upload (certificates, datasheets): checked by content, stored apart.

Only PDF, PNG and JPEG are accepted, recognised by their first bytes, never by the file
name or the type the browser claims; HTML, SVG and everything else are refused, as are
empty files and files over ``UPLOAD_MAX_BYTES``. Each refusal is an
:class:`UploadRefused` whose message is meant for the user (Swedish, or English).

Files are written under ``UPLOAD_FOLDER`` (default ``instance/uploads``, outside the
static folder, so never served by the web server itself) under a random name that
Samordna chooses; the user's file name is kept, cleaned, only as metadata.

Access is not checked here: the domain's view decides who may upload to and fetch from
what it owns, then calls :func:`save_upload` or :func:`send_upload`.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from flask import abort, current_app, send_file
from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core import audit
from app.core.models import Organisation
from app.documents.models import Upload
from app.extensions import db

#: The accepted types and the first bytes that identify them.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
#: File name extensions that match each type (the first is used when one is missing).
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}
#: Types a browser may show instead of downloading; anything else is an attachment.
INLINE_TYPES = frozenset(SIGNATURES)
MAX_NAME_LENGTH = 200
STORED_NAME = re.compile(r"[0-9a-f]{32}")
#: Key in the session's ``info`` of the files written in its open transaction.
_WRITTEN = "samordna_written_uploads"


class UploadRefused(Exception):
    """An uploaded file cannot be accepted; ``message`` tells the user why."""

    def __init__(self, message: LazyString) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CheckedFile:
    """The bytes of an accepted file and what they are."""

    data: bytes
    content_type: str
    sha256: str


def sniff_type(data: bytes) -> str | None:
    """The accepted type whose signature ``data`` starts with, or None."""
    return next((kind for kind, magic in SIGNATURES.items() if data.startswith(magic)), None)


def check_file(file: FileStorage | None, max_bytes: int) -> CheckedFile:
    """Read and check an uploaded file, leaving its stream at the start again.

    Reads at most ``max_bytes`` + 1 bytes. Raises :class:`UploadRefused` when no file was
    chosen, it is empty, larger than ``max_bytes``, or not PDF, PNG or JPEG by content.
    """
    if file is None or not file.filename:
        raise UploadRefused(_l("Välj en fil att ladda upp."))
    data = file.stream.read(max_bytes + 1)
    file.stream.seek(0)
    if not data:
        raise UploadRefused(_l("Filen är tom."))
    if len(data) > max_bytes:
        raise UploadRefused(_l("Filen är för stor. Den får vara högst %(size)s.",
                               size=_size_text(max_bytes)))
    content_type = sniff_type(data)
    if content_type is None:
        raise UploadRefused(_l("Filen måste vara en PDF-, PNG- eller JPEG-fil."))
    return CheckedFile(data, content_type, hashlib.sha256(data).hexdigest())


def _size_text(size: int) -> str:
    """``size`` bytes for a message: "10 MB", "1,5 MB" or "900 kB"."""
    if size >= 1024 * 1024:
        return f"{format_decimal(size / 1024 / 1024, format='#,##0.#')} MB"
    return f"{math.ceil(size / 1024)} kB"


def clean_filename(name: str) -> str:
    """The user's file name, safe to keep and show: no folders, no control characters.

    Keeps the last part after ``/`` or ``\\``, collapses white space (tabs and line
    breaks too), drops other control and format characters (including bidirectional
    overrides), strips dots and spaces at the ends and shortens to 200 characters,
    keeping the extension; ``"fil"`` if nothing is left.
    """
    base = " ".join(re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1].split())
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip(" .")
    if len(base) > MAX_NAME_LENGTH:
        suffix = PurePath(base).suffix[:20]
        base = base[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return base or "fil"


def save_upload(file: FileStorage | None, *, organisation: Organisation, source_type: str,
                source_id: object, by: User) -> Upload:
    """Check ``file``, store it under a new random name and add its :class:`Upload` (flushed).

    The file belongs to ``organisation`` and to ``source_type``/``source_id`` in the
    calling domain. Raises :class:`UploadRefused` (see :func:`check_file`) without
    storing anything. If the transaction that adds the upload does not commit (a failed
    flush, an error later in the request), the written file is removed again.
    """
    checked = check_file(file, current_app.config["UPLOAD_MAX_BYTES"])
    stored_name = secrets.token_hex(16)
    path = _write(stored_name, checked.data)
    db.session.info.setdefault(_WRITTEN, []).append(path)
    upload = Upload(
        stored_name=stored_name, original_name=clean_filename(file.filename),
        content_type=checked.content_type, size=len(checked.data), sha256=checked.sha256,
        created_by_id=by.id, organisation_id=organisation.id, source_type=source_type,
        source_id=str(source_id))
    db.session.add(upload)
    db.session.flush()
    audit.record("upload.save", "upload", upload.id, organisation_id=organisation.id, after={
        "original_name": upload.original_name, "content_type": upload.content_type,
        "size": upload.size, "sha256": upload.sha256, "source": f"{source_type}:{source_id}"})
    return upload


@event.listens_for(Session, "after_commit")
def _keep_written_files(session: Session) -> None:
    """The uploads are committed: their files stay."""
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit: remove the files it wrote."""
    if transaction.parent is None:
        for path in session.info.pop(_WRITTEN, []):
            path.unlink(missing_ok=True)


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _write(stored_name: str, data: bytes) -> Path:
    """Write a new file that only the app's user can read (never overwrites one)."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / stored_name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path


def upload_path(upload: Upload) -> Path:
    """Where the upload's bytes are; refuses a stored name that Samordna did not make."""
    if not STORED_NAME.fullmatch(upload.stored_name):
        raise ValueError(f"upload {upload.id} has an invalid stored name")
    return _folder() / upload.stored_name


def download_filename(upload: Upload) -> str:
    """The original name with an extension that matches what the file really is.

    "intyg.pdf" that is a PNG downloads as "intyg.png", "intyg" as "intyg.png".
    """
    name = PurePath(upload.original_name)
    extensions = EXTENSIONS.get(upload.content_type)
    if not extensions or name.suffix.lower() in extensions:
        return upload.original_name
    known = {extension for group in EXTENSIONS.values() for extension in group}
    stem = name.stem if name.suffix.lower() in known else name.name
    return f"{stem}{extensions[0]}"


def send_upload(upload: Upload) -> Response:
    """Send an upload with its own content type and ``X-Content-Type-Options: nosniff``.

    PDF, PNG and JPEG are shown inline, anything else is an attachment. Call it only
    after the view has checked that the user may see the file. Aborts with 404 when
    the file is missing from the upload folder.
    """
    path = upload_path(upload)
    if not path.is_file():
        current_app.logger.warning("upload %s: %s is missing", upload.id, path)
        abort(404)
    response = send_file(path, mimetype=upload.content_type,
                         as_attachment=upload.content_type not in INLINE_TYPES,
                         download_name=download_filename(upload), etag=upload.sha256,
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
