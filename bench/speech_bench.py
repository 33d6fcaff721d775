"""Speech-stage speed per engine of the Korean voice: synthesis real-time factor with 1 and 2 worker processes
(engine start included: each run starts its workers cold), the workers' peak memory, and for eSpeak NG the overhead
of `pipeline speak` over calling eSpeak NG directly on the same Korean text.

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
from pipeline.speech.engines.espeak import Espeak
engine = Espeak({"voice_id": sys.argv[2], "rate": int(sys.argv[3]), "pitch": 50, "volume": 1.0})
pcm = engine.synth(open(sys.argv[1], encoding="utf-8").read())
with wave.open(sys.argv[4], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(engine.sample_rate); w.writeframes(pcm)
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from pipeline.speech import speech_input, split_sentences, synthesize
    from pipeline.speech.voices import load_voice

    text, source = korean_text()
    sentences = [s for p in text.split("\n\n") for s in split_sentences(p, "ko")]
    print(f"speech bench: {len(sentences)} Korean sentences from {source}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for choice in load_voice("ko").engines:
        if not choice.status().available:
            print(f"{choice.name}: not available here ({choice.status().reason})")
            continue
        voice = load_voice("ko").using(choice.name)
        items = [(f"s{i:03d}", speech_input(s, voice)) for i, s in enumerate(sentences)]
        print(f"\n{choice.name}: {voice.speaker().status.build}")
        repeat = REPEAT if choice.name == "espeak" else 1  # a neural engine takes minutes per run
        with tempfile.TemporaryDirectory(prefix="speech-bench-") as tmp:
            tmp = Path(tmp)
            for workers in (1, 2):
                clips = []
                rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                wall, cpu = timed(lambda: clips.append(synthesize(items, voice, tmp / f"w{workers}", workers=workers)), repeat)
                rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                audio = sum(c.duration for c in clips[-1])
                print(f"  synthesize, {workers} worker process{'es' if workers > 1 else ''}: wall {wall:.2f} s, CPU {cpu:.2f} s "
                      f"for {audio:.1f} s of audio: real-time factor {wall / audio:.4f} (CPU {cpu / audio:.4f}); "
                      f"worker peak RSS {rss / 1024:.0f} MB" + ("" if rss > rss_before else " (no higher than before)"))
            if choice.name == "espeak":
                _espeak_overhead(voice, tmp, env)


def _espeak_overhead(voice, tmp: Path, env: dict) -> None:
    text, _ = korean_text()
    text_file = tmp / "text.txt"
    text_file.write_text(text, encoding="utf-8")
    settings = voice.settings()

    def run(name: str, cmd: list[str], wav: str, **kw) -> tuple[float, float]:
        wall, cpu = timed(lambda: subprocess.run(cmd, check=True, capture_output=True, **kw))
        print(f"  {name}: wall {wall:.3f} s, CPU {cpu:.3f} s, {wav_seconds(tmp / wav):.1f} s of audio")
        return wall, cpu

    cli = [sys.executable, "-m", "pipeline", "speak", str(text_file), "--voice", "ko", "--engine", "espeak",
           "-o", str(tmp / "cli.wav")]
    w_cli, c_cli = run("pipeline speak --engine espeak (whole stage, new process)", cli, "cli.wav", env=env)
    direct = [sys.executable, "-c", DIRECT, str(text_file), settings["voice_id"], str(settings["rate"]), str(tmp / "d.wav")]
    w_dir, c_dir = run("one espeak_Synth call via ctypes, same library, new process", direct, "d.wav", env=env)
    print(f"  -> pipeline speak overhead: {w_cli / w_dir:.2f}x wall, {c_cli / c_dir:.2f}x CPU")
    binary = os.environ.get("ESPEAK_NG") or shutil.which("espeak-ng")
    if binary:
        cmd = [binary, "-v", settings["voice_id"], "-s", str(settings["rate"]), "-w", str(tmp / "e.wav"), "-f", str(text_file)]
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split("Data")[0]
        w_esp, c_esp = run(f"espeak-ng -w ({version.strip()})", cmd, "e.wav")
        print(f"  -> pipeline speak overhead: {w_cli / w_esp:.2f}x wall, {c_cli / c_esp:.2f}x CPU (aim <= 1.3x)")
    else:
        print("  espeak-ng -w: no espeak-ng binary on PATH (set $ESPEAK_NG); compared with the ctypes call above")


if __name__ == "__main__":
    main()
