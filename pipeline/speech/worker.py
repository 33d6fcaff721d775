"""Synthesis in a separate process: a hang or a crash of the engine (C code) cannot take the pipeline with it.

Both sides of the protocol live here. The parent starts `python -m pipeline.speech.worker`, writes one JSON job
line ({"engine", "settings", "items": [[id, text], ...]}) to its stdin and reads frames from its stdout: a JSON
header line, then `nbytes` of 16-bit mono PCM. Headers: {"ready", "sample_rate"} once the engine is up, then
{"id", "nbytes"} per sentence in order, or {"error", "id"} if the engine refuses one. The parent gives the start
and every sentence `timeout_s`; on a timeout or an early exit it kills the worker and names the sentence.
"""

from __future__ import annotations

import contextlib
import importlib
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


def run_batch(
    engine: str, settings: dict[str, Any], items: Sequence[tuple[str, str]], *, timeout_s: float
) -> Iterator[tuple[str, int, bytes]]:
    """Synthesise `items` in one worker process; yield (id, sample_rate, pcm) per item, in order."""
    root = str(Path(__file__).resolve().parents[2])  # the folder holding this `pipeline` package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    job = json.dumps({"engine": engine, "settings": settings, "items": [list(i) for i in items]}, ensure_ascii=False)
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.speech.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env,
        )
        frames: queue.Queue = queue.Queue()
        threading.Thread(target=_read_frames, args=(proc.stdout, frames), daemon=True).start()
        try:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write(job.encode("utf-8") + b"\n")
                proc.stdin.close()
            header, _ = _next(frames, proc, stderr, timeout_s, "starting the speech engine", engine)
            rate = header["sample_rate"]
            for item_id, text in items:
                where = f"sentence {item_id!r} ({_snippet(text)})"
                header, pcm = _next(frames, proc, stderr, timeout_s, where, engine)
                if header.get("id") != item_id:
                    raise PipelineError(f"speech worker answered {header.get('id')!r} for {where}", "report this bug")
                yield item_id, rate, pcm
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def _next(frames: queue.Queue, proc, stderr, timeout_s: float, where: str, engine: str) -> tuple[dict, bytes]:
    try:
        frame = frames.get(timeout=timeout_s)
    except queue.Empty:
        proc.kill()
        raise PipelineError(
            f"speech engine {engine!r} hung on {where}: no audio after {timeout_s:g} s",
            "check that sentence for unusual input, or raise the timeout",
        ) from None
    if frame is None:  # stdout closed: the worker died
        code = proc.wait()
        stderr.seek(0)
        last = (stderr.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1][:300]
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        raise PipelineError(
            f"speech engine {engine!r} crashed on {where} ({how}){': ' + last if last else ''}",
            "check that sentence for unusual input; other sentences are unaffected",
        )
    header, pcm = frame
    if "error" in header:
        raise PipelineError(f"speech engine {engine!r} failed on {where}: {header['error']}", "fix the voice or the text")
    return header, pcm


def _read_frames(stream: BinaryIO, frames: queue.Queue) -> None:
    try:
        while line := stream.readline():
            header = json.loads(line)
            frames.put((header, stream.read(header.get("nbytes", 0))))
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
    job = json.loads(sys.stdin.buffer.readline())

    def send(header: dict, payload: bytes = b"") -> None:
        out.write(json.dumps({**header, "nbytes": len(payload)}).encode() + b"\n" + payload)
        out.flush()

    item_id = None
    try:
        module, _, name = _class_path(job["engine"]).partition(":")
        engine = getattr(importlib.import_module(module), name)(job["settings"])
        send({"ready": True, "sample_rate": engine.sample_rate})
        for item_id, text in job["items"]:
            send({"id": item_id}, engine.synth(text))
    except Exception as exc:  # reported to the parent as a message, which turns it into a PipelineError
        send({"error": f"{type(exc).__name__}: {exc}", "id": item_id})
        sys.exit(2)


def _class_path(engine: str) -> str:
    from pipeline.speech.engine import engine_class_path

    return engine_class_path(engine)


if __name__ == "__main__":
    main()
