"""Form fields for uploads: the same checks as :func:`app.documents.uploads.save_upload`."""
from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_wtf.file import FileField
from wtforms import Field, Form
from wtforms.validators import StopValidation

from app.documents.uploads import SIGNATURES, UploadRefused, check_file

#: For ``<input type=file accept=...>``: what the file picker offers first.
ACCEPT = ",".join([*SIGNATURES, ".pdf", ".png", ".jpg", ".jpeg"])


def checked_upload(form: Form, field: Field) -> None:
    """WTForms validator: a chosen file that :func:`check_file` accepts.

    The refusal's message (e.g. "Filen måste vara en PDF-, PNG- eller JPEG-fil.") becomes
    the field's error, so the form shows it next to the field.
    """
    try:
        check_file(field.data, current_app.config["UPLOAD_MAX_BYTES"])
    except UploadRefused as refused:
        raise StopValidation(str(refused)) from None


class UploadField(FileField):
    """A file field for certificates and datasheets: PDF, PNG or JPEG, checked by content."""

    def __init__(self, label: str | None = None, validators: Sequence[object] = (),
                 **kwargs: object) -> None:
        kwargs.setdefault("render_kw", {"accept": ACCEPT})
        super().__init__(label, validators=[*validators, checked_upload], **kwargs)
