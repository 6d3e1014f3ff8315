"""Bounds every reader works within, so that no input (a zip bomb, a PDF of ten thousand pages, a text file of
gigabytes) takes unbounded time or memory.

Zip-based formats (XLSX, XLSM, DOCX, DOCM, ODT/ODS before LibreOffice converts them, and what it converts them
to) are checked from the archive's central directory BEFORE anything is inflated: the total inflated size, each
member's ratio of inflated to compressed bytes, and the member count.  Python's ``zipfile`` never inflates a
member beyond the size the central directory declares, so a lying directory cannot get past the check.

Each limit is a setting: an environment variable (read when a file is read, so one process can change it), with
a default far above any real performance document (which is a few hundred KB) and far below what would exhaust
the machine.  A file over a limit is refused with one Chinese line naming the file, the limit and the setting.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Any

from jixiao.readers.base import ZIP_ERRORS, ReadError

MIB = 2**20


@dataclass(frozen=True, slots=True)
class Limits:
    """The readers' bounds; :meth:`current` reads them from the environment."""

    file_bytes: int = 200 * MIB  # any input file
    inflated_bytes: int = 64 * MIB  # a zip-based file's members, inflated, together
    ratio: float = 200.0  # one member's inflated ÷ compressed bytes (members over ``ratio_floor`` only)
    ratio_floor: int = 1 * MIB  # members inflating to less than this are not ratio-checked (tiny XML parts)
    members: int = 10_000  # members of one archive
    pages: int = 500  # PDF pages
    pdf_inflated_bytes: int = 256 * MIB  # a PDF's Flate streams (images aside), inflated, together
    # one page's (or form's) drawing operators, inflated: a real table page prints 20-40 KB; the PDF parser holds
    # each operator as an object of a few KB, so 2 MB of them already costs it about 500 MB
    pdf_content_bytes: int = 2 * MIB
    cells: int = 2_000_000  # cells of one file's grid
    text_chars: int = 50_000_000  # characters of a text or HTML file once decoded

    @classmethod
    def current(cls) -> Limits:
        """The limits the environment sets now (remembered per set of values: every file asks several times)."""
        key = tuple(map(os.environ.get, _ENV_NAMES))
        got = _CURRENT.get(key)
        if got is None:
            if len(_CURRENT) > 64:
                _CURRENT.clear()
            got = _CURRENT[key] = cls._from_env()
        return got

    @classmethod
    def _from_env(cls) -> Limits:
        d = cls()
        values: dict[str, Any] = {}
        for field, name, scale in _SETTINGS:
            default = getattr(d, field)
            values[field] = type(default)(_env_int(name, int(default) // scale) * scale)
        return replace(d, **values)


# Each setting: the field, its environment variable and the unit the variable counts in.
_SETTINGS = (
    ("file_bytes", "JIXIAO_MAX_FILE_MB", MIB),
    ("inflated_bytes", "JIXIAO_MAX_INFLATED_MB", MIB),
    ("ratio", "JIXIAO_MAX_ZIP_RATIO", 1),
    ("members", "JIXIAO_MAX_ZIP_MEMBERS", 1),
    ("pages", "JIXIAO_MAX_PAGES", 1),
    ("pdf_inflated_bytes", "JIXIAO_MAX_PDF_INFLATED_MB", MIB),
    ("pdf_content_bytes", "JIXIAO_MAX_PDF_CONTENT_KB", 1024),
    ("cells", "JIXIAO_MAX_CELLS", 1),
    ("text_chars", "JIXIAO_MAX_TEXT_CHARS", 1),
)
_ENV_NAMES = tuple(name for _field, name, _scale in _SETTINGS)
_CURRENT: dict[tuple[str | None, ...], Limits] = {}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def _mb(n: int) -> str:
    return f"{n / MIB:.0f} MB" if n >= MIB else f"{n} 字节"


def check_file_size(size: int, path: str) -> None:
    limit = Limits.current().file_bytes
    if size > limit:
        raise ReadError(
            f"{path}: 文件过大（{_mb(size)}，上限 {_mb(limit)}，可用 JIXIAO_MAX_FILE_MB 调整），未读取"
        )


NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".odt", ".ods", ".jar")
MAX_DEPTH = 3


def check_zip(data: bytes, path: str, what: str) -> None:
    """Refuse a zip-based file whose central directory announces more than the limits allow (nothing inflated).

    Archives inside the archive (an embedded workbook, a zip of zips) are checked the same way, to a depth of
    :data:`MAX_DEPTH`, their inflated sizes counting toward the total; each is inflated only after the level
    holding it passed.  A damaged archive is left to the reader, which says so in its own words."""
    _check_zip(data, path, what, Limits.current(), 0, [0])


def _check_zip(
    data: bytes, path: str, what: str, limits: Limits, depth: int, total_so_far: list[int]
) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return
    with z:
        infos = z.infolist()
        _check_directory(infos, path, what, limits, total_so_far)
        if depth >= MAX_DEPTH:
            return
        for info in infos:
            if info.filename.lower().endswith(NESTED_SUFFIXES):
                try:
                    inner = z.read(info)
                except ZIP_ERRORS:
                    continue
                _check_zip(inner, path, what, limits, depth + 1, total_so_far)


def _check_directory(
    infos: list[zipfile.ZipInfo], path: str, what: str, limits: Limits, total_so_far: list[int]
) -> None:
    if len(infos) > limits.members:
        raise ReadError(
            f"{path}: {what}文件中的成员过多（{len(infos)} 个，上限 {limits.members}，可用 JIXIAO_MAX_ZIP_MEMBERS 调整），"
            "疑为压缩炸弹，未读取"
        )
    total_so_far[0] += sum(i.file_size for i in infos)
    total = total_so_far[0]
    if total > limits.inflated_bytes:
        raise ReadError(
            f"{path}: {what}文件解压后过大（{_mb(total)}，上限 {_mb(limits.inflated_bytes)}，"
            "可用 JIXIAO_MAX_INFLATED_MB 调整），疑为压缩炸弹，未读取"
        )
    for info in infos:
        if info.file_size < limits.ratio_floor:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.ratio:
            raise ReadError(
                f"{path}: {what}文件中的 {info.filename} 压缩比异常（{ratio:.0f} 倍，上限 {limits.ratio:.0f} 倍，"
                "可用 JIXIAO_MAX_ZIP_RATIO 调整），疑为压缩炸弹，未读取"
            )


# A stream's body starts after ``stream`` and one end of line; its dictionary is what precedes it since ``obj``.
_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
# streams that are not drawn: fonts, object and cross-reference streams, metadata (bounded by the total only)
_NOT_DRAWN = re.compile(
    rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType|XML)\b|/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile)\b"
)
_CHUNK = 1 * MIB
_DICT_BACK = 4096  # how far back from ``stream`` its dictionary is looked for


