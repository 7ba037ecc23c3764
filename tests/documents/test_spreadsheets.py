"""Spreadsheet import and export: round trips, Swedish CSV, formula guard, upload errors."""
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest

from app.documents import spreadsheets
from app.documents.spreadsheets import (
    Sheet,
    SpreadsheetError,
    Table,
    read_table,
    safe_cell,
    to_csv,
    to_xlsx,
)

HEADER = ["Kommun", "Material", "Lager", "Förbrukning per dag"]


def _stock_sheet(title: str = "Lager") -> Sheet:
    return Sheet(
        title=title,
        header=HEADER,
        rows=[
            ["Härnösand", "Munskydd IIR", 1200, 12.5],
            ["Umeå", "Visir", 0, Decimal("3.25")],
            ["Örnsköldsvik", "Handskar, nitril", 40, None],
        ],
    )


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _xlsx_from_rows(rows: list[list]) -> bytes:
    """An .xlsx as a user's Excel would save it: cells exactly where the rows put them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(lines: list[str], *, encoding: str = "utf-8-sig") -> bytes:
    return "".join(line + "\r\n" for line in lines).encode(encoding)


# --- safe_cell ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+46 70 123 45 67", "'+46 70 123 45 67"),
        ("-abc", "'-abc"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1", " =1"),  # not stripped: a leading space is not a formula
        ("Munskydd", "Munskydd"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_safe_cell_guards_strings_that_start_a_formula(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    "value", [-5, 0, 12, -12.5, 12.5, Decimal("-1.5"), date(2026, 11, 24), None]
)
def test_safe_cell_never_alters_other_values(value):
    assert safe_cell(value) is value


# --- to_xlsx -----------------------------------------------------------------------------


def test_xlsx_header_is_bold_and_frozen_and_values_keep_their_types():
    data = to_xlsx([_stock_sheet()])

    sheet = _workbook(data)["Lager"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[2]] == ["Härnösand", "Munskydd IIR", 1200, 12.5]
    assert sheet["C2"].data_type == "n"
    assert sheet["D3"].value == 3.25
    assert sheet["D4"].value is None


def test_xlsx_dates_are_dates_shown_as_iso():
    sheet = Sheet(
        "Datum",
        ["Dag", "Tid"],
        [[date(2026, 11, 24), datetime(2026, 11, 24, 13, 5)]],
    )

    cells = _workbook(to_xlsx([sheet])).active[2]
    assert cells[0].value == datetime(2026, 11, 24)
    assert cells[0].is_date
    assert cells[0].number_format == "yyyy-mm-dd"
    assert cells[1].value == datetime(2026, 11, 24, 13, 5)
    assert cells[1].number_format == "yyyy-mm-dd hh:mm:ss"


def test_xlsx_aware_datetimes_are_written_in_swedish_local_time():
    sheet = Sheet("Tid", ["Tid"], [[datetime(2026, 11, 24, 12, 0, tzinfo=UTC)]])

    assert _workbook(to_xlsx([sheet])).active["A2"].value == datetime(2026, 11, 24, 13, 0)


def test_xlsx_column_widths_follow_content_and_are_capped():
    sheet = Sheet("Bredd", ["Kort", "Lång"], [["a", "x" * 200], ["bb", "y"]])

    dimensions = _workbook(to_xlsx([sheet])).active.column_dimensions
    assert dimensions["A"].width == spreadsheets.MIN_COLUMN_WIDTH
    assert dimensions["B"].width == spreadsheets.MAX_COLUMN_WIDTH

    wider = Sheet("Bredd", ["Kommun"], [["Örnsköldsviks kommun"]])
    assert _workbook(to_xlsx([wider])).active.column_dimensions["A"].width == 22


def test_xlsx_formula_injection_is_stored_as_text():
    sheet = Sheet(
        "Farligt",
        ["=Rubrik", "Text", "Tal"],
        [
            ["=HYPERLINK(\"http://evil\")", "+SUM(1,2)", -5],
            ["@cmd", "-2+3", -12.5],
            ["\x01=1", "\t=1", 7],
        ],
    )

    sheet_out = _workbook(to_xlsx([sheet])).active
    cells = [cell for row in sheet_out.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet_out["A1"].value == "'=Rubrik"
    assert sheet_out["A2"].value == "'=HYPERLINK(\"http://evil\")"
    assert sheet_out["B2"].value == "'+SUM(1,2)"
    assert sheet_out["A3"].value == "'@cmd"
    # Control characters Excel refuses are dropped before the guard, not after it.
    assert sheet_out["A4"].value == "'=1"
    # Negative numbers are numbers, not text with an apostrophe.
    assert (sheet_out["C2"].value, sheet_out["C2"].data_type) == (-5, "n")
    assert (sheet_out["C3"].value, sheet_out["C3"].data_type) == (-12.5, "n")


def test_xlsx_sheet_titles_are_made_valid_and_unique():
    sheets = [
        _stock_sheet("Lager: vecka 47/48 [prel]*?"),
        _stock_sheet("Förbrukning per kommun och material i Västernorrland"),
        _stock_sheet("Förbrukning per kommun och material i Jämtland"),
        _stock_sheet("'  '"),
    ]

    names = _workbook(to_xlsx(sheets)).sheetnames
    assert names == [
        "Lager- vecka 47-48 -prel---",
        "Förbrukning per kommun och mate",
        "Förbrukning per kommun och (2)",
        "Blad4",
    ]
    assert all(len(name) <= 31 for name in names)


def test_xlsx_needs_a_sheet_and_rejects_rows_wider_than_the_header():
    with pytest.raises(ValueError):
        to_xlsx([])
    with pytest.raises(ValueError, match="row 0"):
        to_xlsx([Sheet("X", ["A"], [["a", "b"]])])


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_writers_refuse_numbers_that_are_not_finite(value):
    sheet = Sheet("X", ["A"], [[value]])
    with pytest.raises(ValueError):
        to_xlsx([sheet])
    with pytest.raises(ValueError):
        to_csv(sheet)


@pytest.mark.parametrize("value", [True, object()])
def test_writers_refuse_values_that_are_not_cells(value):
    sheet = Sheet("X", ["A"], [[value]])
    with pytest.raises(TypeError):
        to_xlsx([sheet])
    with pytest.raises(TypeError):
        to_csv(sheet)


# --- to_csv ------------------------------------------------------------------------------


def test_csv_follows_swedish_excel_conventions():
    sheet = Sheet(
        "Lager",
        ["Kommun", "Heltal", "Flyttal", "Decimal", "Dag", "Tid"],
        [
            ["Härnösand", 1200, 12.5, Decimal("3.25"), date(2026, 11, 24), None],
            ["Umeå", -3, -0.00001, Decimal("1E+3"), None, datetime(2026, 11, 24, 13, 5)],
        ],
    )

    data = to_csv(sheet)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text == (
        "Kommun;Heltal;Flyttal;Decimal;Dag;Tid\r\n"
        "Härnösand;1200;12,5;3,25;2026-11-24;\r\n"
        "Umeå;-3;-0,00001;1000;;2026-11-24 13:05:00\r\n"
    )


def test_csv_quotes_cells_that_contain_the_delimiter_or_line_breaks():
    sheet = Sheet("X", ["A", "B"], [["Handskar; nitril", 'Rad 1\nRad "2"']])

    assert to_csv(sheet)[3:].decode() == 'A;B\r\n"Handskar; nitril";"Rad 1\nRad ""2"""\r\n'


