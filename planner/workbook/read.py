"""Read an organisation workbook: an .xlsx file, or a folder of CSV files named after the
sheets (Services.csv, Roles.csv, PSWs.csv, and optionally Topics.csv, Policy.csv,
Scenarios.csv).

    org = read_org("org.xlsx")        # an Org, or ValidationError listing every problem
    report = validate("org.xlsx")     # every Issue, and the Org when there is no error

A file is refused with a one-line WorkbookError, before openpyxl parses anything, when it
is not an .xlsx, is password-protected or a legacy .xls, is too large, declares XML entities
or has a sheet of more than MAX_ROWS rows (see xlsx_guard). Sheets are then streamed with
openpyxl in read-only mode, formulas giving their cached values. The input file is only
ever opened for reading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

import openpyxl
from defusedxml import DefusedXmlException

from planner.core.domain import Org
from planner.core.errors import ValidationError, WorkbookError
from planner.workbook.cells import is_blank
from planner.workbook.guard import Limits, check_xlsx, entities_refused, megabytes, too_many_rows
from planner.workbook.schema import INPUT_SHEETS
from planner.workbook.tables import RawRow, RawSheet
from planner.workbook.validation import (
    RawWorkbook,
    ValidationReport,
    check_org,
    workload_demand_fte,
)

__all__ = ["MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "ValidationReport", "read_org",
           "read_org_bytes", "read_orgs", "read_raw", "read_raw_bytes", "validate",
           "workload_demand_fte"]

MAX_ROWS = 100_000  # data rows per sheet
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # the file, all its parts unpacked, or all CSVs
CHUNK_BYTES = 1 << 20


def read_org(path: str | Path) -> Org:
    """The validated organisation in `path`.

    Raises WorkbookError when the file cannot be read at all, and ValidationError (with
    every issue, errors and warnings) when its content breaks the input contract.
    """
    return _org_of(validate(path))


def read_org_bytes(content: bytes, name: str) -> Org:
    """The validated organisation in the bytes of an .xlsx workbook named `name` (sent to
    a worker with its task, so that no path needs to reach it), with the checks and
    errors of `read_org`."""
    return _org_of(check_org(read_raw_bytes(content, name)))


def _org_of(report: ValidationReport) -> Org:
    if report.org is None:
        raise ValidationError(list(report.issues))
    return report.org


def read_orgs(paths: Sequence[str | Path]) -> dict[str, Org]:
    """Each workbook's organisation by file stem (made unique); every file's problems at
    once, each located in its file (ValidationError)."""
    orgs: dict[str, Org] = {}
    issues = []
    for path in paths:
        report = validate(path)
        name, number = Path(path).stem, 1
        while name.lower() in (n.lower() for n in orgs):
            number += 1
            name = f"{Path(path).stem} ({number})"
        if report.org is None:
            issues += [replace(i, sheet=f"{Path(path).name} {i.sheet}") for i in report.errors]
        else:
            orgs[name] = report.org
    if issues:
        raise ValidationError(issues)
    return orgs


def validate(path: str | Path) -> ValidationReport:
    """Every problem in the workbook at `path`; raises WorkbookError only if unreadable."""
    return check_org(read_raw(path))


def read_raw(path: str | Path) -> RawWorkbook:
    """The input sheets of an .xlsx file or a CSV folder, as rows of cell values."""
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path)
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file or folder")
    return _read_xlsx(path)


# --- .xlsx ---------------------------------------------------------------------------------


def read_raw_bytes(content: bytes, name: str) -> RawWorkbook:
    """The input sheets of an .xlsx workbook held in memory; `name` is its file name."""
    return _read_xlsx_stream(io.BytesIO(content), Path(name))


def _read_xlsx(path: Path) -> RawWorkbook:
    with _opened(path) as stream:
        return _read_xlsx_stream(stream, path)


def _read_xlsx_stream(stream: IO[bytes], path: Path) -> RawWorkbook:
    check_xlsx(stream, path, Limits(MAX_ROWS, MAX_UNCOMPRESSED_BYTES))
    stream.seek(0)
    digest = _sha256(stream)
    stream.seek(0)
    sheets, others = _read_xlsx_sheets(stream, path.name)
    return RawWorkbook(sheets, others, path.name, digest)


@contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, errors mapped
    except OSError as error:
        raise WorkbookError(f"{path.name} cannot be opened: {error.strerror}") from error
    with stream:
        yield stream


def _read_xlsx_sheets(stream: IO[bytes],
                      name: str) -> tuple[dict[str, RawSheet], tuple[str, ...]]:
    with _unreadable_as_workbook_error(name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Data Validation extension not supported"
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        try:
            matched, others = _match_sheet_names(book.sheetnames)
            sheets = {canonical: _collect(canonical, _worksheet_rows(book[actual]), name)
                      for canonical, actual in matched.items()}
        finally:
            book.close()
    return sheets, others


def _worksheet_rows(worksheet: object) -> Iterator[Sequence[object]]:
    if not hasattr(worksheet, "iter_rows"):  # a chart sheet
        return iter(())
    worksheet.reset_dimensions()  # type: ignore[attr-defined]  # the stored size may lie
    return worksheet.iter_rows(values_only=True)  # type: ignore[no-any-return]


@contextmanager
def _unreadable_as_workbook_error(name: str) -> Iterator[None]:
    try:
        yield
    except WorkbookError:
        raise
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        if _caused_by(error, DefusedXmlException):
            raise entities_refused(name, "refused by defusedxml") from error
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise WorkbookError(f"{name} could not be read as an .xlsx workbook: {detail}") from error


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """openpyxl re-raises parse errors as TypeError; look down the chain."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# --- shared by both formats ----------------------------------------------------------------


