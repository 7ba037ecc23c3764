"""Certificates and datasheets go through the shared upload module: checked by content,
attached only by the offer's own buyers, served only to those who may see the offer."""
from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa

from app.documents.models import Upload
from app.extensions import db
from tests.helpers import page_csrf
from tests.procurement.conftest import login_as, make_offer, make_supplier

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


def _attach(client, offer_id: int, data: bytes, name: str):  # noqa: ANN001, ANN202
    url = f"/inkop/erbjudanden/{offer_id}"
    return client.post(f"{url}/bilagor", data={
        "csrf_token": page_csrf(client, url), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_a_certificate_is_attached_and_served_to_the_county(client, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    login_as(client, people["timra"])
    assert _attach(client, offer.id, PDF, "CE-intyg.pdf").status_code == 302
    upload = db.session.scalars(sa.select(Upload)).one()
    assert (upload.source_type, upload.source_id, upload.content_type) == (
        "procurement_offer", str(offer.id), "application/pdf")
    url = f"/inkop/erbjudanden/{offer.id}/bilagor/{upload.id}"
    assert "CE-intyg.pdf" in client.get(f"/inkop/erbjudanden/{offer.id}").get_data(as_text=True)
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login_as(client, people["kramfors"])  # another buyer of the county: may read
    served = client.get(url)
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    assert _attach(client, offer.id, PDF, "mitt.pdf").status_code == 403  # not its offer
    client.post("/logga-ut", data={"csrf_token": page_csrf(client, "/")})
    login_as(client, people["orebro"])
    assert client.get(url).status_code == 403


def test_refused_types_are_not_stored_and_say_why(client, people) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    login_as(client, people["timra"])
    for data, name in [(HTML, "intyg.pdf"), (b"", "tom.pdf"), (b"GIF89a", "bild.gif")]:
        response = _attach(client, offer.id, data, name)
        assert response.status_code == 422, name
        html = response.get_data(as_text=True)
        assert "Filen måste vara en PDF-, PNG- eller JPEG-fil." in html or "Filen är tom." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


def test_an_upload_of_another_offer_is_not_served_under_this_one(client, people) -> None:
    supplier = make_supplier(people["timra"])
    first, second = (make_offer(people["timra"], supplier) for _ in range(2))
    login_as(client, people["timra"])
    _attach(client, first.id, PDF, "intyg.pdf")
    upload = db.session.scalars(sa.select(Upload)).one()
    assert client.get(f"/inkop/erbjudanden/{second.id}/bilagor/{upload.id}").status_code == 404


def test_an_attachment_whose_request_fails_leaves_no_file(app, client, people, monkeypatch,
                                                          tmp_path: Path) -> None:
    offer = make_offer(people["timra"], make_supplier(people["timra"]))
    login_as(client, people["timra"])

    def failing_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr("app.documents.uploads.audit.record", failing_audit)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    assert _attach(client, offer.id, PDF, "CE-intyg.pdf").status_code == 500
    assert list(tmp_path.iterdir()) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0