def test_csv_formula_injection_is_guarded_but_numbers_are_not():
    sheet = Sheet("X", ["Text", "Tal"], [["=1+1", -5], ["@SUM(A1)", -2.5], ["-abc", 3]])

    lines = to_csv(sheet)[3:].decode().split("\r\n")
    assert lines[1] == "'=1+1;-5"
    assert lines[2] == "'@SUM(A1);-2,5"
    assert lines[3] == "'-abc;3"


# --- Round trips -------------------------------------------------------------------------

ROUND_TRIP = Sheet(
    "Lager",
    ["Kommun", "Kommentar", "Antal", "Dag"],
    [
        ["Härnösand", "=SUM(A1:A9)", 12, date(2026, 11, 24)],
        ["Umeå", "+46 70 123 45 67", -5, None],
        ["Sundsvall", "-ingen-", 0, date(2026, 1, 2)],
        ["Kramfors", "@team", None, None],
        ["Sollefteå", "Handskar; nitril, \"stora\"", 7, None],
    ],
)
ROUND_TRIP_TEXT = [
    ["Härnösand", "=SUM(A1:A9)", "12", "2026-11-24"],
    ["Umeå", "+46 70 123 45 67", "-5", ""],
    ["Sundsvall", "-ingen-", "0", "2026-01-02"],
    ["Kramfors", "@team", "", ""],
    ["Sollefteå", "Handskar; nitril, \"stora\"", "7", ""],
]


