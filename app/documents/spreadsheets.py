"""Reading and writing the spreadsheets that municipalities exchange with Samordna.

Pure: the standard library and openpyxl only, no Flask, database or ``app.*`` import, so
the import and export views can hand over plain values and the rules can be tested alone.

Writing: :func:`to_xlsx` and :func:`to_csv` take :class:`Sheet` values. The CSV follows
what Swedish Excel opens with a double click: UTF-8 with BOM, ``;`` between cells, CRLF,
decimal comma. Every string cell passes :func:`safe_cell`, the guard against formula
injection (OWASP "CSV injection"), so text a user typed can never run as a formula.

Reading: :func:`read_table` turns an uploaded ``.xlsx`` or ``.csv`` into a :class:`Table`
of stripped strings with the spreadsheet row number of each row, checked against the
columns of the template. Every problem with the file is a :class:`SpreadsheetError`
whose Swedish message can be shown next to the upload field as it is.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = [
    "Cell",
    "Sheet",
    "SpreadsheetError",
    "Table",
    "read_table",
    "safe_cell",
    "to_csv",
    "to_xlsx",
]

Cell = str | int | float | Decimal | date | datetime | None

# First characters that make Excel and LibreOffice read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# Timezone-aware datetimes are shown in the users' local time; Excel has no time zones.
LOCAL_TIMEZONE = ZoneInfo("Europe/Stockholm")

MAX_SHEET_TITLE = 31
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60

# An .xlsx is zipped XML that compresses 100-fold; refuse archives that would unpack to
# more than this, whatever max_rows says (shared strings are read into memory at once).
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024

CSV_DELIMITERS = (";", ",", "\t")
CSV_BLANK = frozenset(";,\t \r\n")

MSG_WRONG_TYPE = "Filen måste vara .xlsx eller .csv."
MSG_XLSX_UNREADABLE = "Filen kunde inte läsas som Excel-fil (.xlsx)."
MSG_XLSX_TOO_LARGE = "Filen är för stor. Dela upp den eller kontrollera att rätt fil valts."
MSG_CSV_UNREADABLE = "Filen kunde inte läsas som CSV-fil."
MSG_CSV_IS_XLSX = (
    "Filen är en Excel-fil men heter .csv. Byt filändelsen till .xlsx eller spara om den som CSV."
)
MSG_EMPTY = "Filen är tom."
MSG_COLUMNS = "Kolumnerna stämmer inte med mallen."
MSG_TOO_WIDE = "Rad {row} har fler kolumner än mallen."
MSG_TOO_MANY_ROWS = (
    "Filen har fler än {max_rows} rader. Dela upp den eller kontrollera att rätt fil valts."
)


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: ``title`` names the Excel tab (made valid by :func:`to_xlsx`)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Table:
    """What :func:`read_table` found: stripped strings, every row as wide as the header.

    ``row_numbers[i]`` is the 1-based spreadsheet row of ``rows[i]`` (the header is row 1
    in a normal file), for error messages such as "Rad 7: ...".
    """

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]


class SpreadsheetError(ValueError):
    """An uploaded file cannot be used; the message is Swedish and meant for the user."""


def safe_cell(value: Cell) -> Cell:
    """Prefix ``'`` to a string that a spreadsheet program would run as a formula.

    Only strings are touched, and only by their very first character (no stripping):
    ``= + - @`` TAB and CR. Numbers, dates and ``None`` come back unchanged, so a
    negative number stays a number. :func:`read_table` removes the prefix again.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- Writing -------------------------------------------------------------------------------


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An Excel workbook with one tab per sheet, in order.

    The header row is bold and frozen; columns are as wide as their longest text (capped);
    numbers stay numbers and dates are real dates shown as yyyy-mm-dd. Tab titles are cut
    to 31 characters, ``[]:*?/\\`` become ``-`` and repeated titles get a number.

    Raises ``ValueError`` if ``sheets`` is empty, a row is wider than its header or a number
    is not finite; ``TypeError`` for a value that is not a :data:`Cell`.
    """
    if not sheets:
        raise ValueError("to_xlsx needs at least one sheet")
    # Convert and check everything before writing: a write-only workbook that fails
    # halfway leaves its temporary files and row writers open.
    prepared = []
    for sheet in sheets:
        _check_width(sheet)
        header = [_xlsx_value(name) for name in sheet.header]
        rows = [[_xlsx_value(value) for value in row] for row in sheet.rows]
        prepared.append((header, rows, _column_widths(header, rows)))
    titles = _unique_titles([sheet.title for sheet in sheets])

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, (header, rows, widths) in zip(titles, prepared, strict=True):
        worksheet = workbook.create_sheet(title)
        # Write-only sheets need their columns and panes before the first row.
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(worksheet, name)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV for Swedish Excel: UTF-8 with BOM, ``;``, CRLF, decimal comma.

    Integers are written plain, floats and Decimals with a decimal comma and never in
    exponent form (``12.5`` -> ``12,5``), dates as ISO ``2026-11-24`` and datetimes as
    ``2026-11-24 13:05:00`` (aware ones in Swedish local time). The title is not written.

    Raises ``ValueError`` if a row is wider than the header or a number is not finite;
    ``TypeError`` for a value that is not a :data:`Cell`.
    """
    _check_width(sheet)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(name) for name in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _check_width(sheet: Sheet) -> None:
    """A row wider than its header would export a file that cannot be imported again."""
    for index, row in enumerate(sheet.rows):
        if len(row) > len(sheet.header):
            raise ValueError(
                f"row {index} of sheet {sheet.title!r} has {len(row)} cells "
                f"but the header has {len(sheet.header)}"
            )


