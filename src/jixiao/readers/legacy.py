"""Legacy and other office formats (.doc, .xls, .wps, .et, .rtf, .odt, .ods) through LibreOffice.

When ``soffice`` is on PATH the file is converted headless to DOCX or XLSX in a temporary folder and read by
that reader (source references keep the original path; a ``READ-CONVERTED`` finding says so).  Without
LibreOffice the file is refused with one line that says what it is and what to do.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import Grid, ReadError
from jixiao.readers.limits import check_zip

TIMEOUT_S = 180
_WORD = {".doc", ".wps", ".rtf", ".odt", ".docx"}
_SHEET = {".xls", ".et", ".ods", ".xlsx"}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def legacy_kind(data: bytes, suffix: str) -> str:
    """``docx`` or ``xlsx``: what the file converts to, from its content when it says, else its suffix."""
    if data.startswith(b"{\\rtf"):
        return "docx"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                mime = z.read("mimetype").decode("ascii", "replace") if "mimetype" in z.namelist() else ""
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            mime = ""
        if "spreadsheet" in mime:
            return "xlsx"
        if "text" in mime:
            return "docx"
    head = data[:200_000]
    if _utf16("EncryptedPackage") in head:
        return "encrypted"
    if _utf16("WordDocument") in head:
        return "docx"
    if _utf16("Workbook") in head or _utf16("Book") in head:
        return "xlsx"
    if suffix in _WORD:
        return "docx"
    if suffix in _SHEET:
        return "xlsx"
    return "unknown"


def read_legacy(data: bytes, path: str) -> Grid:
    suffix = Path(path).suffix.lower()
    if data.startswith(b"PK"):  # OpenDocument: bounded before LibreOffice inflates it
        check_zip(data, path, "OpenDocument ")
    kind = legacy_kind(data, suffix)
    if kind == "encrypted":
        raise ReadError(f"{path}: Office 文件有密码保护，无法读取")
    if kind == "unknown":
        raise ReadError(f"{path}: 是 Office 复合文档，但不是 Word 或 Excel 文档")
    what = f"{suffix.lstrip('.').upper() or '旧版 Office'} 文件"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError(
            f"{path}: {what}需要用 LibreOffice（soffice）转换后读取，但本机未安装 LibreOffice；"
            f"请安装它，或将文件另存为 .{kind} 或 PDF"
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        src = Path(tmp) / f"input{suffix or '.bin'}"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            kind,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"{path}: LibreOffice 未能在 {TIMEOUT_S} 秒内转换该{what}") from exc
        except OSError as exc:
            raise ReadError(f"{path}: 无法运行 LibreOffice（{exc.strerror or exc}）") from exc
        converted = out_dir / f"input.{kind}"
        if not converted.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            raise ReadError(f"{path}: LibreOffice 无法转换该{what}（{detail[-1] if detail else '没有输出'}）")
        out = converted.read_bytes()
    if kind == "docx":
        from jixiao.readers.docx import read_docx

        grid = read_docx(out, path)
    else:
        from jixiao.readers.xlsx import read_xlsx

        grid = read_xlsx(out, path)
    grid.findings.append(
        Finding(
            code="READ-CONVERTED",
            severity=Severity.INFO,
            message=f"{what}已由 LibreOffice 转换为 {kind.upper()} 后读取",
            source=SourceRef(path=path),
        )
    )
    return grid
