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
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.files import atomic_path, atomic_write_text, is_temp, temp_dir


def key(*parts: object) -> str:
    """Stable hash of JSON-serialisable parts (dict keys sorted)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def default_dir() -> Path:
    env = os.environ.get("PIPELINE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "broadcast-pipeline"


def warn(message: str) -> None:
    """One `warning:` line on stderr: something was wrong and has been dealt with (the run goes on)."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


@dataclass(frozen=True)
class Cache:
    """Files and JSON records under `root/<area>/<key[:2]>/<key><suffix>`, each written atomically, each with its
    size and sha256 recorded beside it (`<name>.sum`) at write and checked at every read: a damaged entry (a
    truncated file, a bad disk) is reported and recomputed, never used."""

    root: Path

    def path(self, area: str, k: str, suffix: str) -> Path:
        return self.root / area / k[:2] / f"{k}{suffix}"

    def get_file(self, area: str, k: str, suffix: str) -> Path | None:
        p = self.path(area, k, suffix)
        return p if self._intact(p, report=True) else None

    def put_file(self, area: str, k: str, suffix: str, src: Path) -> Path:
        return self._put(self.path(area, k, suffix), lambda tmp: shutil.copyfile(src, tmp))

    def get_json(self, area: str, k: str) -> dict | None:
        p = self.path(area, k, ".json")
        if not self._intact(p, report=True):
            return None
        try:
            return json.loads(p.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def put_json(self, area: str, k: str, value: dict) -> None:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        self._put(self.path(area, k, ".json"), lambda tmp: tmp.write_text(text, "utf-8"))

    def get_arrays(self, area: str, k: str) -> tuple[dict, dict] | None:
        """Arrays and values stored by `put_arrays`, or None (missing, damaged, not ours)."""
        import numpy as np

        p = self.path(area, k, ".arrays")
        if not self._intact(p, report=True):
            return None
        try:
            data = p.read_bytes()
            head, pos = json.loads(data[:data.index(b"\n")]), data.index(b"\n") + 1
            arrays = {}
            for name, dtype, n in head["arrays"]:
                arrays[name] = np.frombuffer(data, dtype, n, pos)
                pos += arrays[name].nbytes
            return arrays, head["values"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_arrays(self, area: str, k: str, arrays: dict, **values) -> None:
        """Numeric arrays (1-D) and JSON values as one entry: a JSON line, then the raw arrays. Not numpy's .npz,
        whose zip and per-array header parsing cost ~30 ms a file: a one-sentence edit reads dozens of these."""
        if any(a.ndim != 1 for a in arrays.values()):
            raise ValueError("put_arrays stores one-dimensional arrays")
        head = {"arrays": [[name, a.dtype.str, len(a)] for name, a in arrays.items()], "values": values}

        def fill(tmp: Path) -> None:
            with open(tmp, "wb") as f:
                f.write(json.dumps(head).encode("utf-8") + b"\n")
                for a in arrays.values():
                    f.write(a.tobytes())

        self._put(self.path(area, k, ".arrays"), fill)

    def temp_dir(self, label: str):
        """A temp work folder inside the cache, where the cache's sweep finds what a killed run left."""
        return temp_dir(self.root, label)

    def _put(self, dest: Path, fill) -> Path:
        # Same key, same content: the first intact entry stays, so a reader (say, a parallel batch job mastering
        # from this clip) never sees the file swapped for another take of it; a damaged one is replaced.
        with atomic_path(dest, keep_existing=self._intact) as tmp:
            fill(tmp)
            record = _fingerprint(tmp)
        if not self._intact(dest):  # ours went in: record what it is
            atomic_write_text(_sum_path(dest), json.dumps(record))
        return dest

    @staticmethod
    def _intact(p: Path, report: bool = False) -> bool:
        """Whether entry `p` is there with the size and checksum recorded when it was written. An entry without a
        record (written by an older version, or a run killed between the two writes) is silently recomputed."""
        try:
            record = json.loads(_sum_path(p).read_text("utf-8"))
            size, digest = record["bytes"], record["sha256"]
            if not p.is_file():
                return False
            found = _fingerprint(p)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if found == {"bytes": size, "sha256": digest}:
            return True
        if report:
            how = f"{found['bytes']} bytes, {size} when written" if found["bytes"] != size else "checksum changed"
            warn(f"cache entry {p} is damaged ({how}); computing it again")
        return False


def _sum_path(p: Path) -> Path:
    return p.with_name(p.name + ".sum")


def entry_sha256(p: Path) -> str:
    """The sha256 of cache entry `p` as recorded when it was written (and checked when it was read, `get_file`), so
    a caller that needs it does not read the file again; computed when there is no record."""
    try:
        return json.loads(_sum_path(p).read_text("utf-8"))["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return _fingerprint(p)["sha256"]

def state_dir(out: Path) -> Path:
    """Where an output folder's lock and remembered settings live: beside it (`.<name>.pipeline/`), never inside
    it, since the output folder is what gets published (a web server or rsync would serve them too)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name or 'root'}.pipeline"


LOCK_NAME = "lock"  # in state_dir(out)
_held: dict[Path, int] = {}  # folders this process holds the lock of -> the lock's fd (what `check_locked` asks)


def _sweep(folder: Path, depth: int = 3) -> None:
    """Remove what killed runs left half-written (this program's temp files and folders, `files.is_temp`) down to
    the depth our layouts use (never a whole tree: --out may be a folder holding other things). Symbolic links are
    never followed, so the sweep never leaves `folder`; folders are opened relative to their parent's descriptor
    with O_NOFOLLOW, so a folder swapped for a link mid-sweep is not entered either. Only call it holding the lock."""
    def clean(fd: int, level: int) -> None:
        for entry in os.scandir(fd):
            try:
                if entry.is_symlink():
                    continue
                if is_temp(entry.name):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.name, dir_fd=fd)  # rmtree itself never follows links
                    else:
                        os.unlink(entry.name, dir_fd=fd)
                elif level + 1 < depth and entry.is_dir(follow_symlinks=False):
                    sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                    try:
                        clean(sub, level + 1)
                    finally:
                        os.close(sub)
            except OSError:  # gone meanwhile, or a folder we may not read: not ours to judge
                continue

    try:
        top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        clean(top, 0)
    finally:
        os.close(top)


def _open_lock(path: Path | str, dir_fd: int | None = None) -> int:
    """Open a lock file without following a symbolic link (one could point anywhere outside the folder)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return fd


def _open_state_lock(state: Path) -> int:
    """Open `state/lock`, making `state` if needed; neither may be a symbolic link (the folder is opened with
    O_NOFOLLOW and the lock relative to it, so a link put there meanwhile is not followed either)."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(state)
    top = os.open(state, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)  # a link: ENOTDIR
    try:
        return _open_lock(LOCK_NAME, dir_fd=top)
    finally:
        os.close(top)


def _lock_error(path: Path, exc: OSError, problem: str, fix: str) -> PipelineError:
    if exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and path.is_symlink()):
        return PipelineError(f"{path} is a symbolic link; the pipeline never writes through links",
                             "remove the link and run again")
    if exc.errno == errno.EINVAL:
        return PipelineError(f"{path} is not a regular file", "remove it and run again")
    return PipelineError(f"{problem}: {exc.strerror}", fix)


def _drop_old_lock(folder: Path) -> None:
    """Earlier versions kept their lock inside the published folder: remove it once no process holds it."""
    try:
        fd = os.open(folder / ".pipeline.lock", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return  # none, or a link (not ours to touch)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(folder / ".pipeline.lock")
    except OSError:
        pass  # an older pipeline is running on this folder: leave its lock alone
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder; a second run on it is refused, not interleaved.

    flock is released by the kernel when the process dies, so a kill -9 never leaves a stale lock; what such a run
    left half-written is swept away here, once the lock is ours. One run session takes it once (`session.Session`);
    taking it again in the same process is refused like a second run. Batch workers share it (`lock_for_workers`).
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"cannot create output folder {folder}: {exc.strerror}", "choose a writable --out folder") from exc
    state = state_dir(folder)
    try:
        fd = _open_state_lock(state)
    except OSError as exc:
        raise _lock_error(state if exc.errno == errno.ENOTDIR else state / LOCK_NAME, exc,
                          f"cannot write {state} (the lock beside the output folder)",
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
        _sweep(state, depth=1)
        _drop_old_lock(folder)
        _held[folder.resolve()] = fd
        try:
            yield
        finally:
            _held.pop(folder.resolve(), None)
    finally:
        os.close(fd)


def check_locked(folder: Path) -> None:
    """Raise unless this process holds `folder`'s lock right now: called just before outputs are swapped in, so a
    process that lost the lock (its run was killed and a new run took the folder) never puts old work back."""
    fd = _held.get(Path(folder).resolve())
    try:
        if fd is None:
            raise OSError(errno.ENOLCK, "not locked")
        held, there = os.fstat(fd), os.stat(state_dir(folder) / LOCK_NAME, follow_symlinks=False)
        if (held.st_dev, held.st_ino) != (there.st_dev, there.st_ino):
            raise OSError(errno.ENOLCK, "lock file replaced")
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # already ours: a no-op; else it fails
    except OSError as exc:
        raise PipelineError(f"this process does not hold the lock of {folder} ({exc.strerror}); nothing was "
                            "swapped in", "run again: the run that holds the folder now finishes its own work") from exc


class lock_for_workers:
    """The lock of `folder`, as an argument to a spawned worker process: unpickled there, it hands the worker the
    same open lock (a descriptor of the same open file, passed at spawn by multiprocessing), so the worker holds
    the folder's lock itself and `check_locked` works in it. While any worker lives the lock cannot be taken by
    another run, even if the parent was killed."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        self.fd = _held[self.folder]

    def __reduce__(self):
        from multiprocessing.reduction import DupFd  # passes the descriptor to the child being spawned

        return _adopt_lock, (self.folder, DupFd(self.fd))


def _adopt_lock(folder: Path, dup) -> Path:
    _held[folder] = dup.detach()
    return folder


@contextlib.contextmanager
def cache_in_use(root: Path) -> Iterator[None]:
    """Mark the cache as in use (a shared lock) for a run; the first user after everyone has gone sweeps the
    temp files killed runs left in it, when a run did not end (`_sweep_after_kills`). Several runs (other output
    folders) may share one cache."""
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"cannot use cache folder {root}: {exc.strerror}", "choose a writable --cache folder") from exc
    try:
        fd = _open_lock(root / ".lock")
    except OSError as exc:
        raise _lock_error(root / ".lock", exc, f"cannot use cache folder {root}",
                          "choose a writable --cache folder") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _sweep_after_kills(root)  # nobody else is writing in it
        except BlockingIOError:
            pass
        fcntl.flock(fd, fcntl.LOCK_SH)
        marker = root / _RUNNING / f"{os.getpid()}-{os.urandom(4).hex()}"
        marker.parent.mkdir(exist_ok=True)  # a run that holds the cache may not have made it (an older version)
        marker.touch()
        try:
            yield
        finally:
            marker.unlink(missing_ok=True)  # this run ended: it leaves nothing half-written to sweep
    finally:
        os.close(fd)


_RUNNING = ".running"  # one marker per run using the cache, removed when the run ends (also on error or Ctrl-C)


def _sweep_after_kills(root: Path) -> None:
    """Sweep the cache only when a run that used it was killed (its marker is still there), or once for a cache that
    has no markers folder (new, or written by an older version). A sweep reads every entry folder, so a cache of
    tens of thousands of clips would cost every run a second; the markers say when there is nothing to find."""
    running = root / _RUNNING
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISDIR(os.lstat(running).st_mode):
            with os.scandir(running) as markers:
                if not any(markers):
                    return
        else:
            os.unlink(running)  # a link or a file: a markers folder is a real folder
    _sweep(root)
    running.mkdir(exist_ok=True)
    with os.scandir(running) as markers:
        for left in markers:
            if not left.is_dir(follow_symlinks=False):
                os.unlink(left.path)
