"""Refuse a hostile or broken .xlsx before openpyxl parses any of it.

Everything here reads bytes and the zip directory only, in bounded chunks:

    signature   empty, OLE (password-protected or legacy .xls), not a zip, too large
    directory   a zip that is not an .xlsx, encrypted zip entries, too much unpacked data
    parts       DOCTYPE / ENTITY declarations ('billion laughs'), too many rows in a
                worksheet, too many shared strings

The row count matters for speed as much as for memory: openpyxl parses XML through
defusedxml's pure-Python parser (slow on long sheets), and reads a whole
sheet just to size it when the sheet does not declare its dimension.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from planner.core.errors import WorkbookError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and legacy .xls
ZIP_SIGNATURE = b"PK"
CHUNK_BYTES = 1 << 20
ENTITY_MARKERS: tuple[bytes, ...] = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
ZIP_FAILURES = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError,
                NotImplementedError, ValueError)


@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows a sheet (the header is not counted)
    max_bytes: int  # the file, and all its parts unpacked
    max_parts: int = 10_000
    max_shared_strings: int = 2_000_000


def check_xlsx(stream: IO[bytes], path: Path, limits: Limits) -> None:
    """Raise WorkbookError unless `stream` is an .xlsx that is safe to hand to openpyxl."""
    name = path.name
    _check_signature(stream, path, limits)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            _check_directory(archive, name, limits)
            _check_parts(archive, name, limits)
    except ZIP_FAILURES as error:
        raise damaged(name) from error


def damaged(name: str) -> WorkbookError:
    return WorkbookError(f"{name} is damaged or truncated: its zip structure cannot be read; "
                         "open it in Excel and save it again")


def entities_refused(name: str, where: str) -> WorkbookError:
    return WorkbookError(f"{name} declares XML entities ({where}) and was refused: Excel never "
                         "writes them, and they can hide attacks such as 'billion laughs'")


def too_many_rows(source: str, sheet: str, max_rows: int) -> WorkbookError:
    return WorkbookError(f"{source}: sheet {sheet} has more than {max_rows:,} data rows; the "
                         f"limit is {max_rows:,} rows a sheet")


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _check_signature(stream: IO[bytes], path: Path, limits: Limits) -> None:
    name, size = path.name, stream.seek(0, io.SEEK_END)  # a file's or bytes' size
    stream.seek(0)
    head = stream.read(len(OLE_SIGNATURE))
    if size == 0:
        raise WorkbookError(f"{name} is empty (0 bytes); expected an .xlsx workbook")
    if head == OLE_SIGNATURE:
        raise WorkbookError(f"{name} is a password-protected or legacy .xls workbook; "
                            "save it as an unprotected .xlsx")
    if not head.startswith(ZIP_SIGNATURE):
        hint = (" (for CSV files, give the folder that holds Services.csv, Roles.csv and "
                "PSWs.csv)" if path.suffix.lower() == ".csv" else "")
        raise WorkbookError(f"{name} is not an .xlsx workbook (it is not a zip archive, as "
                            f"every .xlsx is){hint}")
    if size > limits.max_bytes:
        raise WorkbookError(f"{name} is larger than {megabytes(limits.max_bytes)}; refused "
                            "as too large")


def _check_directory(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Judge the parts from the zip directory, before anything is unpacked."""
    parts = archive.infolist()
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookError(f"{name} is a zip archive but not an .xlsx workbook")
    if any(part.flag_bits & 0x1 for part in parts):
        raise WorkbookError(f"{name} is an encrypted zip; save it as an unprotected .xlsx")
    # zipfile stops each part at its declared size, so this bounds what is unpacked
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > limits.max_parts or unpacked > limits.max_bytes:
        raise WorkbookError(f"{name} unpacks to more than {megabytes(limits.max_bytes)} (or "
                            f"{limits.max_parts:,} parts); refused as too large")


def _check_parts(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Scan every part for entity declarations; count rows and shared strings."""
    rows: dict[str, int] = {}
    for part in archive.infolist():
        if part.is_dir():
            continue
        counted = _counted_tag(part.filename)
        with archive.open(part) as stream:
            declares, count = _scan(stream, counted)
        if declares:
            raise entities_refused(name, part.filename)
        if counted is SHARED_STRING_TAG and count > limits.max_shared_strings:
            raise WorkbookError(f"{name} holds more than {limits.max_shared_strings:,} "
                                "distinct texts; refused as too large")
        if counted is ROW_TAG:
            rows[part.filename] = count
    # only now is workbook.xml known to be safe to parse for the sheets' names
    for part_name, count in rows.items():
        if count > limits.max_rows + 1:  # + the header row
            sheet = _sheet_names_by_part(archive).get(part_name, part_name)
            raise too_many_rows(name, sheet, limits.max_rows)


def _counted_tag(part_name: str) -> re.Pattern[bytes] | None:
    if part_name.startswith("xl/worksheets/") and part_name.endswith(".xml"):
        return ROW_TAG
    if part_name == "xl/sharedStrings.xml":
        return SHARED_STRING_TAG
    return None


def _scan(stream: IO[bytes], counted: re.Pattern[bytes] | None) -> tuple[bool, int]:
    """(declares entities, occurrences of `counted`) in one pass over the part."""
    tail, count = b"", 0
    while chunk := stream.read(CHUNK_BYTES):
        window = tail + chunk
        if any(marker in window for marker in ENTITY_MARKERS):
            return True, count
        if counted is not None:  # a match ending inside `tail` was counted last time
            count += sum(1 for match in counted.finditer(window) if match.end() > len(tail))
        tail = window[-32:]  # a marker or tag may straddle two chunks
    return False, count


def _sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from xl/workbook.xml and its relationships."""
    try:
        book = fromstring(archive.read("xl/workbook.xml"))
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ParseError, DefusedXmlException):
        return {}
    targets = {rel.get("Id"): _part_path(rel.get("Target", "")) for rel in relations}
    names = {}
    for sheet in _by_local_name(book, "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if rel_id in targets:
            names[targets[rel_id]] = sheet.get("name", "")
    return names


def _by_local_name(root: Element, name: str) -> Iterator[Element]:
    return (e for e in root.iter() if e.tag == name or e.tag.endswith("}" + name))


def _part_path(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"

