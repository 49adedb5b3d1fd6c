"""XLSX files built in the tests, hostile ones included: a real workbook made by openpyxl,
then its first sheet's XML replaced, written to the archive as it is generated so that a
sheet of hundreds of megabytes costs the test no memory."""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar
from xml.sax.saxutils import escape

import openpyxl

# What reading a workbook imports, imported now: `peak_memory` is to count the reading only.
import openpyxl.reader.excel
import openpyxl.worksheet._reader

SHEET = "xl/worksheets/sheet1.xml"
_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
T = TypeVar("T")


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook as openpyxl saves it (with a `<dimension>`, strings shared)."""
    book = openpyxl.Workbook()
    for cells in rows:
        book.active.append(list(cells))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inline_row(cells: Sequence[str]) -> bytes:
    """A row of text cells, as some programs write them: no row number, strings inline."""
    return b"<row>%s</row>" % b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % escape(cell).encode() for cell in cells
    )


def with_sheet(body: Iterable[bytes], *, dimension: str = "", compresslevel: int = 6) -> io.BytesIO:
    """A real workbook whose first sheet is `<sheetData>` + the chunks of `body`, with a
    `<dimension>` only when given one. Written chunk by chunk: memory stays small."""
    base = zipfile.ZipFile(io.BytesIO(workbook([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as book:
        for info in base.infolist():
            if info.filename != SHEET:
                book.writestr(info.filename, base.read(info))
        with book.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(_START)
            if dimension:
                sheet.write(b'<dimension ref="%s"/>' % dimension.encode())
            sheet.write(b"<sheetData>")
            for chunk in body:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    out.seek(0)
    return out


def bomb(*, expanded_mib: int, header: Sequence[str] = ("x",)) -> io.BytesIO:
    """A ZIP bomb: a header row, then the same row again and again (about 150 times smaller
    compressed) until the sheet is `expanded_mib` MiB, with no `<dimension>`."""
    row = inline_row(["x"])
    rows = row * ((1 << 20) // len(row))
    chunk = rows + b" " * ((1 << 20) - len(rows))  # a MiB exactly

    def body() -> Iterator[bytes]:
        yield inline_row(header)
        for _ in range(expanded_mib):
            yield chunk

    return with_sheet(body(), compresslevel=1)


def tall_sheet(rows: int, *, header: Sequence[str] = ("x",)) -> io.BytesIO:
    """A sheet of a header and `rows` rows of varied numbers (compressed about 3 times, like a
    real sheet), with no `<dimension>`."""
    numbers = random.Random(1)

    def body() -> Iterator[bytes]:
        yield inline_row(header)
        for start in range(0, rows, 10_000):
            yield b"".join(
                b"<row><c><v>%d</v></c></row>" % numbers.getrandbits(40)
                for _ in range(min(10_000, rows - start))
            )

    return with_sheet(body())


def declaring(data: io.BytesIO, *, part: str, size: int) -> io.BytesIO:
    """The archive with the expanded size its directory gives `part` replaced by `size`: a
    lie about how far the part expands."""
    raw = bytearray(data.getvalue())
    name = part.encode()
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        name_length, extra_length = struct.unpack_from("<HH", raw, at + 28)
        if raw[at + 46 : at + 46 + name_length] == name:
            if struct.unpack_from("<I", raw, at + 24)[0] == 0xFFFFFFFF:  # sizes in zip64 extra
                struct.pack_into("<Q", raw, at + 46 + name_length + 4, size)
            else:
                struct.pack_into("<I", raw, at + 24, size)
            return io.BytesIO(bytes(raw))
        at = raw.find(b"PK\x01\x02", at + 46 + name_length + extra_length)
    raise KeyError(part)


def peak_memory(work: Callable[[], T]) -> tuple[T, int]:
    """What `work` returns, and the most memory (bytes) Python held for it at once."""
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak
