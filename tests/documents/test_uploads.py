"""Uploads: type by content, size limit, random stored names, clean metadata, safe serving."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_wtf import FlaskForm
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app.auth.models import Role
from app.core.audit import AuditEntry
from app.documents.forms import ACCEPT, UploadField
from app.documents.models import Upload
from app.documents.uploads import (
    UploadRefused,
    clean_filename,
    save_upload,
    send_upload,
    upload_path,
)
from app.extensions import db
from tests.helpers import organisation

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#c8413c").save(buffer, fmt)
    return buffer.getvalue()


def file(data: bytes, filename: str | None, content_type: str = "application/pdf"
         ) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)


@pytest.fixture
def folder(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    uploads = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(uploads))
    return uploads


@pytest.fixture
def save(app, make_user, folder):  # noqa: ANN001, ANN201
    """``save(file)``: save_upload for Sundsvall's buyer, in a request context."""
    user = make_user("Sundsvall", Role.MUNICIPAL_BUYER)

    def saving(upload: FileStorage) -> Upload:
        with app.test_request_context():
            return save_upload(upload, organisation=organisation("Sundsvall"),
                               source_type="procurement_offer", source_id=7, by=user)

    return saving


def served(app, upload: Upload, **environ: object):  # noqa: ANN001, ANN201
    """send_upload's response, read and closed (so the file is not left open)."""
    with app.test_request_context(**environ):
        response = send_upload(upload)
        response.direct_passthrough = False
        response.get_data()
        response.close()
        return response


@pytest.mark.parametrize(("data", "filename", "content_type"), [
    (PDF, "intyg.pdf", "application/pdf"),
    (image("PNG"), "datablad.png", "image/png"),
    (image("JPEG"), "foto.JPG", "image/jpeg"),
], ids=["pdf", "png", "jpeg"])
def test_a_real_pdf_png_or_jpeg_is_stored_and_served_inline_with_nosniff(
        app, save, folder: Path, data: bytes, filename: str, content_type: str) -> None:
    upload = save(file(data, filename, "application/octet-stream"))
    db.session.commit()

    assert (upload.content_type, upload.size, upload.original_name) == (
        content_type, len(data), filename)
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert list(folder.iterdir()) == [folder / upload.stored_name]
    assert len(upload.stored_name) == 32 and upload.stored_name not in filename
    assert upload_path(upload).read_bytes() == data
    response = served(app, upload)
    assert response.status_code == 200 and response.get_data() == data
    assert response.mimetype == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f"inline; filename={filename}"
    assert "private" in response.headers["Cache-Control"]


def test_a_file_whose_transaction_rolls_back_is_removed(app, save, folder: Path) -> None:
    save(file(PDF, "intyg.pdf"))
    assert len(list(folder.iterdir())) == 1
    db.session.rollback()
    assert list(folder.iterdir()) == []


def test_a_committed_file_stays_when_a_later_transaction_rolls_back(
        app, save, folder: Path) -> None:
    kept = save(file(PDF, "intyg.pdf"))
    db.session.commit()
    save(file(image("PNG"), "datablad.png", "image/png"))
    db.session.rollback()
    assert list(folder.iterdir()) == [folder / kept.stored_name]


def test_a_request_that_ends_without_a_commit_leaves_no_file(app, save, folder: Path
                                                             ) -> None:
    save(file(PDF, "intyg.pdf"))
    db.session.remove()  # what the app context's teardown does after an error in a view
    assert list(folder.iterdir()) == []


def test_saving_is_audited(app, save) -> None:
    upload = save(file(PDF, "intyg.pdf"))
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "upload.save")).one()
    assert entry.entity_id == str(upload.id)
    assert entry.after["sha256"] == upload.sha256
    assert entry.after["source"] == "procurement_offer:7"


