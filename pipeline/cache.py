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
from pipeline.files import TMP_PREFIX, atomic_path


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
        # Same key, same content: the first writer wins, and a reader (say, a parallel batch job mastering from
        # this clip) never sees the file swapped for another take of it.
        with atomic_path(dest, keep_existing=True) as tmp:
            shutil.copyfile(src, tmp)
        return dest

    def get_json(self, area: str, k: str) -> dict | None:
        p = self.path(area, k, ".json")
        try:
            return json.loads(p.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def put_json(self, area: str, k: str, value: dict) -> None:
        with atomic_path(self.path(area, k, ".json"), keep_existing=True) as tmp:
            tmp.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), "utf-8")


def state_dir(out: Path) -> Path:
    """Where an output folder's lock and remembered settings live: beside it (`.<name>.pipeline/`), never inside
    it, since the output folder is what gets published (a web server or rsync would serve them too)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name or 'root'}.pipeline"


_held: set[Path] = set()  # folders this process has locked (a nested lock on one of them is a no-op)


def _sweep(folder: Path, depth: int = 3) -> None:
    """Remove what killed runs left half-written (`.tmp-*` files and folders) down to the depth our layouts use
    (never a whole tree: --out may be a folder holding other things). Only call it holding the lock."""
    patterns = ["/".join(["*"] * d + [f"{TMP_PREFIX}*"]) for d in range(depth)]
    for leftover in [p for pattern in patterns for p in folder.glob(pattern)]:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(leftover) if leftover.is_dir() and not leftover.is_symlink() else leftover.unlink()


def _drop_old_lock(folder: Path) -> None:
    """Earlier versions kept their lock inside the published folder: remove it once no process holds it."""
    old = folder / ".pipeline.lock"
    if not old.is_file() or old.is_symlink():
        return
    fd = os.open(old, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        old.unlink()
    except OSError:
        pass  # an older pipeline is running on this folder: leave its lock alone
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder; a second run on it is refused, not interleaved.

    flock is released by the kernel when the process dies, so a kill -9 never leaves a stale lock; what such a run
    left half-written is swept away here, once the lock is ours. Re-entrant within a process, so the CLI can hold it
    over a run and the publishing after it.
    """
    folder = Path(folder)
    if folder.resolve() in _held:
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"cannot create output folder {folder}: {exc.strerror}", "choose a writable --out folder") from exc
    try:
        state_dir(folder).mkdir(exist_ok=True)
        fd = os.open(state_dir(folder) / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PipelineError(f"cannot write {state_dir(folder)} (the lock beside the output folder): {exc.strerror}",
                            "choose an --out folder whose parent folder you can write to") from exc
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
        _sweep(folder)
        _drop_old_lock(folder)
        _held.add(folder.resolve())
        try:
            yield
        finally:
            _held.discard(folder.resolve())
    finally:
        os.close(fd)


@contextlib.contextmanager
def cache_in_use(root: Path) -> Iterator[None]:
    """Mark the cache as in use (a shared lock) for a run; the first user after everyone has gone sweeps the
    temp files killed runs left in it. Several runs (other output folders) may share one cache."""
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PipelineError(f"cannot use cache folder {root}: {exc.strerror}", "choose a writable --cache folder") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _sweep(root)  # nobody else is writing in it
        except BlockingIOError:
            pass
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)
