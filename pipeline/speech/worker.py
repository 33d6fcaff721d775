"""Synthesis in a separate process: a hang or a crash of the engine (C code) cannot take the pipeline with it.

Both sides of the protocol live here. The parent starts a Python process running `main` below and writes two JSON
lines to its stdin: {"engine", "settings"} at once (the engine loads while the parent prepares the text), then
{"items": [[id, text], ...]}. It reads frames from the worker's stdout: a JSON header line, then `nbytes` of
16-bit mono PCM. Headers: {"ready", "sample_rate"} once the engine is up, then
{"id", "nbytes"} per sentence in order, or {"error", "id"} if the engine refuses one. The parent gives the start
and every sentence `timeout_s`; on a timeout or an early exit it kills the worker and names the sentence.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.errors import PipelineError


THREADS_ENV = "PIPELINE_SPEECH_THREADS"  # threads an engine may use in a worker (onnxruntime): the user's, else the parent's
START_S = 120.0  # a model loads in about a second; a loaded machine can take far longer
_BOOT = "import sys, json; sys.path[:] = json.loads(sys.argv[1]); from pipeline.speech.worker import main; main()"


def import_path() -> list[str]:
    """This process's import path without the entries that stand for the current folder, all made absolute."""
    here = os.getcwd()
    paths = []
    for entry in sys.path:
        if not entry or not os.path.isabs(entry) or os.path.realpath(entry) == os.path.realpath(here):
            continue
        paths.append(entry)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding this `pipeline` package
    return [root, *[p for p in paths if p != root]]


class Worker:
    """One engine process. It starts (and loads the engine) as soon as it is created, so a caller can prepare the
    text meanwhile; `run` then feeds it one batch. Use as a context manager: leaving kills it if still running."""

    def __init__(self, engine: str, settings: dict[str, Any], threads: int = 1) -> None:
        self.engine = engine
        self._stderr = tempfile.TemporaryFile()
        env = {THREADS_ENV: str(threads), **os.environ}  # the user's setting wins
        self._proc = subprocess.Popen(
            # -I: the worker's import path is exactly `import_path()`; never the current folder, PYTHONPATH or the
            # user's site-packages, so a queue.py or json.py lying in the folder a user runs from is not executed.
            # Not `-m pipeline.speech.worker`: the package imports this module first, and runpy's warning about
            # that would be the last stderr line a crash report shows instead of the engine's own.
            [sys.executable, "-I", "-c", _BOOT, json.dumps(import_path())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
        )
        self._frames: queue.Queue = queue.Queue()
        threading.Thread(target=_read_frames, args=(self._proc.stdout, self._frames), daemon=True).start()
        self._send({"engine": engine, "settings": settings})

    def _send(self, message: dict, last: bool = False) -> None:
        with contextlib.suppress(OSError, ValueError):  # a dead or killed worker is reported by `run`
            self._proc.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            self._proc.stdin.flush()
            if last:
                self._proc.stdin.close()

    def run(self, items: Sequence[tuple[str, str]], *, timeout_s: float) -> Iterator[tuple[str, int, bytes]]:
        """Synthesise `items`; yield (id, sample_rate, pcm) per item, in order.

        A sentence may take `timeout_s` per 100 characters of engine input (at least `timeout_s`): a neural engine
        needs time in proportion to the text. Starting the engine (loading a model) may take `START_S` at least."""
        # Written from a thread: a batch larger than the pipe buffer must not block us if the engine hangs at start.
        threading.Thread(target=self._send, args=({"items": [list(i) for i in items]}, True), daemon=True).start()
        try:
            header, _ = self._next(max(timeout_s, START_S), "starting the speech engine")
            rate = header["sample_rate"]
            for item_id, text in items:
                where = f"sentence {item_id!r} ({_snippet(text)})"
                header, pcm = self._next(timeout_s * max(1.0, len(text) / 100), where)
                if header.get("id") != item_id:
                    raise PipelineError(f"speech worker answered {header.get('id')!r} for {where}", "report this bug")
                yield item_id, rate, pcm
        finally:
            self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._stderr.close()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _next(self, timeout_s: float, where: str) -> tuple[dict, bytes]:
        try:
            frame = self._frames.get(timeout=timeout_s)
        except queue.Empty:
            self._proc.kill()
            raise PipelineError(
                f"speech engine {self.engine!r} hung on {where}: no audio after {timeout_s:g} s",
                "check that sentence for unusual input, or raise the timeout",
            ) from None
        if frame is None:  # stdout closed: the worker died
            code = self._proc.wait()
            self._stderr.seek(0)
            last = (self._stderr.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1][:300]
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            raise PipelineError(
                f"speech engine {self.engine!r} crashed on {where} ({how}){': ' + last if last else ''}",
                "check that sentence for unusual input; other sentences are unaffected",
            )
        header, pcm = frame
        if "error" in header:
            raise PipelineError(
                f"speech engine {self.engine!r} failed on {where}: {header['error']}", "fix the voice or the text"
            )
        return header, pcm


def _read_frames(stream: BinaryIO, frames: queue.Queue) -> None:
    try:
        while line := stream.readline():
            header = json.loads(line)
            payload = stream.read(header.get("nbytes", 0))
            if len(payload) != header.get("nbytes", 0):  # cut off mid-frame: the worker died
                break
            frames.put((header, payload))
    except (ValueError, OSError):
        pass
    frames.put(None)


def _snippet(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- worker side -------------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    # Linux: a worker whose parent was killed gets SIGKILL instead of hanging on forever.
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def main() -> None:
    _die_with_parent()
    # Frames go to a private copy of stdout; fd 1 is pointed at stderr so nothing the engine prints can corrupt them.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    start = json.loads(sys.stdin.buffer.readline())

    def send(header: dict, payload: bytes = b"") -> None:
        out.write(json.dumps({**header, "nbytes": len(payload)}).encode() + b"\n" + payload)
        out.flush()

    item_id = None
    try:
        from pipeline.speech.engines import engine_class

        engine = engine_class(start["engine"])(start["settings"])
        send({"ready": True, "sample_rate": engine.sample_rate})
        line = sys.stdin.buffer.readline()
        for item_id, text in json.loads(line)["items"] if line else ():
            send({"id": item_id}, engine.synth(text))
    except Exception as exc:  # reported to the parent as a message, which turns it into a PipelineError
        send({"error": f"{type(exc).__name__}: {exc}", "id": item_id})
        sys.exit(2)


if __name__ == "__main__":
    main()