def test_xlsx_round_trip_gives_back_the_same_strings():
    table = read_table("export.xlsx", to_xlsx([ROUND_TRIP]), expected_header=ROUND_TRIP.header)

    assert table == Table(
        header=list(ROUND_TRIP.header), rows=ROUND_TRIP_TEXT, row_numbers=[2, 3, 4, 5, 6]
    )


def test_csv_round_trip_gives_back_the_same_strings():
    table = read_table("export.csv", to_csv(ROUND_TRIP), expected_header=ROUND_TRIP.header)

    assert table == Table(
        header=list(ROUND_TRIP.header), rows=ROUND_TRIP_TEXT, row_numbers=[2, 3, 4, 5, 6]
    )


def test_numbers_read_back_as_typed():
    values = [12.0, 12.5, -0.25, 1200, Decimal("3.10"), 0.1 + 0.2, 1e-05, 2.5e16]
    sheet = Sheet("Tal", ["Tal"], [[value] for value in values])

    xlsx = read_table("a.xlsx", to_xlsx([sheet]), expected_header=["Tal"])
    assert [row[0] for row in xlsx.rows] == [
        "12", "12.5", "-0.25", "1200", "3.1", "0.3", "0.00001", "25000000000000000"
    ]
    csv_ = read_table("a.csv", to_csv(sheet), expected_header=["Tal"])
    assert [row[0] for row in csv_.rows] == [
        "12,0", "12,5", "-0,25", "1200", "3,10", "0,30000000000000004", "0,00001",
        "25000000000000000",
    ]


def test_xlsx_datetimes_read_back_with_their_time():
    sheet = Sheet("Tid", ["Tid"], [[datetime(2026, 11, 24, 13, 5, 9)], [datetime(2026, 11, 24)]])

    table = read_table("a.xlsx", to_xlsx([sheet]), expected_header=["Tid"])
    assert table.rows == [["2026-11-24 13:05:09"], ["2026-11-24"]]


# --- read_table: file type and damaged files ---------------------------------------------


@pytest.mark.parametrize("filename", ["lager.xls", "lager.ods", "lager.txt", "lager", "", "xlsx"])
def test_read_refuses_other_file_types(filename):
    with pytest.raises(SpreadsheetError) as raised:
        read_table(filename, b"Kommun\r\n", expected_header=["Kommun"])
    assert str(raised.value) == "Filen måste vara .xlsx eller .csv."


