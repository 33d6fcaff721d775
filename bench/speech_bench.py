"""Speech-stage speed: synthesis real-time factor (1 and 2 worker processes) and the overhead of `pipeline speak`
over calling eSpeak NG directly on the same Korean text.

Text: the approved Korean translation of the sample article (pipeline/samples/*.ko.po msgstrs) when the repo has
it, else bench/data/ko_dev_written.txt (the 40 Korean dev sentences, 5 per paragraph).

Direct baselines: `espeak-ng -w` when an `espeak-ng` binary is on PATH (or named by $ESPEAK_NG); always also one
`espeak_Synth` call through ctypes on the very library the pipeline uses, in a fresh Python process that writes the
WAV (same work as the CLI: start, synthesise the whole text, write a file).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 5


def korean_text() -> tuple[str, str]:
    for po in sorted((ROOT / "pipeline" / "samples").glob("*.ko.po")):
        import polib

        paragraphs: dict[str, list[str]] = {}
        for entry in polib.pofile(str(po)):
            # body sentences carry the extracted comment "paragraph N"; title and byline entries do not
            if entry.msgstr.strip() and not entry.obsolete and entry.comment.startswith("paragraph"):
                paragraphs.setdefault(entry.comment, []).append(entry.msgstr.strip())
        if paragraphs:
            return "\n\n".join(" ".join(s) for s in paragraphs.values()), f"pipeline/samples/{po.name}"
    lines = (ROOT / "bench" / "data" / "ko_dev_written.txt").read_text(encoding="utf-8").split("\n")
    lines = [line for line in lines if line.strip()]
    return "\n\n".join(" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)), "bench/data/ko_dev_written.txt"


def timed(fn, repeat: int = REPEAT) -> tuple[float, float]:
    """Best of `repeat` runs: (wall seconds, CPU seconds of this process and its children). The machine is shared,
    so the minimum is the least disturbed run, and CPU time is what the work itself costs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = _cpu()
        t = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu() - before)
    return min(walls), min(cpus)


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def wav_seconds(path: Path) -> float:
    import wave

    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


DIRECT = """
import sys, wave
from pipeline.speech.engine import EspeakEngine
engine = EspeakEngine({"voice_id": sys.argv[2], "rate": int(sys.argv[3]), "pitch": 50, "volume": 1.0})
pcm = engine.synth(open(sys.argv[1], encoding="utf-8").read())
with wave.open(sys.argv[4], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(engine.sample_rate); w.writeframes(pcm)
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from pipeline.speech import speech_input, split_sentences, synthesize
    from pipeline.speech.engine import engine_build
    from pipeline.speech.voices import load_voice

    voice = load_voice("ko")
    text, source = korean_text()
    sentences = [s for p in text.split("\n\n") for s in split_sentences(p, "ko")]
    items = [(f"s{i:03d}", speech_input(s, voice)) for i, s in enumerate(sentences)]
    print(f"speech bench: {len(items)} Korean sentences from {source}; voice ko ({voice.voice_id}, {voice.rate} wpm)")
    print(f"engine: {engine_build(voice.engine)}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="speech-bench-") as tmp:
        tmp = Path(tmp)
        text_file = tmp / "text.txt"
        text_file.write_text(text, encoding="utf-8")

        audio = sum(c.duration for c in synthesize(items, voice, tmp / "warm"))
        for workers in (1, 2):
            wall, cpu = timed(lambda: synthesize(items, voice, tmp / f"w{workers}", workers=workers))
            print(f"synthesize, {workers} worker process{'es' if workers > 1 else ' '}: wall {wall:.3f} s, CPU {cpu:.3f} s "
                  f"for {audio:.1f} s of audio: real-time factor {wall / audio:.4f} ({audio / wall:.0f}x real time)")

        def run(name: str, cmd: list[str], wav: str, **kw) -> tuple[float, float]:
            wall, cpu = timed(lambda: subprocess.run(cmd, check=True, capture_output=True, **kw))
            print(f"{name}: wall {wall:.3f} s, CPU {cpu:.3f} s, {wav_seconds(tmp / wav):.1f} s of audio")
            return wall, cpu

        cli = [sys.executable, "-m", "pipeline", "speak", str(text_file), "--voice", "ko", "-o", str(tmp / "cli.wav")]
        w_cli, c_cli = run("pipeline speak (whole stage, new process)", cli, "cli.wav", env=env)
        direct = [sys.executable, "-c", DIRECT, str(text_file), voice.voice_id, str(voice.rate), str(tmp / "d.wav")]
        w_dir, c_dir = run("one espeak_Synth call via ctypes, same library, new process", direct, "d.wav", env=env)
        print(f"  -> pipeline speak overhead: {w_cli / w_dir:.2f}x wall, {c_cli / c_dir:.2f}x CPU")
        binary = os.environ.get("ESPEAK_NG") or shutil.which("espeak-ng")
        if binary:
            cmd = [binary, "-v", voice.voice_id, "-s", str(voice.rate), "-w", str(tmp / "e.wav"), "-f", str(text_file)]
            version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split("Data")[0]
            w_esp, c_esp = run(f"espeak-ng -w ({version.strip()})", cmd, "e.wav")
            print(f"  -> pipeline speak overhead: {w_cli / w_esp:.2f}x wall, {c_cli / c_esp:.2f}x CPU (aim <= 1.3x)")
        else:
            print("espeak-ng -w: no espeak-ng binary on PATH (set $ESPEAK_NG); compared with the ctypes call above")


if __name__ == "__main__":
    main()
