"""Atomic file writes: a reader (or a re-run after kill -9) sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline.errors import PipelineError

# Every temp file and folder this program makes is named `.tmp-pipeline-<16 hex>-<label>`: the sweep after a
# killed run deletes exactly those and nothing a user may have named `.tmp-something`.
TMP_PREFIX = ".tmp-pipeline-"
_TEMP_NAME = re.compile(r"\.tmp-pipeline-[0-9a-f]{16}-")


def temp_name(label: str, suffix: str = "") -> str:
    return f"{TMP_PREFIX}{secrets.token_hex(8)}-{label[:40]}{suffix}"


def is_temp(name: str) -> bool:
    """Whether a file or folder name is one of this program's temp names."""
    return _TEMP_NAME.match(name) is not None


def _temp_beside(path: Path, suffix: str | None) -> Path:
    """A new empty temp file in the target's folder, created with the umask's permissions (mkstemp's 0600 would
    make published audio and feeds unreadable to the web server that serves them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / temp_name(path.stem, suffix or path.suffix)
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666))
            return tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def temp_dir(parent: Path, label: str) -> Iterator[Path]:
    """A temp folder inside `parent` (an output or cache folder, never $TMPDIR): what a kill leaves in it is
    found and removed by that folder's sweep (`cache._sweep`)."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    path = parent / temp_name(label)
    os.mkdir(path, 0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def real_folder(root: Path, folder: Path, *, create: bool = True) -> Path:
    """`folder` (below `root`) with every folder between them checked to be a real folder, not a symbolic link (and
    created as needed, unless `create` is false: then the check stops at the first that does not exist). Nothing is
    ever written or deleted through a link below an output folder."""
    root, folder = Path(root), Path(folder)
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        if create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(path)
        elif not os.path.lexists(path):
            break
        if path.is_symlink() or not path.is_dir():
            what = "a symbolic link" if path.is_symlink() else "not a folder"
            raise PipelineError(f"{path} is {what}; the pipeline writes only into real folders below {root}",
                                "remove it (or move it away) and run again")
    return folder


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_path(path: Path | str, suffix: str | None = None, *,
                keep_existing: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success fsync it and rename it over `path`.

    The temp name keeps the target's suffix (tools like ffmpeg choose a format by it) and is a `temp_name`, so
    leftovers of a killed run are recognisable and never mistaken for outputs.

    `keep_existing`: for content-addressed entries, which never change once written. When another process has
    written `path` meanwhile and `keep_existing(path)` says it is intact, its file stays and ours is dropped, so a
    reader that opens the file more than once never sees it change under it; a broken one is replaced.
    """
    path = Path(path)
    if not keep_existing:
        with atomic_paths([path], suffix) as (tmp,):
            yield tmp
        return
    tmp = _temp_beside(path, suffix)
    try:
        yield tmp
        _fsync(tmp)
        try:
            os.link(tmp, path)  # atomic create-if-absent
        except FileExistsError:
            if not keep_existing(path):
                os.replace(tmp, path)
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_paths(paths: Sequence[Path | str], suffix: str | None = None) -> Iterator[list[Path]]:
    """Temp paths for several targets; only once the block has written them all are they renamed over their
    targets, in the given order (put the one that marks completion, e.g. a manifest, last). A failure inside the
    block (full disk, bad input) leaves every target as it was."""
    paths = [Path(p) for p in paths]
    temps: list[Path] = []
    try:
        for p in paths:
            temps.append(_temp_beside(p, suffix))
        yield list(temps)
        for tmp in temps:
            _fsync(tmp)
        for tmp, p in zip(temps, paths):
            os.replace(tmp, p)
    finally:
        for tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: Path | str, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks (programmes run to hundreds of MB)."""
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