def test_read_extension_is_case_insensitive():
    data = _csv(["Kommun", "Umeå"])
    assert read_table("LAGER.CSV", data, expected_header=["Kommun"]).rows == [["Umeå"]]
    xlsx = to_xlsx([Sheet("A", ["Kommun"], [["Umeå"]])])
    assert read_table("Lager.XlSx", xlsx, expected_header=["Kommun"]).rows == [["Umeå"]]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"Kommun;Lager\r\nUme\xc3\xa5;3\r\n",
        b"\x00\x01\x02 not a zip at all",
        _zip({"hello.txt": b"a zip, but not a workbook"}),
        _zip({"[Content_Types].xml": b"<Types"}),
    ],
    ids=["csv-renamed", "garbage", "zip-without-workbook", "broken-xml"],
)
def test_read_reports_a_damaged_xlsx_without_leaking_the_exception(data):
    with pytest.raises(SpreadsheetError) as raised:
        read_table("lager.xlsx", data, expected_header=["Kommun", "Lager"])
    assert str(raised.value) == "Filen kunde inte läsas som Excel-fil (.xlsx)."


def test_read_reports_a_damaged_sheet_inside_a_valid_archive():
    good = to_xlsx([Sheet("A", ["Kommun"], [["Umeå"]])])
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        files = {info.filename: source.read(info) for info in source.infolist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"][:-40]

    with pytest.raises(SpreadsheetError) as raised:
        read_table("lager.xlsx", _zip(files), expected_header=["Kommun"])
    assert str(raised.value) == "Filen kunde inte läsas som Excel-fil (.xlsx)."


def test_read_refuses_an_xlsx_that_unpacks_too_large(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_UNPACKED_BYTES", 1000)
    data = to_xlsx([Sheet("A", ["Kommun"], [["Umeå"]] * 200)])

    with pytest.raises(SpreadsheetError, match="Filen är för stor"):
        read_table("lager.xlsx", data, expected_header=["Kommun"])


def test_read_tells_when_a_csv_is_really_an_excel_file():
    data = to_xlsx([Sheet("A", ["Kommun"], [["Umeå"]])])

    with pytest.raises(SpreadsheetError, match="är en Excel-fil men heter .csv"):
        read_table("lager.csv", data, expected_header=["Kommun"])


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("tom.csv", b""),
        ("tom.xlsx", b""),
        ("bom.csv", b"\xef\xbb\xbf"),
        ("blank.csv", b";;\r\n \r\n\r\n"),
        ("tom.xlsx", _xlsx_from_rows([])),
        ("blank.xlsx", _xlsx_from_rows([[None, "  "], [], [""]])),
    ],
)
def test_read_reports_an_empty_file(filename, data):
    with pytest.raises(SpreadsheetError) as raised:
        read_table(filename, data, expected_header=["Kommun"])
    assert str(raised.value) == "Filen är tom."


def test_read_accepts_a_file_with_only_the_header():
    table = read_table("a.csv", _csv(["Kommun;Lager"]), expected_header=["Kommun", "Lager"])

    assert table == Table(header=["Kommun", "Lager"], rows=[], row_numbers=[])


# --- read_table: columns -----------------------------------------------------------------


@pytest.mark.parametrize("filename", ["lager.csv", "lager.xlsx"])
def test_read_names_missing_and_unknown_columns(filename):
    sheet = Sheet("A", ["Kommun", "Material", "Lagret"], [["Umeå", "Visir", 3]])
    data = to_csv(sheet) if filename.endswith(".csv") else to_xlsx([sheet])

    with pytest.raises(SpreadsheetError) as raised:
        read_table(filename, data, expected_header=["Kommun", "Material", "Lager"])
    assert str(raised.value) == (
        "Kolumnerna stämmer inte med mallen. Saknas: Lager. Okända: Lagret."
    )


def test_read_column_message_lists_several_and_only_what_applies():
    with pytest.raises(SpreadsheetError) as raised:
        read_table("a.csv", _csv(["Kommun"]), expected_header=["Kommun", "Material", "Lager"])
    assert str(raised.value) == "Kolumnerna stämmer inte med mallen. Saknas: Material, Lager."

    with pytest.raises(SpreadsheetError) as raised:
        read_table("a.csv", _csv(["Kommun;;Extra"]), expected_header=["Kommun"])
    assert str(raised.value) == (
        "Kolumnerna stämmer inte med mallen. Okända: (tom rubrik), Extra."
    )


