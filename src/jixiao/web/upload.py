"""Uploads: files dropped in the browser, checked against the limits before anything is kept, then ingested in
the background (the same :func:`~jixiao.ingest.ingest_files` as ``jixiao ingest``: original bytes kept by hash,
refusals one line per file) while the page shows the progress."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import Engine

from jixiao.ingest import SUFFIXES as INGEST_SUFFIXES
from jixiao.ingest import ingest_files
from jixiao.store import FileOutcome

OUTCOME_LABEL = {
    "added": "新增",
    "new_version": "新版本",
    "copy": "同内容文件",
    "unchanged": "未变",
    "refused": "拒收",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one upload may carry."""

    max_files: int = 20
    max_bytes: int = 20 * 1024 * 1024  # per file
    max_total: int = 100 * 1024 * 1024


class UploadRefused(Exception):
    """The whole upload is refused before anything is kept; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")


def safe_name(raw: str | None) -> str:
    """The file's own name without any folder part or control character (a name is never a path)."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:200] or "upload"


def check(files: list[tuple[str, bytes]], limits: Limits) -> list[tuple[str, bytes]]:
    """The files with safe names, or :class:`UploadRefused` naming the first one over a limit."""
    if not files:
        raise UploadRefused(
            400, "upload.empty", "没有收到文件：请选择要上传的 PDF、DOCX、XLSX、HTML 或文本文件"
        )
    if len(files) > limits.max_files:
        raise UploadRefused(
            413, "upload.too_many", f"一次最多上传 {limits.max_files} 个文件，收到 {len(files)} 个"
        )
    total = 0
    out: list[tuple[str, bytes]] = []
    for raw, data in files:
        name = safe_name(raw)
        suffix = Path(name).suffix.lower()
        if suffix not in INGEST_SUFFIXES:
            kinds = "、".join(sorted(INGEST_SUFFIXES))
            raise UploadRefused(
                415, "upload.type", f"{name}：不支持的文件类型（{suffix or '无扩展名'}），可上传 {kinds}"
            )
        if not data:
            raise UploadRefused(400, "upload.empty_file", f"{name}：文件为空")
        if len(data) > limits.max_bytes:
            raise UploadRefused(
                413, "upload.too_large", f"{name}：文件超过 {limits.max_bytes // (1024 * 1024)} MB 上限"
            )
        total += len(data)
        if total > limits.max_total:
            raise UploadRefused(
                413, "upload.total", f"上传总量超过 {limits.max_total // (1024 * 1024)} MB 上限"
            )
        out.append((name, data))
    return out


@dataclass(slots=True)
class Job:
    id: str
    names: list[str]
    state: str = "queued"
    outcomes: list[FileOutcome] = field(default_factory=list)
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def row(o: FileOutcome) -> dict[str, Any]:
            return {
                "name": Path(o.path).name,
                "outcome": o.outcome,
                "outcome_label": OUTCOME_LABEL.get(o.outcome, o.outcome),
                "reason": o.reason,
                "documents": o.documents,
                "sha256": o.sha256,
            }

        return {
            "id": self.id,
            "state": self.state,
            "total": len(self.names),
            "done": len(self.outcomes),
            "files": [row(o) for o in self.outcomes if o.outcome != "refused"],
            "refused": [row(o) for o in self.outcomes if o.outcome == "refused"],
            "message": self.message,
        }


class Uploads:
    """Background ingests, one thread each, one at a time per store (ingest runs are serialised)."""

    def __init__(self, engine: Engine, limits: Limits | None = None) -> None:
        self.engine = engine
        self.limits = limits or Limits()
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ingest = threading.Lock()

    def start(self, files: list[tuple[str, bytes]]) -> Job:
        checked = check(files, self.limits)
        job = Job(uuid.uuid4().hex, [n for n, _ in checked])
        folder = Path(tempfile.mkdtemp(prefix="jixiao-upload-"))
        paths: list[Path] = []
        for n, (name, data) in enumerate(checked):
            sub = folder / str(n)  # one folder per file: two files of the same name stay two files
            sub.mkdir()
            target = sub / name
            target.write_bytes(data)
            paths.append(target)
        with self._lock:
            self.jobs[job.id] = job
            if len(self.jobs) > 200:  # keep the newest jobs' reports only
                for old in list(self.jobs)[:-200]:
                    self.jobs.pop(old, None)
        threading.Thread(target=self._run, args=(job, folder, paths), daemon=True).start()
        return job

    def _run(self, job: Job, folder: Path, paths: list[Path]) -> None:
        try:
            with self._ingest:
                job.state = "running"
                ingest_files(
                    self.engine,
                    paths,
                    workers=1,
                    args=["web-upload", *job.names],
                    on_file=job.outcomes.append,
                )
            job.state = "done"
        except Exception as exc:  # the report says what went wrong; the server keeps serving
            job.state = "failed"
            job.message = f"入库失败：{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """For tests and scripts: block until the job has finished."""
        import time

        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job is not None and job.state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.05)
        return job