@pytest.mark.parametrize(("data", "filename", "content_type"), [
    ("Det här är ingen PDF.\n".encode(), "intyg.pdf", "application/pdf"),
    (HTML, "intyg.pdf", "application/pdf"),
    (HTML, "sida.html", "text/html"),
    (SVG, "logga.svg", "image/svg+xml"),
    (SVG, "logga.png", "image/png"),
    (b"GIF89a\x01\x00\x01\x00", "bild.gif", "image/gif"),
    (b"PK\x03\x04" + b"\x00" * 20, "intyg.pdf", "application/pdf"),
    (b" %PDF-1.7 with a space first", "intyg.pdf", "application/pdf"),
], ids=["text", "html-as-pdf", "html", "svg", "svg-as-png", "gif", "zip", "pdf-not-first"])
def test_anything_but_pdf_png_or_jpeg_by_content_is_refused(
        app, save, folder: Path, data: bytes, filename: str, content_type: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        save(file(data, filename, content_type))
    assert str(refused.value) == "Filen måste vara en PDF-, PNG- eller JPEG-fil."
    assert not folder.exists() or not list(folder.iterdir())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


def test_a_file_over_the_limit_is_refused(app, save, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 2048)
    with pytest.raises(UploadRefused, match="Filen är för stor. Den får vara högst 2 kB."):
        save(file(PDF + b"0" * 2048, "stor.pdf"))
    assert save(file(PDF + b"0" * (2048 - len(PDF)), "precis.pdf")).size == 2048


def test_the_default_limit_leaves_room_for_the_form_around_the_file(app) -> None:
    assert app.config["UPLOAD_MAX_BYTES"] == 10 * 1024 * 1024
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["UPLOAD_MAX_BYTES"]
    with app.test_request_context(), pytest.raises(UploadRefused, match="högst 10 MB"):
        from app.documents.uploads import check_file
        check_file(file(b"%PDF-" + b"0" * 10 * 1024 * 1024, "stor.pdf"),
                   app.config["UPLOAD_MAX_BYTES"])


@pytest.mark.parametrize(("upload", "message"), [
    (None, "Välj en fil att ladda upp."),
    (FileStorage(io.BytesIO(b""), filename=""), "Välj en fil att ladda upp."),
    (FileStorage(io.BytesIO(b""), filename="tom.pdf"), "Filen är tom."),
])
def test_no_file_or_an_empty_one_is_refused(save, upload, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        save(upload)


def test_refusals_speak_english_too(app) -> None:
    from app.documents.uploads import check_file

    with app.test_request_context(), force_locale("en"):
        with pytest.raises(UploadRefused) as error:
            check_file(file(HTML, "x.pdf"), 1000)
        assert str(error.value) == "The file must be a PDF, PNG or JPEG file."


def test_a_path_in_the_name_is_kept_only_as_a_clean_name(app, save, folder: Path,
                                                         tmp_path: Path) -> None:
    upload = save(file(PDF, "../../../../tmp/../etc/passwd.pdf"))
    assert upload.original_name == "passwd.pdf"
    assert [p.name for p in folder.iterdir()] == [upload.stored_name]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uploads"]


@pytest.mark.parametrize(("name", "clean"), [
    ("intyg.pdf", "intyg.pdf"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("C:\\Users\\kim\\Mina dokument\\Intyg  CE\tmärkning.pdf", "Intyg CE märkning.pdf"),
    ("..", "fil"),
    ("...pdf", "pdf"),
    ("", "fil"),
    ("faktura\u202egnp.exe", "fakturagnp.exe"),
    ("rad\r\nbrytning\x00.pdf", "rad brytning.pdf"),
    ("Örnsköldsvik – Å.pdf", "Örnsköldsvik – Å.pdf"),
    ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
])
def test_clean_filename(name: str, clean: str) -> None:
    assert clean_filename(name) == clean


def test_a_png_named_pdf_is_stored_and_downloaded_as_png(app, save) -> None:
    upload = save(file(image("PNG"), "intyg.pdf", "application/pdf"))
    assert upload.content_type == "image/png" and upload.original_name == "intyg.pdf"
    response = served(app, upload)
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "inline; filename=intyg.png"


def test_non_ascii_names_are_sent_with_rfc_5987(app, save) -> None:
    response = served(app, save(file(PDF, "Åtgärdsplan för Älvsbyn.pdf")))
    assert "filename*=UTF-8''%C3%85tg%C3%A4rdsplan" in response.headers["Content-Disposition"]


def test_any_other_type_is_sent_as_an_attachment(app, save) -> None:
    upload = save(file(PDF, "lista.pdf"))
    upload.content_type = "text/csv"
    response = served(app, upload)
    assert response.headers["Content-Disposition"] == "attachment; filename=lista.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_repeated_fetch_is_answered_not_modified(app, save) -> None:
    upload = save(file(PDF, "intyg.pdf"))
    response = served(app, upload, headers={"If-None-Match": f'"{upload.sha256}"'})
    assert response.status_code == 304


def test_a_missing_file_is_not_found_and_a_foreign_stored_name_refused(app, save) -> None:
    upload = save(file(PDF, "intyg.pdf"))
    upload_path(upload).unlink()
    with pytest.raises(NotFound):
        served(app, upload)
    upload.stored_name = "../../secret_key"
    with pytest.raises(ValueError, match="invalid stored name"):
        served(app, upload)


class CertificateForm(FlaskForm):
    certificate = UploadField("Intyg")


def test_the_upload_field_shows_the_refusal_next_to_the_field(app) -> None:
    with app.test_request_context(method="POST", content_type="multipart/form-data",
                                  data={"certificate": (io.BytesIO(SVG), "intyg.pdf")}):
        form = CertificateForm(meta={"csrf": False})
        assert not form.validate()
        assert form.certificate.errors == ["Filen måste vara en PDF-, PNG- eller JPEG-fil."]
        assert f'accept="{ACCEPT}"' in str(form.certificate())


def test_the_upload_field_accepts_a_pdf_and_leaves_it_readable(app) -> None:
    with app.test_request_context(method="POST", content_type="multipart/form-data",
                                  data={"certificate": (io.BytesIO(PDF), "intyg.pdf")}):
        form = CertificateForm(meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.certificate.data.read() == PDF
