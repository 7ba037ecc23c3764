"""Sending files to the browser: readable file names and the one spreadsheet download."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from io import BytesIO

from flask import abort, send_file
from werkzeug.wrappers import Response

from app.documents.spreadsheets import Sheet, to_csv, to_xlsx

SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MAX_NAME_LENGTH = 120
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "đ": "d",
                          "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th"})


def download_name(*parts: object) -> str:
    """A readable, safe ASCII file name (without extension) from ``parts``.

    ``download_name("lagesbild", "Västernorrlands län", "v48-2026")`` gives
    ``"lagesbild-Vasternorrlands-lan-v48-2026"``: å, ä, ö and other accents lose their
    marks, spaces become hyphens, anything but letters, digits, ``-``, ``_`` and ``.``
    is dropped, and the result is at most 120 characters. Empty parts are left out;
    ``"dokument"`` when nothing is left.
    """
    text = "-".join(str(part) for part in parts if part not in (None, ""))
    ascii_text = (unicodedata.normalize("NFKD", text.translate(_LETTERS))
                  .encode("ascii", "ignore").decode("ascii"))
    name = re.sub(r"[^A-Za-z0-9._-]+", "", re.sub(r"\s+", "-", ascii_text))
    name = re.sub(r"-{2,}", "-", name)[:MAX_NAME_LENGTH].strip("-._")
    return name or "dokument"


def send_spreadsheet(sheets: Sequence[Sheet], fmt: str, name: str) -> Response:
    """The sheets as an ``.xlsx`` workbook or (the first sheet) as ``.csv``, to download.

    ``name`` is the file name without extension, usually from :func:`download_name`.
    Aborts with 404 for a format other than ``xlsx`` or ``csv`` (it comes from the URL).
    """
    if fmt not in SPREADSHEET_TYPES:
        abort(404)
    data = to_xlsx(sheets) if fmt == "xlsx" else to_csv(sheets[0])
    return send_file(BytesIO(data), mimetype=SPREADSHEET_TYPES[fmt], as_attachment=True,
                     download_name=f"{name}.{fmt}")


def send_pdf(pdf: bytes, name: str) -> Response:
    """A PDF made for this request (not a stored document), shown in the browser.

    ``name`` is the file name without extension. Stored documents go through
    :func:`app.documents.archive.send_document`, which also vouches for their bytes.
    """
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=f"{name}.pdf",
                     max_age=0)
