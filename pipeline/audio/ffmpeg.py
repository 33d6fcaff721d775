"""Find and run ffmpeg: the one external program mastering needs.

Which ffmpeg: `PIPELINE_FFMPEG` when set: `wheel` (the imageio-ffmpeg wheel's static build), `system` (`ffmpeg` on
PATH) or a path or command name (no fallback, so tests and studios can pin or disable it). Unset: the wheel's, else
the one on PATH. The wheel comes first because it is the same build on every machine (the same audio from the same
clips, so caches and re-runs agree across studios), it is the build the test suite always covers, and it has
everything mastering needs (libmp3lame, soxr), which a distribution's build need not (docs/profiles.md).

Every option used exists from ffmpeg 4.2 on (the test matrix runs 4.2, 5.1, 6.0, 7.0, the wheel's and the
system's); what a build may lack (soxr) is probed once per binary. Failures name the binary and its version and
quote ffmpeg's decisive line.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.procs import preexec_die_with_parent

ENV = "PIPELINE_FFMPEG"
TIMEOUT_ENV = "PIPELINE_FFMPEG_TIMEOUT"  # seconds for any one ffmpeg call, instead of the caller's (length-based) limit
WHEEL, SYSTEM = "imageio-ffmpeg", "PATH"  # origins; PIPELINE_FFMPEG is the third
_INSTALL_FIX = "install ffmpeg (apt install ffmpeg) or the imageio-ffmpeg wheel, or set PIPELINE_FFMPEG to its path"
_CHOOSE = f"check it with `pipeline doctor`, or choose another ffmpeg with {ENV}=wheel, system or a path"
# What mastering, measuring and the report use; `pipeline doctor` checks each.
FILTERS = ("aresample", "highpass", "lowpass", "volume", "acompressor", "alimiter", "apad", "atrim", "afade",
           "ebur128", "volumedetect", "asplit", "aformat", "biquad", "amerge", "anull")
ENCODERS = ("libmp3lame", "pcm_s16le", "pcm_s24le", "pcm_f32le")
# Encoders only one output format needs: MP2 is made with libtwolame (no frame padding, as PRSS ContentDepot
# requires), which Debian's and the imageio-ffmpeg wheel's builds have and some static builds lack.
FORMAT_ENCODERS = {"mp2": "libtwolame"}


@dataclass(frozen=True)
class Build:
    """What `ffmpeg -version` says about a binary."""

    version: str  # as ffmpeg prints it: "5.1.9-0+deb12u1", "4.2.2-static", "n9.0.2-17-g2a571b6068-20260930"
    soxr: bool  # built with libsoxr (the better resampler)


@dataclass(frozen=True)
class Ffmpeg:
    path: str
    source: str  # origin: "imageio-ffmpeg" (the wheel), "PATH" (the system's) or "PIPELINE_FFMPEG" (a chosen path)

    def build(self) -> Build:
        key = (self.path, *_stamp(self.path))
        if key not in _BUILDS:
            _BUILDS[key] = _build(self.path)
        return _BUILDS[key]

    def version(self) -> str:
        return self.build().version

    def describe(self) -> str:
        return f"ffmpeg {self.version()} ({self.source}: {self.path})"

    def to_dict(self) -> dict:
        return {"name": "ffmpeg", "version": self.version(), "path": self.path, "origin": self.source}

    def missing(self) -> list[str]:
        """Filters and encoders the pipeline uses that this build lacks (runs ffmpeg twice; for `pipeline doctor`)."""
        return _missing(self.path, *_stamp(self.path))

    def has_encoder(self, name: str) -> bool:
        return name in _encoders(self.path, *_stamp(self.path))


def find_ffmpeg() -> Ffmpeg:
    """The ffmpeg to use, or PipelineError saying how to get one."""
    choice = os.environ.get(ENV, "").strip()
    if choice not in _CHOICES:  # a path, or a command name such as ffmpeg-6
        path = shutil.which(choice)
        if path is None or not os.path.isfile(path):
            raise PipelineError(f"ffmpeg not found at {ENV}={choice}",
                                f"point {ENV} at an ffmpeg binary, or set it to wheel or system, or unset it")
        return Ffmpeg(path, ENV)
    find, problem, fix = _CHOICES[choice]
    found = find()
    if found is None:
        raise PipelineError(problem, fix)
    return found


def system_ffmpeg() -> Ffmpeg | None:
    on_path = shutil.which("ffmpeg")
    return Ffmpeg(on_path, SYSTEM) if on_path else None


def wheel_ffmpeg() -> Ffmpeg | None:
    """The binary inside the imageio-ffmpeg wheel, if it has one for this platform. (`get_ffmpeg_exe` also falls back
    to $IMAGEIO_FFMPEG_EXE and the PATH: those are not the wheel's.)"""
    return _wheel_ffmpeg(os.environ.get("IMAGEIO_FFMPEG_EXE"))


# Asked for on every ffmpeg run (a millisecond each): found once per value of $IMAGEIO_FFMPEG_EXE, which
# `get_ffmpeg_exe` reads first.
@functools.cache
def _wheel_ffmpeg(_chosen: str | None) -> Ffmpeg | None:
    try:
        import imageio_ffmpeg

        exe = Path(imageio_ffmpeg.get_ffmpeg_exe()).resolve()
    except (ImportError, RuntimeError, OSError):
        return None
    inside = exe.is_relative_to(Path(imageio_ffmpeg.__file__).resolve().parent)
    return Ffmpeg(str(exe), WHEEL) if inside and exe.is_file() else None


# PIPELINE_FFMPEG value -> how to find that ffmpeg, and what to say when there is none.
_CHOICES = {
    "": (lambda: wheel_ffmpeg() or system_ffmpeg(), "ffmpeg not found (not on PATH, no imageio-ffmpeg binary)",
         _INSTALL_FIX),
    "wheel": (lambda: wheel_ffmpeg(), f"{ENV}=wheel but the imageio-ffmpeg wheel has no ffmpeg binary here",
              f"pip install imageio-ffmpeg, or set {ENV}=system"),
    "system": (lambda: system_ffmpeg(), f"{ENV}=system but there is no ffmpeg on PATH",
               f"apt install ffmpeg, or unset {ENV} to use the wheel's"),
}


def candidates() -> list[Ffmpeg]:
    """Every ffmpeg this machine offers (the chosen one may be another): for `pipeline doctor`."""
    return [f for f in (wheel_ffmpeg(), system_ffmpeg()) if f]


def _stamp(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


_BUILDS: dict[tuple[str, int, int], Build] = {}  # per binary (path, mtime, size): probed once per process


def _build(path: str) -> Build:
    text = _ask(path, "-version")
    first = text.splitlines()[0] if text else ""
    if not first.startswith("ffmpeg version "):
        raise PipelineError(f"{path} is not a working ffmpeg (`-version` printed {first[:80]!r})", _CHOOSE)
    return Build(version=first.removeprefix("ffmpeg version ").split(" ")[0], soxr="--enable-libsoxr" in text)


@functools.cache
def _encoders(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    return frozenset(_names(_ask(path, "-hide_banner", "-encoders")))


@functools.cache
def _missing(path: str, mtime_ns: int, size: int) -> list[str]:
    listed = {"filter": _names(_ask(path, "-hide_banner", "-filters")), "encoder": _encoders(path, mtime_ns, size)}
    return [f"{kind} {name}" for kind, names in (("filter", FILTERS), ("encoder", ENCODERS))
            for name in names if name not in listed[kind]]


def _names(listing: str) -> set[str]:
    # Lines like " ... alimiter          A->A       Audio lookahead limiter." or " A....D libmp3lame  ...": flags, name.
    return {parts[1] for line in listing.splitlines() if len(parts := line.split()) > 2}


def _ask(path: str, *args: str) -> str:
    """What ffmpeg prints for a query (`-version`, `-filters`): at most 30 s, or $PIPELINE_FFMPEG_TIMEOUT if less."""
    from pipeline.env import seconds

    limit = min(30.0, seconds(TIMEOUT_ENV, 30.0))
    asked = f"`{path} {' '.join(args)}`"
    try:
        out = subprocess.run([path, *args], capture_output=True, text=True, errors="replace", timeout=limit,
                             stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise PipelineError(f"ffmpeg took longer than {limit:g} s to answer {asked} and was stopped",
                            f"check that it is a working ffmpeg, or allow more time with {TIMEOUT_ENV}") from None
    except OSError as exc:
        raise PipelineError(f"cannot run ffmpeg ({path}): {exc.strerror or exc}", _CHOOSE) from None
    if out.returncode < 0:
        raise PipelineError(f"ffmpeg failed: {asked} was killed by {signal.Signals(-out.returncode).name}", _CHOOSE)
    return out.stdout


def require_encoder(name: str, why: str) -> None:
    """PipelineError unless the chosen ffmpeg has encoder `name`."""
    ff = find_ffmpeg()
    if not ff.has_encoder(name):
        raise PipelineError(f"{ff.describe()} has no {name} encoder, needed for {why}",
                            f"use an ffmpeg built with {name} (Debian's, or the imageio-ffmpeg wheel's): "
                            f"set {ENV}=system, wheel or a path; `pipeline doctor` shows what each has")


def file_arg(path: os.PathLike | str) -> str:
    """A local path as an ffmpeg input or output argument. ffmpeg reads `http:...`, `concat:...`, `subfile,...:`,
    `pipe:` and `-` as protocols, so a file or folder named like that (`http:/host/x.mp3` is a valid relative path)
    would make it open a network address or another file; `file:` pins the local file protocol."""
    return "file:" + os.fspath(path)


def run(
    args: Sequence[str],
    *,
    feed: Iterable[bytes] | None = None,
    timeout: float = 600.0,
    what: str = "ffmpeg",
    inputs: Sequence[Path | str] = (),
    output: Callable[[bytes], None] | None = None,
) -> str:
    """Run ffmpeg with `args`, optionally streaming `feed` into its stdin and what it writes to stdout (`pipe:1`)
    into `output`, chunk by chunk (read in a thread while the feed is written); return its log (stderr).

    stderr goes to a temp file, not a pipe, so a chatty ffmpeg can never deadlock the writer. A watchdog kills it
    after `timeout` seconds ($PIPELINE_FFMPEG_TIMEOUT overrides it). Every failure becomes a PipelineError naming
    `what`, the binary and its version, and ffmpeg's decisive line; the files in `inputs` (the user's, as opposed to
    streams and files the pipeline made itself) are blamed only when ffmpeg says they are at fault. ffmpeg stopped
    by Ctrl-C raises KeyboardInterrupt.
    """
    from pipeline.env import seconds

    timeout = seconds(TIMEOUT_ENV, timeout)
    ff = find_ffmpeg()
    # level+info: each line carries its level, so the first error line can be told from the noise (ffmpeg >= 4.0)
    cmd = [ff.path, "-hide_banner", "-nostats", "-loglevel", "level+info", "-threads", "1", "-filter_threads", "1"]
    if feed is None:
        cmd.append("-nostdin")
    cmd += list(args)
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE if output is not None else subprocess.DEVNULL, stderr=log,
                preexec_fn=preexec_die_with_parent(),  # a killed run leaves no ffmpeg writing (or hanging: the
            )                                          # watchdog that would stop it dies with us)
        except OSError as exc:
            raise PipelineError(f"cannot start ffmpeg ({ff.path}): {exc.strerror}", _INSTALL_FIX) from exc
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        reader = _Reader(proc, output) if output is not None else None
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
            if reader is not None:
                reader.join()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            watchdog.cancel()
        log.seek(0)
        tagged = log.read().decode("utf-8", "replace")
    text = _untag(tagged)
    if timed_out.is_set():
        raise PipelineError(f"{what}: {_describe(ff, probe=False)} took longer than {timeout:g} s and was stopped",
                            f"check that it is a working ffmpeg, or allow more time with {TIMEOUT_ENV}")
    if code == -signal.SIGINT or (code != 0 and "received signal 2" in text):
        raise KeyboardInterrupt  # Ctrl-C reached ffmpeg too: the run was interrupted, nothing failed
    if code < 0:  # killed by a signal: the program is broken, not the input
        raise PipelineError(f"{what}: {_describe(ff)} failed (killed by {signal.Signals(-code).name}): "
                            f"{_last_line(text)}", _other_ffmpeg(ff))
    if code != 0:
        raise diagnose(tagged, ff, what, code, inputs)
    return text


class _Reader(threading.Thread):
    """Hands ffmpeg's stdout to a callback as it comes; an error in the callback stops ffmpeg and is raised by
    `join`."""

    def __init__(self, proc: subprocess.Popen, output: Callable[[bytes], None]):
        super().__init__(daemon=True)
        self.proc, self.output, self.error = proc, output, None
        self.start()

    def run(self) -> None:
        try:
            for chunk in iter(lambda: self.proc.stdout.read(1 << 20), b""):
                self.output(chunk)
        except BaseException as exc:  # raised in the caller's thread by join()
            self.error = exc
            self.proc.kill()
        finally:
            self.proc.stdout.close()

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


_LEVEL = re.compile(r"^((?:\[[^\]]*\] )*?)\[(trace|debug|verbose|info|warning|error|fatal|panic)\] ", re.M)
_CONTEXT = re.compile(r"\[(?:Parsed_)?([\w#:/.-]+?)(?:_\d+)? @ 0x[0-9a-f]+\] ")
# Lines ffmpeg prints after the cause, saying only that something failed.
_GENERIC = re.compile(r"^(Conversion failed!|Error reinitializing filters!|Failed to inject frame|Error while "
                      r"(processing|filtering|decoding stream)|Error opening (input|output) files?[: ]|Error "
                      r"(initializing|configuring) (the )?(complex )?filter|Task finished with error|"
                      r"Terminating thread with return code|Nothing was written)", re.I)
# Said of an input file that is not (readable) audio; only blamed on files the user gave.
_INPUT_FAULT = re.compile(r"Invalid data found when processing input|could not find codec parameters|"
                          r"Error opening input|Header missing|Error while decoding|"
                          r"moov atom not found|Failed to read frame size", re.I)
_OUTPUT_FAULT = re.compile(r"No space left on device|Disk quota exceeded|Read-only file system", re.I)


def _untag(log: str) -> str:
    """The log as ffmpeg prints it without `-loglevel level`: callers parse meter readings from it."""
    return _LEVEL.sub(r"\1", log)


def diagnose(tagged_log: str, ff: Ffmpeg, what: str, code: int, inputs: Sequence[Path | str] = ()) -> PipelineError:
    """The one-line error for a failed ffmpeg call: the decisive line of its log, and who is at fault: a file the
    user gave (`inputs`), the output folder, or the ffmpeg build itself."""
    errors = []
    for line in tagged_log.splitlines():
        m = _LEVEL.match(line)
        if m and m.group(2) in ("error", "fatal", "panic"):
            errors.append(_CONTEXT.sub(lambda c: f"[{c.group(1)}] ", m.group(1) + line[m.end():]).strip())
    # ffmpeg logs the cause first, then lines that only say something failed: quote the cause.
    specific = [e for e in errors if not _GENERIC.match(re.sub(r"^\[[^\]]*\] ", "", e))] or errors
    names = [str(p) for p in inputs]
    about_input = [e for e in specific if names and (any(n in e for n in names) or e.startswith(("[in#", "[ist#", "[aist#"))
                                                     or _INPUT_FAULT.search(e))]
    line = (about_input or specific or [_last_line(_untag(tagged_log))])[0]
    if len(line) > 300:
        line = line[:299] + "…"
    failed = f"{what}: {_describe(ff)} failed (exit {code}): {line}"
    if _OUTPUT_FAULT.search(line):
        return PipelineError(failed, "free some space, or check the permissions of the output folder")
    if about_input:
        shown = ", ".join(Path(n).name for n in names)
        return PipelineError(failed, f"check that {shown} is a readable audio file, or re-create it")
    return PipelineError(failed, _other_ffmpeg(ff))


def _describe(ff: Ffmpeg, probe: bool = True) -> str:
    """`ffmpeg VERSION (origin: path)`; without the version when the binary cannot say it (or, for a binary that
    just hung, when it was not asked before)."""
    try:
        if probe or (ff.path, *_stamp(ff.path)) in _BUILDS:
            return ff.describe()
    except (PipelineError, OSError):
        pass
    return f"ffmpeg ({ff.source}: {ff.path})"


def _other_ffmpeg(ff: Ffmpeg) -> str:
    alt = "system" if ff.source == WHEEL else "wheel"
    return f"check it with `pipeline doctor`, or choose another ffmpeg with {ENV}={alt} or a path"


def _last_line(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"


def limiter(ceiling: float, rate: int, channels: int, attack_ms: float = 5.0, release_ms: float = 50.0) -> list[str]:
    """A lookahead limiter whose output lines up with its input, sample for sample, on every ffmpeg.

    alimiter delays the signal by its lookahead (and drops that much at the end); `latency=true` undoes that, but
    only from ffmpeg 4.4 on. So the delay is undone here, the same way on every version: pad the end, trim the start.
    The delay is alimiter's buffer (int(rate * attack * channels), a whole number of frames) less one frame,
    measured on ffmpeg 4.2 to 9.0 and checked by the tests.
    """
    buffer = int(rate * (attack_ms / 1000) * channels)
    delay = (buffer - buffer % channels) // channels - 1
    return [f"apad=pad_len={delay}",
            f"alimiter=limit={max(ceiling, 0.0625):.6f}:attack={attack_ms:g}:release={release_ms:g}:level=false",
            f"atrim=start_sample={delay}"]


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
