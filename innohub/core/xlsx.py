"""Reading the first sheet of an XLSX file without trusting the file.

An XLSX file is a ZIP archive of XML parts; a few megabytes can expand to gigabytes. So the
archive's sizes are checked before anything is parsed (`check_archive`), and the sheet is
then streamed row by row in memory that does not grow with the sheet (`first_sheet_records`).

openpyxl's read-only mode is not enough on its own (docs/decisions/0012): a sheet without a
`<dimension>` is parsed to its end before its first row, every row read stays attached to
the parsed tree, and every shared string is loaded into one list. Here openpyxl still reads
the small parts (manifest, workbook, styles) and its `WorkSheetParser` still turns each row
into typed cells (numbers, dates by the workbook's styles, booleans, strings), but the XML is
pulled here, each row is dropped once read, and the shared strings wait in a temporary file.

The bounds, and the memory they leave (docs/operator-guide.md, "Memory limits"):
- the archive's directory at most `DIRECTORY_MAX`; all its parts together at most
  `settings.IMPORT_MAX_XLSX_EXPANDED_BYTES` expanded; no part over `RATIO_FROM` compressed
  more than `RATIO_MAX` times (sheets compress 5 to 20 times, ZIP bombs 100 to 1,000 times);
- a part read whole (manifest, workbook, its relationships, styles) at most `WHOLE_PART_MAX`;
- the shared strings at most `SHARED_STRINGS_MAX`: 4 bytes of memory a string;
- a sheet's rows read one at a time, each of at most `HELD_MAX` XML elements; rows and
  columns no further than a spreadsheet's own limits (`ROW_MAX`, `COLUMN_MAX`);
- no part read past the size its archive declares for it.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from contextlib import ExitStack
from functools import lru_cache
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .imports import FileProblem

DIRECTORY_MAX = 1 << 20  # a workbook has tens of parts: ~100 bytes each in the directory
RATIO_FROM = 1 << 20
RATIO_MAX = 100
WHOLE_PART_MAX = 16 << 20
SHARED_STRINGS_MAX = 256 << 20
ROW_MAX = 1_048_576  # Excel's last row
COLUMN_MAX = 16_384  # Excel's last column, XFD
HELD_MAX = 100_000  # a full row of 16,384 cells is about 50,000 elements
DEPTH_MAX = 64  # a sheet nests about 8 deep
# _EXPAT: the standard library's XML parser is safe enough here (ruff's S314 would have
# defusedxml): expat 2.4 and later bound entity expansion (the "billion laughs"), and
# ElementTree never fetches external entities. openpyxl itself parses with it.
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _SHEET_DATA, _DIMENSION, _STRING = (
    f"{_MAIN}row",
    f"{_MAIN}sheetData",
    f"{_MAIN}dimension",
    f"{_MAIN}si",
)


def unreadable_message() -> str:
    return _("The file is not a readable XLSX workbook: save it again as .xlsx.")


class _Unreadable(Exception):
    """The workbook is damaged (or built to hurt): it cannot be read on."""


# --- The archive -------------------------------------------------------------------------------


def check_archive(source: IO[bytes]) -> _Archive:
    """The file opened as a ZIP archive once its sizes are checked; FileProblem on line 1,
    saying why, when it is no archive, or would expand beyond the limits above."""
    source.seek(0)
    if _directory_size(source) > DIRECTORY_MAX:
        raise FileProblem(1, unreadable_message())
    try:
        archive = _Archive(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise FileProblem(1, unreadable_message()) from exc
    parts = archive.infolist()
    expanded = sum(part.file_size for part in parts)
    limit = settings.IMPORT_MAX_XLSX_EXPANDED_BYTES
    if expanded > limit:
        archive.close()
        message = _("The workbook expands to %(size)s when opened; at most %(limit)s are accepted.")
        raise FileProblem(
            1, message % {"size": filesizeformat(expanded), "limit": filesizeformat(limit)}
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > RATIO_MAX * max(part.compress_size, 1):
            archive.close()
            message = _(
                "The part “%(part)s” of the workbook is compressed %(ratio)d times, far more "
                "than a real workbook (at most %(limit)d times): it is refused."
            )
            ratio = part.file_size // max(part.compress_size, 1)
            raise FileProblem(
                1, message % {"part": part.filename[:100], "ratio": ratio, "limit": RATIO_MAX}
            )
    return archive


def _directory_size(source: IO[bytes]) -> int:
    """The size the archive's end record gives its directory (which `zipfile` reads whole),
    or 0 when there is no end record (then `zipfile` refuses the file)."""
    source.seek(0, os.SEEK_END)
    size = source.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the end record, and a comment of at most 64 KiB
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    source.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0
    (directory,) = struct.unpack_from("<I", tail, at + 12)
    return int(directory)


def _too_large(name: str, size: int, limit: int) -> FileProblem:
    message = _(
        "The part “%(part)s” of the workbook expands to %(size)s; at most %(limit)s are "
        "accepted for it."
    )
    return FileProblem(
        1,
        message
        % {"part": name[:100], "size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


class _Archive(zipfile.ZipFile):
    """A ZIP archive whose parts are read whole only up to `WHOLE_PART_MAX` (openpyxl reads
    the manifest, workbook and styles with `read`), and streamed no further than they
    declare."""

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.file_size > WHOLE_PART_MAX:
            raise _too_large(info.filename, info.file_size, WHOLE_PART_MAX)
        with self.stream(info) as part:
            return part.read()

    def stream(self, info: zipfile.ZipInfo) -> io.BufferedReader:
        return io.BufferedReader(_Capped(self.open(info), info.file_size), 1 << 16)


class _Capped(io.RawIOBase):
    """A part's bytes, stopped once past the size the archive declares for it."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream, self._left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        self._left -= len(data)
        if self._left < 0:
            raise _Unreadable("a part is larger than its archive declares")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


