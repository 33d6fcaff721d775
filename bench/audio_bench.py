"""Mastering + encoding speed (multiple of real time) and peak memory, on one core.

    python -m bench.audio_bench [--minutes 10] [--long-minutes 120] [--profiles podcast,...]

Each case runs in a fresh process pinned to one CPU (ffmpeg is a child, so it is pinned too), so peak RSS is that
case's alone: `python` is this process (clip streaming), `ffmpeg` the largest ffmpeg child.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audio_signals import RATE, speechlike  # noqa: E402 - the test suite's speech-like signal, one definition


PAUSE_S = 0.4  # between sentences, as a voice would ask


def _clips(folder: Path, minutes: float) -> list[Path]:
    """20 distinct sentence WAVs (4-8 s), repeated in order until the programme is `minutes` long."""
    files, lengths = [], []
    for i in range(20):
        seconds = 4 + (i % 5)
        path = folder / f"s{i:02d}.wav"
        sf.write(str(path), speechlike(seconds, seed=i), RATE, subtype="PCM_16")
        files.append(path)
        lengths.append(seconds + PAUSE_S)
    clips, total, k = [], 0.0, 0
    while total < minutes * 60:
        clips.append(files[k % 20])
        total += lengths[k % 20]
        k += 1
    return clips


def one(profile_name: str, minutes: float) -> dict:
    from pipeline.audio.ffmpeg import find_ffmpeg
    from pipeline.audio.master import master
    from pipeline.audio.profiles import load_profile

    profile = load_profile(profile_name)
    with tempfile.TemporaryDirectory() as tmp:
        clips = _clips(Path(tmp), minutes)
        out = Path(tmp) / f"programme{profile.suffix}"
        watcher = _ChildPeak()
        wall, cpu = time.perf_counter(), _cpu()
        prog = master(clips, profile, out, pauses=[PAUSE_S] * (len(clips) - 1))
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        watcher.stop()
        size = out.stat().st_size
    return {
        "profile": profile_name, "audio_s": prog.duration, "clips": len(clips), "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2), "x_realtime": round(prog.duration / wall, 1),
        "x_realtime_cpu": round(prog.duration / cpu, 1),
        "rss_python_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_ffmpeg_mb": round(watcher.peak_kb / 1024, 1),
        "loudness_lufs": prog.loudness_lufs, "true_peak_dbtp": prog.true_peak_dbtp, "passed": prog.passed,
        "bytes": size, "ffmpeg": find_ffmpeg().source,
    }


class _ChildPeak:
    """Highest VmHWM of any child process, polled from /proc. (RUSAGE_CHILDREN's maxrss is useless here: a child
    forked from a big Python inherits the parent's high-water mark.)"""

    def __init__(self, every: float = 0.02):
        self.peak_kb, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(every,), daemon=True)
        self._thread.start()

    def _poll(self, every: float) -> None:
        me = os.getpid()
        while not self._stop.wait(every):
            for task in Path(f"/proc/{me}/task").iterdir():
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                for pid in children:
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue
                    for line in status.splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime


def _case(profile: str, minutes: float) -> dict:
    cmd = [sys.executable, "-m", "bench.audio_bench", "--one", profile, "--minutes", str(minutes)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if r.returncode != 0:
        return {"profile": profile, "error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(r.stdout)


def _show(label: str, r: dict) -> None:
    if "error" in r:
        print(f"{label:<26} {r['profile']:<13} ERROR {r['error']}")
        return
    print(f"{label:<26} {r['profile']:<13} {r['audio_s']:8.0f} s audio  {r['wall_s']:6.2f} s wall  "
          f"{r['x_realtime']:6.1f}x real time ({r['x_realtime_cpu']:.1f}x per CPU-second)  "
          f"peak RSS python {r['rss_python_mb']:.0f} MB, ffmpeg {r['rss_ffmpeg_mb']:.0f} MB  "
          f"{r['loudness_lufs']:.1f} LUFS {r['true_peak_dbtp']:.1f} dBTP {'pass' if r['passed'] else 'FAIL'}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--long-minutes", type=float, default=120, help="0 to skip the long programme")
    ap.add_argument("--profiles", default="podcast,ebu-r128,us-pubradio,am-shortwave")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):  # one core for this process and its ffmpeg children
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    if args.one:
        print(json.dumps(one(args.one, args.minutes)))
        return
    print(f"audio mastering + encoding, one core, {args.minutes:g}-minute programme of 22.05 kHz speech-like clips")
    for name in args.profiles.split(","):
        _show(f"{args.minutes:g} min", _case(name, args.minutes))
    if args.long_minutes:
        _show(f"{args.long_minutes:g} min (memory check)", _case("podcast", args.long_minutes))


if __name__ == "__main__":
    main()