def check_pdf_streams(data: bytes, path: str) -> None:
    """Refuse a PDF whose compressed streams inflate beyond the limits, BEFORE the PDF parser inflates them.

    Every Flate stream (content streams, object streams, fonts) is inflated in bounded chunks and only counted,
    never kept: a stream over ``ratio_floor`` that inflates more than ``ratio`` times its compressed size, a
    page's or form's drawing operators over ``pdf_content_bytes``, or streams together over
    ``pdf_inflated_bytes``, refuse the file.  Images are skipped: the reader never decodes
    them, and a scanned page's image is large by nature.  A body that is not Flate data (JPEG, plain text, a
    damaged stream) is left to the parser, which says so in its own words."""
    limits = Limits.current()
    total = 0
    pos = 0
    while True:
        m = _STREAM.search(data, pos)
        if m is None:
            return
        if data[max(0, m.start() - 3) : m.start()] == b"end":
            pos = m.end()  # ``endstream`` itself
            continue
        start = m.end()
        end = data.find(_ENDSTREAM, start)
        if end < 0:
            return
        pos = end + len(_ENDSTREAM)
        head = data[max(0, m.start() - _DICT_BACK) : m.start()]
        objs = list(_OBJ.finditer(head))
        head = head[objs[-1].end() :] if objs else head
        if _IMAGE.search(head):
            continue
        drawn = _NOT_DRAWN.search(head) is None
        budget = limits.pdf_inflated_bytes - total + 1
        inflated = _inflated_size(
            data, start, end, min(budget, limits.pdf_content_bytes + 1) if drawn else budget
        )
        if inflated is None:
            if not drawn or b"/Filter" in head:
                continue  # another filter (or damaged data): the parser judges it
            inflated = end - start  # drawing operators stored plainly
        if drawn and inflated > limits.pdf_content_bytes:
            raise ReadError(
                f"{path}: PDF 页面内容过大（超过 {limits.pdf_content_bytes // 1024} KB，可用 JIXIAO_MAX_PDF_CONTENT_KB 调整），"
                "疑为压缩炸弹或非表格文件，未读取"
            )
        compressed = max(end - start, 1)
        if inflated >= limits.ratio_floor and inflated / compressed > limits.ratio:
            raise ReadError(
                f"{path}: PDF 中的压缩流压缩比异常（{inflated / compressed:.0f} 倍以上，上限 {limits.ratio:.0f} 倍，"
                "可用 JIXIAO_MAX_ZIP_RATIO 调整），疑为压缩炸弹，未读取"
            )
        total += inflated
        if total > limits.pdf_inflated_bytes:
            raise ReadError(
                f"{path}: PDF 解压后过大（超过 {_mb(limits.pdf_inflated_bytes)}，可用 JIXIAO_MAX_PDF_INFLATED_MB 调整），"
                "疑为压缩炸弹，未读取"
            )


def _inflated_size(data: bytes, start: int, end: int, budget: int) -> int | None:
    """Bytes that ``data[start:end]`` inflates to, counting at most ``budget`` (None: not Flate data)."""
    d = zlib.decompressobj()
    size = 0
    view = memoryview(data)[start:end]
    try:
        for at in range(0, len(view), _CHUNK):
            piece: bytes | memoryview = view[at : at + _CHUNK]
            while piece and size < budget:
                out = d.decompress(piece, _CHUNK)
                size += len(out)
                piece = d.unconsumed_tail
                if d.eof:
                    return size
            if size >= budget:
                return size
    except zlib.error:
        return size if size else None
    return size


def check_pages(count: int, path: str) -> None:
    limit = Limits.current().pages
    if count > limit:
        raise ReadError(
            f"{path}: PDF 页数过多（{count} 页，上限 {limit}，可用 JIXIAO_MAX_PAGES 调整），未读取"
        )


def check_cells(count: int, path: str) -> None:
    limit = Limits.current().cells
    if count > limit:
        raise ReadError(f"{path}: 单元格过多（{count} 个，上限 {limit}，可用 JIXIAO_MAX_CELLS 调整），未读取")


def check_text(length: int, path: str) -> None:
    limit = Limits.current().text_chars
    if length > limit:
        raise ReadError(
            f"{path}: 文本过长（{length} 个字符，上限 {limit}，可用 JIXIAO_MAX_TEXT_CHARS 调整），未读取"
        )