def test_read_column_order_must_match_the_template():
    with pytest.raises(SpreadsheetError) as raised:
        read_table("a.csv", _csv(["Lager;Kommun"]), expected_header=["Kommun", "Lager"])
    assert str(raised.value) == (
        "Kolumnerna stämmer inte med mallen. Ordningen ska vara: Kommun, Lager."
    )


def test_read_header_ignores_case_and_surrounding_spaces():
    data = _csv(["  kommun ; LAGER ;;", "Umeå;3"])

    table = read_table("a.csv", data, expected_header=["Kommun", "Lager"])
    assert table.header == ["kommun", "LAGER"]
    assert table.rows == [["Umeå", "3"]]


# --- read_table: rows --------------------------------------------------------------------


def test_csv_empty_rows_are_skipped_but_keep_their_numbers():
    data = _csv(["Kommun;Lager", "Umeå;3", ";", "", "  ;  ", "Sundsvall", "Kramfors;7;;"])

    table = read_table("a.csv", data, expected_header=["Kommun", "Lager"])
    assert table.rows == [["Umeå", "3"], ["Sundsvall", ""], ["Kramfors", "7"]]
    assert table.row_numbers == [2, 6, 7]


def test_xlsx_empty_rows_are_skipped_but_keep_their_numbers():
    data = _xlsx_from_rows(
        [["Kommun", "Lager"], ["Umeå", 3], [], [None, "   "], ["Sundsvall"], [], [None, 12.5]]
    )

    table = read_table("a.xlsx", data, expected_header=["Kommun", "Lager"])
    assert table.rows == [["Umeå", "3"], ["Sundsvall", ""], ["", "12.5"]]
    assert table.row_numbers == [2, 5, 7]


def test_xlsx_reads_the_first_sheet_with_dates_and_stripped_text():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Kommun", "Dag"])
    workbook.active.append(["  Umeå  ", datetime(2026, 11, 24)])
    workbook.create_sheet("Andra").append(["Inte", "denna"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table("a.xlsx", buffer.getvalue(), expected_header=["Kommun", "Dag"])
    assert table.rows == [["Umeå", "2026-11-24"]]


@pytest.mark.parametrize("filename", ["lager.csv", "lager.xlsx"])
def test_read_refuses_a_row_with_more_cells_than_the_template(filename):
    rows = [["Kommun", "Lager"], ["Umeå", 3], [], ["Sundsvall", 4, "oj"]]
    if filename.endswith(".csv"):
        data = _csv([";".join(str(c) for c in row) for row in rows])
    else:
        data = _xlsx_from_rows(rows)

    with pytest.raises(SpreadsheetError) as raised:
        read_table(filename, data, expected_header=["Kommun", "Lager"])
    assert str(raised.value) == "Rad 4 har fler kolumner än mallen."


def test_read_strips_the_guard_apostrophe_only_before_formula_characters():
    data = _csv(["Text", "'=1+1", "'-5", "' +1", "'Öppen", "''=1", "'@a"])

    table = read_table("a.csv", data, expected_header=["Text"])
    assert [row[0] for row in table.rows] == ["=1+1", "-5", "' +1", "'Öppen", "''=1", "@a"]


# --- read_table: max_rows ----------------------------------------------------------------

BIG = Sheet("Stor", ["Kommun", "Lager"], [["Umeå", n] for n in range(6000)])


@pytest.mark.parametrize("filename", ["stor.csv", "stor.xlsx"])
def test_read_refuses_more_rows_than_max_rows(filename):
    data = to_csv(BIG) if filename.endswith(".csv") else to_xlsx([BIG])

    with pytest.raises(SpreadsheetError) as raised:
        read_table(filename, data, expected_header=BIG.header)
    assert str(raised.value) == (
        "Filen har fler än 5000 rader. Dela upp den eller kontrollera att rätt fil valts."
    )

    table = read_table(filename, data, expected_header=BIG.header, max_rows=6000)
    assert len(table.rows) == 6000
    assert table.row_numbers[-1] == 6001


@pytest.mark.parametrize("filename", ["a.csv", "a.xlsx"])
def test_read_stops_at_max_rows_without_reading_further(filename):
    # A row that would be an error comes after the limit: only reading on would find it.
    rows = [["Kommun"], ["Umeå"], ["Umeå"], ["Umeå"], ["Umeå", "för bred"]]
    if filename.endswith(".csv"):
        data = _csv([";".join(row) for row in rows])
    else:
        data = _xlsx_from_rows(rows)

    with pytest.raises(SpreadsheetError, match="fler än 2 rader"):
        read_table(filename, data, expected_header=["Kommun"], max_rows=2)
    with pytest.raises(SpreadsheetError, match="Rad 5 har fler kolumner"):
        read_table(filename, data, expected_header=["Kommun"], max_rows=3)


# --- read_table: CSV encodings and delimiters --------------------------------------------


def test_csv_in_windows_1252_from_swedish_excel_decodes():
    data = _csv(["Kommun;Lager", "Härnösand;12", "Örnsköldsvik;3"], encoding="cp1252")

    table = read_table("ansi.csv", data, expected_header=["Kommun", "Lager"])
    assert table.rows == [["Härnösand", "12"], ["Örnsköldsvik", "3"]]


def test_csv_utf8_without_bom_and_utf16_decode():
    expected = [["Härnösand", "12"]]
    plain = _csv(["Kommun;Lager", "Härnösand;12"], encoding="utf-8")
    assert read_table("a.csv", plain, expected_header=["Kommun", "Lager"]).rows == expected
    utf16 = _csv(["Kommun\tLager", "Härnösand\t12"], encoding="utf-16")
    assert read_table("a.csv", utf16, expected_header=["Kommun", "Lager"]).rows == expected


@pytest.mark.parametrize(
    ("lines", "rows"),
    [
        (["Kommun,Lager,Kommentar", 'Umeå,"12,5","a; b"'], [["Umeå", "12,5", "a; b"]]),
        (["Kommun\tLager\tKommentar", "Umeå\t12,5\ta; b"], [["Umeå", "12,5", "a; b"]]),
        (["Kommun;Lager;Kommentar", "Umeå;12,5;a, b"], [["Umeå", "12,5", "a, b"]]),
        (["sep=,", "Kommun,Lager,Kommentar", "Umeå,3,"], [["Umeå", "3", ""]]),
    ],
    ids=["comma", "tab", "semicolon", "excel-sep-line"],
)
def test_csv_delimiter_is_sniffed(lines, rows):
    table = read_table("a.csv", _csv(lines), expected_header=["Kommun", "Lager", "Kommentar"])

    assert table.rows == rows
    assert table.row_numbers == [2]


def test_csv_delimiter_falls_back_to_the_most_used_one_for_the_column_message():
    with pytest.raises(SpreadsheetError) as raised:
        read_table("a.csv", _csv(["Kommun,Lagret"]), expected_header=["Kommun", "Lager"])
    assert str(raised.value) == (
        "Kolumnerna stämmer inte med mallen. Saknas: Lager. Okända: Lagret."
    )


def test_csv_with_a_field_too_large_for_the_csv_module_is_refused():
    data = _csv(["Kommun", '"' + "x" * 200_000 + '"'])

    with pytest.raises(SpreadsheetError) as raised:
        read_table("a.csv", data, expected_header=["Kommun"])
    assert str(raised.value) == "Filen kunde inte läsas som CSV-fil."