def _match_sheet_names(names: Sequence[str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Input sheet name -> name in the file (exact, else ignoring case and spaces)."""
    loose = {}
    for actual in reversed(names):
        loose[actual.strip().lower()] = actual
    matched = {}
    for sheet in INPUT_SHEETS:
        actual = sheet.name if sheet.name in names else loose.get(sheet.name.lower())
        if actual is not None:
            matched[sheet.name] = actual
    others = tuple(n for n in names if n not in matched.values())
    return matched, others


def _collect(sheet: str, rows: Iterable[Sequence[object]], source: str) -> RawSheet:
    """Header and non-blank rows of one sheet, refused as soon as MAX_ROWS is passed."""
    rows = iter(rows)
    header = tuple(next(rows, ()))
    kept: list[RawRow] = []
    for number, values in enumerate(rows, start=2):
        if all(is_blank(value) for value in values):
            continue
        if len(kept) == MAX_ROWS:
            raise too_many_rows(source, sheet, MAX_ROWS)
        kept.append(RawRow(number, tuple(values)))
    return RawSheet(sheet, header, tuple(kept))


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


# --- a folder of CSV files -----------------------------------------------------------------


def _read_csv_folder(folder: Path) -> RawWorkbook:
    files = _csv_files(folder)
    matched, others = _match_sheet_names(list(files))
    if not matched:
        raise WorkbookError(f"{folder.name} holds no Services.csv, Roles.csv or PSWs.csv")
    paths = {canonical: files[stem] for canonical, stem in matched.items()}
    if sum(p.stat().st_size for p in paths.values()) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(f"the CSV files in {folder.name} are larger than "
                            f"{megabytes(MAX_UNCOMPRESSED_BYTES)}; refused as too large")
    digest = hashlib.sha256()
    sheets = {}
    for canonical, path in sorted(paths.items(), key=lambda item: item[1].name):
        content = _read_bytes(path)
        digest.update(content)
        sheets[canonical] = _csv_sheet(canonical, content, path.name)
    return RawWorkbook(sheets, others, folder.name, digest.hexdigest())


def _csv_files(folder: Path) -> dict[str, Path]:
    """The folder's CSV files by name without '.csv', in name order."""
    try:
        return {p.stem: p for p in sorted(folder.iterdir())
                if p.suffix.lower() == ".csv" and p.is_file()}
    except OSError as error:
        raise WorkbookError(f"{folder.name} cannot be listed: {error.strerror}") from error


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise WorkbookError(f"{path.name} cannot be opened: {error.strerror}") from error


def _csv_sheet(sheet: str, content: bytes, file_name: str) -> RawSheet:
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as error:
        raise WorkbookError(f"{file_name} is not UTF-8 text (byte {error.start:,}); save it "
                            "from Excel as 'CSV UTF-8'") from error
    if "\x00" in text:
        raise WorkbookError(f"{file_name} is not a text file (it holds NUL bytes)")
    end_of_header = text.find("\n")
    first_line = text if end_of_header < 0 else text[:end_of_header]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ';' in some locales
    try:
        return _collect(sheet, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                        file_name)
    except csv.Error as error:
        raise WorkbookError(f"{file_name} is not a readable CSV file: {error}") from error