def _unique_titles(titles: Iterable[str]) -> list[str]:
    """Valid Excel tab names: sanitised, at most 31 characters, unique ignoring case."""
    result: list[str] = []
    taken: set[str] = set()
    for position, title in enumerate(titles, start=1):
        base = re.sub(r"[\[\]:*?/\\]", "-", ILLEGAL_CHARACTERS_RE.sub("", title))
        # Excel also refuses an apostrophe at either end of a tab name.
        base = base.strip().strip("'").strip() or f"Blad{position}"
        candidate = base[:MAX_SHEET_TITLE]
        number = 2
        while candidate.casefold() in taken:
            suffix = f" ({number})"
            candidate = base[: MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _column_widths(header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> list[float]:
    """Width per column in Excel's character units, from the longest line of each column."""
    widths = [len(_display_text(name)) for name in header]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_display_text(value)))
    return [min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH) for width in widths]


def _display_text(value: Cell) -> str:
    """Roughly what Excel shows, to size the column (longest line of a multi-line text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return max(value.splitlines() or [""], key=len)
    if isinstance(value, datetime):
        return "2026-01-01 00:00:00"
    if isinstance(value, date):
        return "2026-01-01"
    return str(value)


def _xlsx_value(value: Cell) -> Cell:
    """The value as openpyxl should store it: strings guarded (never a formula), floats."""
    if value is None:
        return None
    if isinstance(value, str):
        # openpyxl refuses control characters; removing them first keeps the guard last,
        # so "\x01=cmd" cannot turn into an unguarded "=cmd".
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, bool):
        raise TypeError("bool is not a spreadsheet Cell; write 'Ja'/'Nej' or 1/0")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        _check_finite(value)
        # Excel keeps every number as a double anyway.
        return float(value)
    if isinstance(value, datetime):
        return _naive_local(value)
    if isinstance(value, date):
        return value
    raise TypeError(f"{type(value).__name__} is not a spreadsheet Cell")


def _xlsx_cell(worksheet, value: Cell) -> WriteOnlyCell | Cell:
    """A converted value, wrapped in a cell where it needs a date format."""
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    return value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return str(safe_cell(value))
    if isinstance(value, bool):
        raise TypeError("bool is not a spreadsheet Cell; write 'Ja'/'Nej' or 1/0")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        _check_finite(value)
        # repr is the shortest text that reads back as the same float; 'f' avoids 1e-05.
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, Decimal):
        _check_finite(value)
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime):
        return _naive_local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a spreadsheet Cell")


def _check_finite(value: float | Decimal) -> None:
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} to a spreadsheet")


def _naive_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(LOCAL_TIMEZONE).replace(tzinfo=None)


# --- Reading -------------------------------------------------------------------------------


def read_table(
    filename: str, data: bytes, *, expected_header: Sequence[str], max_rows: int = 5000
) -> Table:
    """Read the first sheet of an uploaded ``.xlsx`` or a ``.csv`` and check its columns.

    The type comes from the file name's extension. The first non-empty row is the header;
    it must equal ``expected_header`` after stripping and ignoring case, in the same order.
    Empty rows are skipped but keep their row number; shorter rows are padded with ``''``.
    Every cell is a stripped string; an apostrophe that :func:`safe_cell` put before a
    formula character is removed again. Numbers in an .xlsx read as ``"12"`` / ``"12.5"``,
    dates as ``"2026-11-24"``; a CSV gives its text as written (so ``"12,5"`` stays).

    CSV is UTF-8 with or without BOM (or UTF-16 with BOM), else Windows-1252; the delimiter
    is ``;``, ``,`` or TAB, whichever makes the header fit (otherwise the most frequent one
    in the header, ``;`` on a tie). An Excel ``sep=`` first line is honoured.

    Raises :class:`SpreadsheetError` for a wrong file type, a damaged or empty file, wrong
    columns, a row wider than the header, or more than ``max_rows`` data rows (reading
    stops there, so a huge file is never loaded whole).
    """
    suffix = PurePath(filename or "").suffix.casefold()
    if suffix not in (".xlsx", ".csv"):
        raise SpreadsheetError(MSG_WRONG_TYPE)
    if not data:
        raise SpreadsheetError(MSG_EMPTY)
    if suffix == ".xlsx":
        return _read_xlsx(data, expected_header, max_rows)
    return _read_csv(data, expected_header, max_rows)


def _read_xlsx(data: bytes, expected_header: Sequence[str], max_rows: int) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile never unpacks a member beyond its declared size, so this bounds memory.
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(MSG_XLSX_UNREADABLE) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(MSG_XLSX_TOO_LARGE)

    # openpyxl warns about features it drops (data validation, unknown extensions) in
    # ordinary files from Excel; they are no concern for reading values, and under
    # ``filterwarnings = error`` they would turn a good file into an unreadable one.
    # catch_warnings is process-global; the worst a concurrent thread sees is a lost warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise SpreadsheetError(MSG_XLSX_UNREADABLE) from exc
        try:
            if not workbook.worksheets:
                raise SpreadsheetError(MSG_EMPTY)
            worksheet = workbook.worksheets[0]
            # The stored dimensions are often wrong (too small cuts rows off, too large pads
            # every row); without them rows are read as they are in the file.
            worksheet.reset_dimensions()
            records = (
                [_xlsx_text(value) for value in row]
                for row in worksheet.iter_rows(min_row=1, min_col=1, values_only=True)
            )
            return _build_table(records, expected_header, max_rows)
        except SpreadsheetError:
            raise
        except Exception as exc:  # damaged sheet XML shows up only while iterating
            raise SpreadsheetError(MSG_XLSX_UNREADABLE) from exc
        finally:
            workbook.close()


def _xlsx_text(value: object) -> str:
    """A cell value as the text a user would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel shows at most 15 significant digits, so 0.1 + 0.2 reads as "0.3" there too.
        number = Decimal(format(value, ".15g"))
        if number == number.to_integral_value():
            return str(int(number))
        return format(number, "f")
    if isinstance(value, datetime):
        # Excel stores dates as datetimes; midnight means the cell holds a date.
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)  # durations, error values such as "#DIV/0!"


