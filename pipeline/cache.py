"""Content-addressed stage cache and the output-folder lock.

A key is the sha256 of everything that decides a result (input, engine/model/voice/profile settings, and the
stage's code version), so an unchanged input is never recomputed and a changed one never reuses a stale result.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.files import atomic_path, atomic_write_text


def key(*parts: object) -> str:
    """Stable hash of JSON-serialisable parts (dict keys sorted)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def default_dir() -> Path:
    env = os.environ.get("PIPELINE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "broadcast-pipeline"


@dataclass(frozen=True)
class Cache:
    """Files and JSON records under `root/<area>/<key[:2]>/<key><suffix>`, each written atomically."""

    root: Path

    def path(self, area: str, k: str, suffix: str) -> Path:
        return self.root / area / k[:2] / f"{k}{suffix}"

    def get_file(self, area: str, k: str, suffix: str) -> Path | None:
        p = self.path(area, k, suffix)
        return p if p.is_file() and p.stat().st_size > 0 else None

    def put_file(self, area: str, k: str, suffix: str, src: Path) -> Path:
        dest = self.path(area, k, suffix)
        with atomic_path(dest) as tmp:
            shutil.copyfile(src, tmp)
        return dest

    def get_json(self, area: str, k: str) -> dict | None:
        p = self.path(area, k, ".json")
        try:
            return json.loads(p.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def put_json(self, area: str, k: str, value: dict) -> None:
        atomic_write_text(self.path(area, k, ".json"), json.dumps(value, ensure_ascii=False, sort_keys=True))


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder; a second run on it is refused, not interleaved.

    flock is released by the kernel when the process dies, so a kill -9 never leaves a stale lock.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"cannot create output folder {folder}: {exc.strerror}", "choose a writable --out folder") from exc
    lock_path = folder / ".pipeline.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PipelineError(f"cannot write in output folder {folder}: {exc.strerror}", "choose a writable --out folder") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise PipelineError(
                    f"another pipeline run is writing to {folder}",
                    "wait for it to finish or choose another --out folder",
                ) from exc
            raise
        yield
    finally:
        os.close(fd)
