"""Files that are not a usable workbook end in one clear WorkbookError line, fast, with
bounded memory, and without any XML entity ever being expanded."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from planner.core.errors import WorkbookError
from planner.workbook import guard as xlsx_guard
from planner.workbook import read as workbook
from planner.workbook.read import MAX_ROWS, read_org, validate
from tests.helpers.workbooks import BASE_SHEETS, write_csv_folder, write_org

PSWS_PART = "xl/worksheets/sheet3.xml"  # the third sheet that write_org writes
SHEET_XMLNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refused(path: Path) -> str:
    """The WorkbookError message for `path`, checked to be a single line."""
    with pytest.raises(WorkbookError) as raised:
        validate(path)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def with_part(source: Path, target: Path, part: str,
              content: Callable[[], Iterator[bytes]]) -> Path:
    """A copy of the .xlsx `source` whose `part` is replaced by the streamed `content`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info, old.read(info))
        with new.open(part, "w", force_zip64=True) as stream:
            for chunk in content():
                stream.write(chunk)
    return target


# --- not a workbook ---------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.xlsx"
    assert refused(path) == f"{path}: no such file or folder"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    path.write_bytes(b"")
    assert refused(path) == "org.xlsx is empty (0 bytes); expected an .xlsx workbook"


@pytest.mark.parametrize("content", [b"service_id,name\nS1,Ward\n",
                                     b"\x89PNG\r\n\x1a\n" + bytes(200)],
                         ids=["text", "png"])
def test_other_file_renamed_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "org.xlsx"
    path.write_bytes(content)
    assert refused(path) == ("org.xlsx is not an .xlsx workbook (it is not a zip archive, as "
                             "every .xlsx is)")


def test_single_csv_file_points_at_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "PSWs.csv"
    path.write_text("psw_id\nP1\n")
    assert refused(path).endswith("(for CSV files, give the folder that holds Services.csv, "
                                  "Roles.csv and PSWs.csv)")


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = write_org(tmp_path).read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert refused(path) == ("half.xlsx is damaged or truncated: its zip structure cannot be "
                             "read; open it in Excel and save it again")


def test_zip_that_is_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(path) == "org.xlsx is a zip archive but not an .xlsx workbook"


def test_word_document_is_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "org.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refused(path) == "org.xlsx is a zip archive but not an .xlsx workbook"


def test_malformed_sheet_xml(tmp_path: Path) -> None:
    path = with_part(write_org(tmp_path), tmp_path / "bad.xlsx", PSWS_PART,
                     lambda: iter([b"<worksheet><sheetData><row>"]))
    assert refused(path).startswith("bad.xlsx could not be read as an .xlsx workbook: ")


# --- password-protected and legacy ------------------------------------------------------


def test_password_protected_xlsx(tmp_path: Path) -> None:
    encrypted = io.BytesIO()
    with open(write_org(tmp_path), "rb") as plain:
        msoffcrypto.OfficeFile(plain).encrypt("secret", encrypted)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(encrypted.getvalue())
    assert path.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert refused(path) == ("locked.xlsx is a password-protected or legacy .xls workbook; "
                             "save it as an unprotected .xlsx")


def test_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "org.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    assert "password-protected or legacy .xls" in refused(path)


# --- XML entities -----------------------------------------------------------------------


def billion_laughs() -> Iterator[bytes]:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    yield (f'<?xml version="1.0"?>\n<!DOCTYPE worksheet [{"".join(entities)}]>\n'
           f'<worksheet xmlns="{SHEET_XMLNS}"><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
           '</worksheet>').encode()


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_billion_laughs_is_refused_before_parsing(tmp_path: Path) -> None:
    path = with_part(write_org(tmp_path), tmp_path / "laughs.xlsx", PSWS_PART, billion_laughs)
    assert refused(path) == (f"laughs.xlsx declares XML entities ({PSWS_PART}) and was refused: "
                             "Excel never writes them, and they can hide attacks such as "
                             "'billion laughs'")


def test_billion_laughs_is_refused_by_defusedxml_too(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "_check_parts", lambda archive, name, limits: None)
    path = with_part(write_org(tmp_path), tmp_path / "laughs.xlsx", PSWS_PART, billion_laughs)
    assert refused(path).startswith("laughs.xlsx declares XML entities (refused by defusedxml)")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_entity_markers_are_found_in_any_xml_encoding(encoding: str) -> None:
    padding = "<x/>" * 300_000  # the marker straddles a 1 MB chunk boundary somewhere
    for offset in range(0, 12):
        content = (" " * offset + padding + "<!ENTITY a 'b'>").encode(encoding)
        assert xlsx_guard._scan(io.BytesIO(content), None) == (True, 0)
    assert xlsx_guard._scan(io.BytesIO(padding.encode(encoding)), None) == (False, 0)


