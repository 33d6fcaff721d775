"""Find and run ffmpeg: the one external program mastering needs.

Order: `PIPELINE_FFMPEG` (an exact path; no fallback, so tests and studios can pin or disable it), then `ffmpeg` on
PATH, then the static binary shipped in the imageio-ffmpeg wheel (works without root).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.errors import PipelineError

ENV = "PIPELINE_FFMPEG"
TIMEOUT_ENV = "PIPELINE_FFMPEG_TIMEOUT"  # seconds for any one ffmpeg call, instead of the caller's (length-based) limit
_INSTALL_FIX = "install ffmpeg (apt install ffmpeg) or the imageio-ffmpeg wheel, or set PIPELINE_FFMPEG to its path"


@dataclass(frozen=True)
class Ffmpeg:
    path: str
    source: str  # "PIPELINE_FFMPEG" | "PATH" | "imageio-ffmpeg"

    def version(self) -> str:
        out = subprocess.run([self.path, "-version"], capture_output=True, text=True, timeout=30, check=False)
        first = out.stdout.splitlines()[0] if out.stdout else ""
        return first.removeprefix("ffmpeg version ").split(" ")[0]


def find_ffmpeg() -> Ffmpeg:
    """The ffmpeg to use, or PipelineError saying how to get one."""
    pinned = os.environ.get(ENV)
    if pinned:
        if os.path.isfile(pinned) and os.access(pinned, os.X_OK):
            return Ffmpeg(pinned, ENV)
        raise PipelineError(f"ffmpeg not found at {ENV}={pinned}", f"point {ENV} at an ffmpeg binary or unset it")
    on_path = shutil.which("ffmpeg")
    if on_path:
        return Ffmpeg(on_path, "PATH")
    try:
        import imageio_ffmpeg

        bundled = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        bundled = None
    if bundled and os.path.isfile(bundled):
        return Ffmpeg(bundled, "imageio-ffmpeg")
    raise PipelineError("ffmpeg not found (not on PATH, no imageio-ffmpeg binary)", _INSTALL_FIX)


def require_encoder(name: str, why: str) -> None:
    """PipelineError unless this ffmpeg has encoder `name` (Debian's and the imageio-ffmpeg wheel's have libtwolame
    and libmp3lame)."""
    ff = find_ffmpeg()
    try:
        listed = subprocess.run([ff.path, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=60,
                                check=False).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PipelineError(f"cannot run ffmpeg ({ff.path}): {exc}", _INSTALL_FIX) from exc
    if not any(line.split()[1:2] == [name] for line in listed.splitlines()):
        raise PipelineError(f"this ffmpeg ({ff.path}) has no {name} encoder, needed for {why}",
                            f"use an ffmpeg built with {name} (Debian's, or the imageio-ffmpeg wheel's): set {ENV}")


def configure_pydub() -> Ffmpeg:
    """Point pydub (for other stages' small edits) at the same ffmpeg. Mastering does not use pydub: it keeps
    whole programmes in memory. (imageio-ffmpeg has no ffprobe, so pydub's mediainfo needs a system ffmpeg.)"""
    import warnings

    with warnings.catch_warnings():  # pydub warns at import when ffmpeg is not on PATH; we set it just below
        warnings.simplefilter("ignore")
        from pydub import AudioSegment

    ff = find_ffmpeg()
    AudioSegment.converter = ff.path
    return ff


def run(
    args: Sequence[str],
    *,
    feed: Iterable[bytes] | None = None,
    timeout: float = 600.0,
    what: str = "ffmpeg",
) -> str:
    """Run ffmpeg with `args`, optionally streaming `feed` into its stdin; return its log (stderr).

    stderr goes to a temp file, not a pipe, so a chatty ffmpeg can never deadlock the writer. A watchdog kills it
    after `timeout` seconds ($PIPELINE_FFMPEG_TIMEOUT overrides it). Every failure becomes a PipelineError naming
    `what` and ffmpeg's last log line.
    """
    from pipeline.env import seconds

    timeout = seconds(TIMEOUT_ENV, timeout)
    ff = find_ffmpeg()
    cmd = [ff.path, "-hide_banner", "-nostats", "-threads", "1", "-filter_threads", "1"]
    if feed is None:
        cmd.append("-nostdin")
    cmd += list(args)
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=log,
            )
        except OSError as exc:
            raise PipelineError(f"cannot start ffmpeg ({ff.path}): {exc.strerror}", _INSTALL_FIX) from exc
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        try:
            if feed is not None:
                assert proc.stdin is not None
                try:
                    for chunk in feed:
                        proc.stdin.write(chunk)
                except BrokenPipeError:
                    pass  # ffmpeg stopped reading: its exit code and log say why
                finally:
                    try:
                        proc.stdin.close()
                    except BrokenPipeError:
                        pass
            code = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            watchdog.cancel()
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if timed_out.is_set():
        raise PipelineError(f"{what}: ffmpeg took longer than {timeout:g} s and was stopped",
                            f"check that {ff.path} is a working ffmpeg, or allow more time with {TIMEOUT_ENV}")
    if code < 0:  # killed by a signal: the program is broken, not the input
        raise PipelineError(f"{what}: ffmpeg failed (killed by {signal.Signals(-code).name}): {_last_line(text)}",
                            f"check that {ff.path} is a working ffmpeg ({ff.source}), or point {ENV} at another")
    if code != 0:
        raise PipelineError(f"{what}: ffmpeg failed (exit {code}): {_last_line(text)}", "check the input files")
    return text


def _last_line(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"
