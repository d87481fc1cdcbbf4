"""How the planner writes every Excel file: header style, text that stays text, and
reproducible bytes written whole.

The input template (`workbook.template`) and every report workbook (`reports`) go
through here, so they look alike and the same content always gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import DCTERMS_NS
from openpyxl.xml.functions import tostring

from planner.core.atomic import write_atomic

CellValue = str | int | float | None
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
FORMULA_PREFIXES = ("=", "+", "-", "@")  # text starting so would run as a formula in Excel
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_book_atomic(book: Workbook, path: str | Path) -> Path:
    """Save `book` to `path` whole (temporary file, then rename) and reproducibly."""
    return write_atomic(Path(path), lambda tmp: save_reproducibly(book, tmp))


def save_reproducibly(book: Workbook, target: Path) -> None:
    """Save with no timestamps (document dates, zip entry dates): same content, same bytes."""
    book.properties.creator = "peer-planner"
    buffer = io.BytesIO()
    book.save(buffer)
    core = book.properties.to_tree()
    for stamp in ("created", "modified"):  # optional in OOXML; Excel fills them on save
        element = core.find(f"{{{DCTERMS_NS}}}{stamp}")
        if element is not None:
            core.remove(element)
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            data = tostring(core) if entry.filename == "docProps/core.xml" else source.read(entry)
            copy.writestr(zipfile.ZipInfo(entry.filename, date_time=_ZIP_DATE), data,
                          compress_type=zipfile.ZIP_DEFLATED)


def write_cell(ws: Worksheet, row: int, column: int, value: CellValue) -> None:
    """Write one value; text that Excel would take for a formula stays text."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel keeps it text when someone edits the cell
