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
import zipfile
from dataclasses import dataclass

from jixiao.readers.base import ReadError

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
    cells: int = 2_000_000  # cells of one file's grid
    text_chars: int = 50_000_000  # characters of a text or HTML file once decoded

    @classmethod
    def current(cls) -> Limits:
        d = cls()
        return cls(
            file_bytes=_env_int("JIXIAO_MAX_FILE_MB", d.file_bytes // MIB) * MIB,
            inflated_bytes=_env_int("JIXIAO_MAX_INFLATED_MB", d.inflated_bytes // MIB) * MIB,
            ratio=float(_env_int("JIXIAO_MAX_ZIP_RATIO", int(d.ratio))),
            ratio_floor=d.ratio_floor,
            members=_env_int("JIXIAO_MAX_ZIP_MEMBERS", d.members),
            pages=_env_int("JIXIAO_MAX_PAGES", d.pages),
            cells=_env_int("JIXIAO_MAX_CELLS", d.cells),
            text_chars=_env_int("JIXIAO_MAX_TEXT_CHARS", d.text_chars),
        )


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
        raise ReadError(f"{path}: 文件过大（{_mb(size)}，上限 {_mb(limit)}，可用 JIXIAO_MAX_FILE_MB 调整），未读取")


NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".odt", ".ods", ".jar")
MAX_DEPTH = 3


def check_zip(data: bytes, path: str, what: str) -> None:
    """Refuse a zip-based file whose central directory announces more than the limits allow (nothing inflated).

    Archives inside the archive (an embedded workbook, a zip of zips) are checked the same way, to a depth of
    :data:`MAX_DEPTH`, their inflated sizes counting toward the total; each is inflated only after the level
    holding it passed.  A damaged archive is left to the reader, which says so in its own words."""
    _check_zip(data, path, what, Limits.current(), 0, [0])


def _check_zip(data: bytes, path: str, what: str, limits: Limits, depth: int, total_so_far: list[int]) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
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
                except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
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


def check_pages(count: int, path: str) -> None:
    limit = Limits.current().pages
    if count > limit:
        raise ReadError(f"{path}: PDF 页数过多（{count} 页，上限 {limit}，可用 JIXIAO_MAX_PAGES 调整），未读取")


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