def test_rows_are_counted_exactly_across_chunk_boundaries() -> None:
    rows = b"".join(b'<row r="%d"><c><v>1</v></c></row><x:row/>' % n for n in range(100_000))
    assert len(rows) > 3 * xlsx_guard.CHUNK_BYTES
    assert xlsx_guard._scan(io.BytesIO(rows), xlsx_guard.ROW_TAG) == (False, 200_000)
    assert xlsx_guard._scan(io.BytesIO(b"<rowBreaks/><rows/>"), xlsx_guard.ROW_TAG) == (False, 0)


# --- size limits ------------------------------------------------------------------------


def psw_rows(count: int) -> Iterator[bytes]:
    """A PSWs sheet of `count` data rows, written as XML text, not through openpyxl cells."""
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>'
                     for name in ("psw_id", "readiness", "topics", "available_fte"))
    yield (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_XMLNS}">'
           f'<sheetData><row r="1">{header}</row>').encode()
    batch = []
    for n in range(2, count + 2):
        batch.append(f'<row r="{n}"><c t="inlineStr"><is><t>P{n}</t></is></c><c><v>3</v></c>'
                     f'<c t="inlineStr"><is><t>wellness</t></is></c><c><v>1</v></c></row>')
        if len(batch) == 10_000:
            yield "".join(batch).encode()
            batch = []
    yield ("".join(batch) + "</sheetData></worksheet>").encode()


def test_300_000_rows_are_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    path = with_part(write_org(tmp_path), tmp_path / "huge.xlsx", PSWS_PART,
                     lambda: psw_rows(300_000))
    started = time.perf_counter()
    tracemalloc.start()
    try:
        message = refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert MAX_ROWS == 100_000
    assert message == ("huge.xlsx: sheet PSWs has more than 100,000 data rows; the limit is "
                       "100,000 rows a sheet")
    assert time.perf_counter() - started < 15
    assert peak < 200 * 1024 * 1024


def test_rows_up_to_the_limit_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    assert len(read_org(write_org(tmp_path)).psws) == 3
    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    assert "sheet PSWs has more than 2 data rows" in refused(tmp_path / "org.xlsx")


def test_csv_rows_are_limited_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    folder = write_csv_folder(tmp_path / "org", BASE_SHEETS)
    assert refused(folder) == ("PSWs.csv: sheet PSWs has more than 2 data rows; the limit is "
                               "2 rows a sheet")


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    def spaces() -> Iterator[bytes]:
        chunk = b" " * (1 << 20)
        for _ in range(workbook.MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
            yield chunk

    path = with_part(write_org(tmp_path), tmp_path / "bomb.xlsx", "xl/padding.xml", spaces)
    assert path.stat().st_size < 5 * 1024 * 1024
    assert refused(path) == ("bomb.xlsx unpacks to more than 200 MB (or 10,000 parts); "
                             "refused as too large")


# --- CSV folders ------------------------------------------------------------------------


def test_folder_without_sheet_files(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    assert refused(tmp_path) == f"{tmp_path.name} holds no Services.csv, Roles.csv or PSWs.csv"


def test_csv_that_is_not_utf8(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "org", BASE_SHEETS)
    (folder / "PSWs.csv").write_bytes("psw_id,name\nP1,Zoë\n".encode("utf-16"))
    assert refused(folder) == ("PSWs.csv is not UTF-8 text (byte 0); save it from Excel as "
                               "'CSV UTF-8'")


def test_binary_csv(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "org", BASE_SHEETS)
    (folder / "Roles.csv").write_bytes(b"role_id\x00\x00\n")
    assert refused(folder) == "Roles.csv is not a text file (it holds NUL bytes)"


def test_too_many_shared_strings(tmp_path: Path) -> None:
    def three_texts() -> Iterator[bytes]:
        yield b'<sst xmlns="x"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>'

    path = with_part(write_org(tmp_path), tmp_path / "texts.xlsx", "xl/sharedStrings.xml",
                     three_texts)
    limits = xlsx_guard.Limits(max_rows=100, max_bytes=10**8, max_shared_strings=2)
    with open(path, "rb") as stream, pytest.raises(WorkbookError) as raised:
        xlsx_guard.check_xlsx(stream, path, limits)
    assert str(raised.value) == ("texts.xlsx holds more than 2 distinct texts; refused as too "
                                 "large")


def test_doctype_in_any_part_is_refused(tmp_path: Path) -> None:
    def external_dtd() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://e.invalid/x"><workbook/>'

    path = with_part(write_org(tmp_path), tmp_path / "dtd.xlsx", "xl/workbook.xml",
                     external_dtd)
    assert "declares XML entities (xl/workbook.xml) and was refused" in refused(path)