# --- The workbook --------------------------------------------------------------------------------


class _FirstSheet:
    """What reading the first sheet needs: its part, the styles' date formats, the epoch and
    the shared strings."""

    def __init__(self, archive: _Archive, *, strings: bool) -> None:
        from openpyxl.packaging.manifest import Manifest
        from openpyxl.reader.excel import _find_workbook_part
        from openpyxl.reader.workbook import WorkbookParser
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS

        self.archive = archive
        manifest = ElementTree.fromstring(archive.read(ARC_CONTENT_TYPES))  # noqa: S314 (see _EXPAT)
        package = Manifest.from_tree(manifest)
        # keep_links=False: external links carry cached copies of other workbooks
        workbook_part = _find_workbook_part(package).PartName[1:]
        parser = WorkbookParser(archive, workbook_part, keep_links=False)
        parser.parse()
        self.workbook = parser.wb
        apply_stylesheet(archive, self.workbook)
        names = set(archive.namelist())
        self.part: zipfile.ZipInfo | None = None
        for _sheet, relation in parser.find_sheets():
            if relation.target in names and "chartsheet" not in relation.Type:
                self.part = archive.getinfo(relation.target)
                break
        self.strings: SharedStrings | list[str] = []
        found = package.find(SHARED_STRINGS)
        if strings and self.part is not None and found is not None:
            info = archive.getinfo(found.PartName[1:])
            if info.file_size > SHARED_STRINGS_MAX:
                raise _too_large(info.filename, info.file_size, SHARED_STRINGS_MAX)
            with archive.stream(info) as part:
                self.strings = SharedStrings(part)

    def close(self) -> None:
        if isinstance(self.strings, SharedStrings):
            self.strings.close()
        self.archive.close()


def _open(source: IO[bytes], *, strings: bool = True) -> _FirstSheet:
    """The workbook's first sheet, ready to read; FileProblem on line 1 when it cannot be."""
    archive = check_archive(source)
    try:
        return _FirstSheet(archive, strings=strings)
    except FileProblem:
        archive.close()
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        archive.close()
        raise FileProblem(1, unreadable_message()) from exc


