"""End-to-end speed: the sample in English and Korean cold, warm and after one edited sentence; a batch with 1 vs 2
jobs.

    python -m bench.e2e_bench [--articles 20] [--skip-batch] [--single en,ko]

Every run is the real CLI in a subprocess, as a user runs it. The batch translates with test models built like the
test suite's (exact copy models: real CTranslate2 inference, no download), so any machine can reproduce it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
GOLD = ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json"


def timed(args: list[str], env: dict) -> tuple[float, dict | list]:
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline", *args, "--json"], capture_output=True, text=True,
                       cwd=ROOT, env={**os.environ, **env})
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise RuntimeError(f"pipeline {' '.join(args[:2])} failed: {r.stderr.strip()}")
    return elapsed, json.loads(r.stdout)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def single(tmp: Path, lang: str) -> None:
    """One article cold, warm, and after one edited sentence: for Korean a translator's correction in the PO file
    (Kokoro voice), for English a sentence of the article itself (eSpeak NG). One sentence to re-synthesise; the
    programme's gain comes from the clips' cached loudness statistics, so only the new clip is metered before
    the encode (the only full-length pass) and the encoded file's measurement."""
    tmp = tmp / lang
    tmp.mkdir()
    src = tmp / SAMPLE.name
    shutil.copy(SAMPLE, src)
    po = src.with_name(f"{src.stem}.ko.po")
    shutil.copy(SAMPLE.with_name(po.name), po)
    args = ["run", str(src), "--lang", lang, "--out", str(tmp / "out"), "--cache", str(tmp / "cache")]
    cold, _ = timed(args, {})
    warm, (w,) = timed(args, {})
    if lang == "ko":
        catalog = polib.pofile(str(po))
        entry = next(e for e in catalog if e.msgctxt not in ("title", "author", "author_role", "source"))
        entry.msgstr = entry.msgstr.rstrip(".") + ", 이것이 현실입니다."
        catalog.save()
    else:
        sentence = "Recently, headlines were dominated by news of Pyongyang's assistance to Syria"
        text = src.read_text("utf-8")
        assert sentence in text
        src.write_text(text.replace(sentence, sentence.replace("Recently", "In recent weeks")), "utf-8")
    edited, (e,) = timed(args, {})
    print(f"sample -> {lang}, {w['duration']:.0f} s of audio")
    print(f"  cold end to end        {cold:6.2f} s")
    print(f"  warm, nothing changed  {warm:6.2f} s   (synthesised {w['synthesized']}, re-mastered {w['mastered']}; aim < 1 s)")
    print(f"  one sentence edited    {edited:6.2f} s   (synthesised {e['synthesized']}, re-mastered {e['mastered']}; aim < 2 s)")
    print(f"  peak memory (largest process) {peak_mb():.0f} MB")


def articles(folder: Path, n: int) -> list[Path]:
    """N distinct articles of three paragraphs each, cut from the sample's body."""
    paragraphs = json.loads(GOLD.read_text("utf-8"))["paragraphs"]
    folder.mkdir(parents=True)
    made = []
    for i in range(n):
        body = [paragraphs[(i + k) % len(paragraphs)] for k in range(3)]
        path = folder / f"story-{i:02d}.txt"
        path.write_text(f"Bulletin {i + 1}: Voices From The North\n\nBy Kim Min-ji, Reporter\nMay {1 + i % 28}, 2008\n\n"
                        + "\n\n".join(body) + "\n", "utf-8")
        made.append(path)
    return made


def batch(tmp: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import argos_model  # the test suite's exact copy models: real inference, built in well under a second

    env = {"ARGOS_PACKAGES_DIR": str(tmp / "packages")}
    for to in ("ko", "ru"):
        subprocess.run([sys.executable, "-m", "pipeline", "models", "install", "--file",
                        str(argos_model.package("en", to))], check=True, cwd=ROOT, env={**os.environ, **env},
                       capture_output=True)
    arts = articles(tmp / "articles", n)
    times = {}
    for jobs in (1, 2):
        # The copy models give English text for ko and ru: it fails the translation checks, so air it flagged.
        args = ["batch", str(tmp / "articles"), "--lang", "en,ko,ru", "--air", "flagged", "--jobs", str(jobs),
                "--out", str(tmp / f"out{jobs}"), "--cache", str(tmp / f"cache{jobs}")]
        times[jobs], results = timed(args, env)
        audio = sum(r["result"]["duration"] for r in results)
        print(f"batch {len(arts)} articles x 3 languages, --jobs {jobs}: {times[jobs]:6.1f} s "
              f"({audio / 60:.0f} min of audio, {audio / times[jobs]:.0f}x real time)")
    print(f"  speed-up with 2 jobs: {times[1] / times[2]:.2f}x (aim >= 1.7x on 2 cores)")
    print(f"  peak memory (largest process) {peak_mb():.0f} MB")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.e2e_bench")
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--single", default="en,ko", help="languages of the one-article runs (en: eSpeak NG, ko: Kokoro)")
    a = ap.parse_args(argv if argv is not None else [])
    with tempfile.TemporaryDirectory(prefix="e2e-bench-") as tmp:
        for lang in filter(None, a.single.split(",")):
            single(Path(tmp), lang)
        if not a.skip_batch:
            batch(Path(tmp), a.articles)


if __name__ == "__main__":
    main(sys.argv[1:])
