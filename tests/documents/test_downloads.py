"""Download names and the spreadsheet download."""
from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from app.documents.downloads import download_name, send_spreadsheet
from app.documents.spreadsheets import Sheet


@pytest.mark.parametrize(("parts", "name"), [
    (("lagesbild", "Sundsvall", "v48-2026"), "lagesbild-Sundsvall-v48-2026"),
    (("lagesbild", "Västernorrlands län", "v48-2026"), "lagesbild-Vasternorrlands-lan-v48-2026"),
    (("lagesbild", "Örnsköldsvik", "2026-11-24", "rev2"),
     "lagesbild-Ornskoldsvik-2026-11-24-rev2"),
    (("Beslut om omfördelning", None, ""), "Beslut-om-omfordelning"),
    (("Malå", "Åre", "Håbo"), "Mala-Are-Habo"),
    (("Rättvik – Vansbro", "Straße", "Ærø"), "Rattvik-Vansbro-Strasse-Aero"),
    (("../../etc/passwd",), "etcpasswd"),
    (('a"b;c\r\nd<e>f/g\\h',), "abc-defgh"),
    (("  ..hidden  ",), "hidden"),
    (("日本語",), "dokument"),
    ((), "dokument"),
    (("x" * 200,), "x" * 120),
])
def test_download_name(parts: tuple[object, ...], name: str) -> None:
    assert download_name(*parts) == name


def test_spreadsheets_download_as_xlsx_or_csv_and_nothing_else(app) -> None:
    sheet = Sheet("Lager", ["Kommun", "Lager"], [["Timrå", 12]])
    with app.test_request_context():
        csv = send_spreadsheet([sheet], "csv", "lagesbild-Timra")
        xlsx = send_spreadsheet([sheet], "xlsx", "lagesbild-Timra")
        with pytest.raises(NotFound):
            send_spreadsheet([sheet], "pdf", "lagesbild-Timra")
    csv.direct_passthrough = False
    assert csv.get_data().decode("utf-8-sig") == "Kommun;Lager\r\nTimrå;12\r\n"
    assert csv.headers["Content-Disposition"] == "attachment; filename=lagesbild-Timra.csv"
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