def _read_csv(data: bytes, expected_header: Sequence[str], max_rows: int) -> Table:
    if data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(MSG_CSV_IS_XLSX)
    text = _decode_csv(data)
    delimiter, text = _excel_sep_line(text)
    if delimiter is None:
        delimiter = _sniff_delimiter(text, expected_header)
    # The reader is lazy: _build_table stops it as soon as max_rows is exceeded.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _build_table(reader, expected_header, max_rows)
    except csv.Error as exc:  # e.g. a field longer than csv.field_size_limit()
        raise SpreadsheetError(MSG_CSV_UNREADABLE) from exc


def _decode_csv(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(MSG_CSV_UNREADABLE) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252; the five bytes it
        # leaves undefined cannot be in a real export, so replacing them loses nothing.
        return data.decode("cp1252", errors="replace")


def _excel_sep_line(text: str) -> tuple[str | None, str]:
    """Honour Excel's ``sep=;`` hint line, which Excel itself does not show as a row."""
    match = re.match(r"sep=([;,\t])[ ]*(\r\n|\n|\r)", text)
    if match is None:
        return None, text
    return match.group(1), text[match.end() :]


def _sniff_delimiter(text: str, expected_header: Sequence[str]) -> str:
    """The delimiter that makes the header fit the template, else the most used one."""
    wanted = [_fold(name) for name in expected_header]
    counts: dict[str, int] = {}
    for delimiter in CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            # Lines of nothing but delimiters (";;") are empty rows, whatever the delimiter.
            first = next((row for row in reader if _has_text(row)), None)
        except csv.Error:
            continue
        if first is None:
            continue
        cells = _clean_row(first)
        if [_fold(name) for name in cells] == wanted:
            return delimiter
        counts[delimiter] = len(cells)
    # max() keeps the first of equal counts, and ';' comes first.
    return max(counts, key=lambda d: counts[d]) if counts else CSV_DELIMITERS[0]


def _has_text(row: Sequence[str]) -> bool:
    return any(char not in CSV_BLANK for cell in row for char in cell)


def _build_table(
    records: Iterable[Sequence[str]], expected_header: Sequence[str], max_rows: int
) -> Table:
    header: list[str] | None = None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    for number, record in enumerate(records, start=1):
        cells = _clean_row(record)
        if not cells:
            continue
        if header is None:
            _check_header(cells, expected_header)
            header = cells
            continue
        if len(cells) > len(header):
            raise SpreadsheetError(MSG_TOO_WIDE.format(row=number))
        if len(rows) == max_rows:
            raise SpreadsheetError(MSG_TOO_MANY_ROWS.format(max_rows=max_rows))
        rows.append(cells + [""] * (len(header) - len(cells)))
        row_numbers.append(number)
    if header is None:
        raise SpreadsheetError(MSG_EMPTY)
    return Table(header=header, rows=rows, row_numbers=row_numbers)


def _clean_row(record: Iterable[str]) -> list[str]:
    """Stripped, un-guarded cells without the empty ones at the end ([] if all empty)."""
    cells = [_unguard(cell.strip()) for cell in record]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _unguard(text: str) -> str:
    """Undo :func:`safe_cell` so that export -> import gives the text back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:].strip()
    return text


def _fold(name: str) -> str:
    return name.strip().casefold()


def _check_header(found: Sequence[str], expected: Sequence[str]) -> None:
    if [_fold(name) for name in found] == [_fold(name) for name in expected]:
        return
    found_count = Counter(_fold(name) for name in found)
    expected_count = Counter(_fold(name) for name in expected)
    missing = _names_beyond(expected, found_count)
    unknown = _names_beyond(found, expected_count)
    parts = [MSG_COLUMNS]
    if missing:
        parts.append(f"Saknas: {_name_list(missing)}.")
    if unknown:
        parts.append(f"Okända: {_name_list(unknown)}.")
    if not missing and not unknown:
        parts.append(f"Ordningen ska vara: {_name_list(list(expected))}.")
    raise SpreadsheetError(" ".join(parts))


def _names_beyond(names: Sequence[str], other: Counter[str]) -> list[str]:
    """The names (as spelled here) that ``other`` does not have as many times."""
    left = Counter(other)
    beyond = []
    for name in names:
        key = _fold(name)
        if left[key] > 0:
            left[key] -= 1
        else:
            beyond.append(name.strip())
    return beyond


def _name_list(names: Sequence[str], limit: int = 10, width: int = 40) -> str:
    """Names for a message, short enough to read even when the wrong file was chosen."""
    shown = [
        "(tom rubrik)" if not name else name if len(name) <= width else name[: width - 1] + "…"
        for name in names[:limit]
    ]
    if len(names) > limit:
        shown.append(f"och {len(names) - limit} till")
    return ", ".join(shown)