class SharedStrings:
    """A workbook's shared strings, written to a temporary file as they are parsed: memory
    keeps 4 bytes a string (where it ends), and the last few thousand strings looked up."""

    def __init__(self, source: IO[bytes]) -> None:
        from openpyxl.cell.text import Text

        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`)
        self._ends = array("I", [0])  # the part is < 4 GiB (SHARED_STRINGS_MAX)
        try:
            for node, _parent in _pulled(source, keep=_STRING):
                # as openpyxl's `read_string_table` reads a string
                text = Text.from_tree(node).content.replace("x005F_", "").encode()
                self._file.write(text)
                self._ends.append(self._ends[-1] + len(text))
            self._file.flush()
        except BaseException:
            self._file.close()
            raise
        self._lookup = lru_cache(maxsize=4096)(self._read)

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, index: int) -> str:
        return self._lookup(index)

    def _read(self, index: int) -> str:
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self._ends[index], self._ends[index + 1]
        return os.pread(self._file.fileno(), end - start, start).decode()

    def close(self) -> None:
        self._file.close()


def _pulled(
    source: IO[bytes], *, keep: str
) -> Iterator[tuple[ElementTree.Element, ElementTree.Element | None]]:
    """Each `keep` element of the XML (a row, a shared string) as it ends, whole, with its
    parent. Every element is dropped from the parsed tree once it ends, unless inside a
    `keep` element, which is dropped once the caller has it: the tree stays the path from
    the root to where the parser is, plus one `keep` element of at most `HELD_MAX`."""
    stack: list[ElementTree.Element] = []
    inside_keep = held = 0
    try:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):  # noqa: S314
            if event == "start":
                stack.append(element)
                if element.tag == keep:
                    inside_keep += 1
                elif len(stack) > DEPTH_MAX:
                    raise _Unreadable("elements nested too deep")
                continue
            stack.pop()
            if element.tag == keep:
                inside_keep -= 1
                held = 0
                parent = stack[-1] if stack else None
                yield element, parent
            elif inside_keep:
                held += 1
                if held > HELD_MAX:
                    raise _Unreadable("a row or a string of too many elements")
                continue  # its `keep` element needs it
            if stack and not inside_keep:
                del stack[-1][-1]  # read, or not wanted: it is its parent's last child
    except ElementTree.ParseError as exc:
        raise _Unreadable("the XML is not well formed") from exc


# --- Rows ------------------------------------------------------------------------------------------


def first_sheet_records(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """The first sheet's rows as `(row number, cells)`, trailing empty cells dropped; cells
    keep the spreadsheet's types (numbers, dates, booleans, text). Memory does not grow with
    the sheet, and nothing is read past the row the caller stops at. A workbook that cannot
    be read, or that breaks the limits above, raises FileProblem (on line 1 for the file,
    else on the row where reading stopped)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with ExitStack() as stack:
        sheet = _open(source)
        stack.callback(sheet.close)
        if sheet.part is None:
            return
        part = stack.enter_context(sheet.archive.stream(sheet.part))
        parser = WorkSheetParser(
            part,
            sheet.strings,
            data_only=True,
            epoch=sheet.workbook.epoch,
            date_formats=sheet.workbook._date_formats,
            timedelta_formats=sheet.workbook._timedelta_formats,
        )
        number = 0
        try:
            for element, parent in _pulled(part, keep=_ROW):
                if parent is None or parent.tag != _SHEET_DATA:
                    continue
                index, cells = parser.parse_row(element)
                parser.row_dimensions.clear()  # row heights: not wanted, and they add up
                if index > ROW_MAX:
                    raise _Unreadable("a row beyond a spreadsheet's last")
                values = _values(cells)
                while number + 1 < index:  # rows the sheet leaves out are empty
                    number += 1
                    yield number, []
                if index <= number:
                    continue  # a row given twice, or out of order: read once, as openpyxl does
                number = index
                yield number, values
        except Exception as exc:  # a damaged sheet: report where reading stopped
            raise FileProblem(number + 1, unreadable_message()) from exc


def _values(cells: list[dict[str, Any]]) -> list[Any]:
    if not cells:
        return []
    width = max(cell["column"] for cell in cells)
    if width > COLUMN_MAX:
        raise _Unreadable("a cell beyond a spreadsheet's last column")
    values: list[Any] = [None] * width
    for cell in cells:
        values[cell["column"] - 1] = cell["value"]
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


def declared_rows(source: IO[bytes]) -> int | None:
    """The rows the first sheet declares (its `<dimension>`, read from the sheet's start),
    or None when it declares none or cannot be read. Leaves the file at its start."""
    from openpyxl.utils.cell import range_boundaries

    try:
        sheet = _open(source, strings=False)
    except FileProblem:
        source.seek(0)
        return None
    try:
        if sheet.part is None:
            return None
        with sheet.archive.stream(sheet.part) as part:
            for _event, element in ElementTree.iterparse(part, events=("start",)):  # noqa: S314
                if element.tag == _DIMENSION:
                    rows = range_boundaries(element.get("ref", ""))[3]
                    return None if rows is None else int(rows)
                if element.tag == _SHEET_DATA:
                    return None  # the rows begin: no dimension
    except Exception:  # a damaged sheet: counting row by row reports nothing either
        return None
    finally:
        sheet.close()
        source.seek(0)
    return None
