"""Atomic file writes: a reader (or a re-run after kill -9) sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path

TMP_PREFIX = ".tmp-"


def _temp_beside(path: Path, suffix: str | None) -> Path:
    """A new empty temp file in the target's folder, created with the umask's permissions (mkstemp's 0600 would
    make published audio and feeds unreadable to the web server that serves them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / f"{TMP_PREFIX}{path.stem[:40]}-{secrets.token_hex(4)}{suffix or path.suffix}"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_path(path: Path | str, suffix: str | None = None, *, keep_existing: bool = False) -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success fsync it and rename it over `path`.

    The temp name keeps the target's suffix (tools like ffmpeg choose a format by it) and starts with
    '.tmp-' so leftovers of a killed run are recognisable and never mistaken for outputs.

    `keep_existing`: for content-addressed entries, which never change once written. When another process has
    written `path` meanwhile, its file stays and ours is dropped, so a reader that opens the file more than once
    never sees it change under it.
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
            if path.stat().st_size == 0:  # an empty entry is a broken one: replace it
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
