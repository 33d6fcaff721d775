"""kill -9 at many points of a real `pipeline batch`, then a run to completion: after every kill, each output file
is either complete and matching its manifest's checksum or not claimed by any manifest; nothing half-written is
left once a run has finished.

Each round first edits one sentence of every article, so every round really re-synthesises, re-masters and swaps
in a new version over the previous one (the riskiest moment); the kill points spread over start-up, synthesis,
mastering, the swap and publishing, plus two aimed ones: the moment a temp file appears in the output, the
moment the first language folder is finished, and the moment all are (the batch is publishing).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 4

# (jobs, kill points): a number is a fraction of the time an uninterrupted round takes on this machine (measured
# first, so the points land inside the batch on a fast idle machine and a slow loaded one alike); "tmp" = as soon
# as a .tmp-* file shows in the output; "manifest" = as soon as a language folder's manifest.json is (re)written
# in this round; "all" = once every article's is, which is while the batch publishes (feeds, report, manifest).
PLANS = [
    (1, [0.1, 0.25, "tmp", 0.4, 0.6, "manifest", "all"]),
    (2, [0.3, "tmp", 0.45, "manifest", 0.6, 0.75, "all"]),
]


def write_articles(folder: Path, round_: int) -> None:
    folder.mkdir(exist_ok=True)
    for i in range(ARTICLES):
        (folder / f"a{i}.txt").write_text(
            f"Station Bulletin {i}\n\n"
            f"The transmitter in valley {i} was repaired this week. Engineers said the signal is clearer.\n\n"
            f"Listeners can tune in every evening, edition {round_ + 1}.\n"
        )


def batch_args(arts: Path, out: Path, cache: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "pipeline", "batch", str(arts), "--lang", "en", "--jobs", str(jobs),
            "--out", str(out), "--cache", str(cache), "--quiet"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_manifests(out: Path) -> tuple[int, int]:
    """Every file a manifest lists matches it; every non-temp file in a finished folder is listed.
    Returns (finished, unfinished) language folders."""
    finished = unfinished = 0
    for folder in out.glob("*/en"):
        manifest = folder / "manifest.json"
        if not manifest.exists():
            unfinished += 1
            continue
        listed = json.loads(manifest.read_text("utf-8"))["files"]
        for entry in listed:
            f = folder / entry["path"]
            assert f.stat().st_size == entry["bytes"] and sha256(f) == entry["sha256"], f
        present = {p.name for p in folder.iterdir() if not p.name.startswith(".tmp-")}
        assert present == {e["path"] for e in listed} | {"manifest.json"}, folder
        finished += 1
    root = out / "manifest.json"
    if root.exists():  # the run manifest, when there is one, is true too
        for entry in json.loads(root.read_text("utf-8"))["files"]:
            assert sha256(out / entry["path"]) == entry["sha256"], entry["path"]
    return finished, unfinished


def kill_at(args: list[str], point, out: Path, since: float) -> bool:
    """Start the batch, kill its whole process group at `point`; False when it finished first."""
    proc = subprocess.Popen(args, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < 60:
        if isinstance(point, float) and time.monotonic() - start >= point:
            break
        if point == "tmp" and any(out.glob("**/.tmp-*")):
            break
        fresh = [m for m in out.glob("*/en/manifest.json") if m.stat().st_mtime > since]
        if (point == "manifest" and fresh) or (point == "all" and len(fresh) == ARTICLES):
            break
        time.sleep(0.005)
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return not finished


@pytest.mark.parametrize("jobs, points", PLANS, ids=[f"jobs{j}" for j, _ in PLANS])
def test_kill_9_at_many_points_then_finish(tmp_path, jobs, points):
    arts, out, cache = tmp_path / "articles", tmp_path / "out", tmp_path / "cache"
    # Two uninterrupted rounds first: the previous version, and the time an edited round takes (warm cache).
    for round_ in (-2, -1):
        write_articles(arts, round_)
        start = time.monotonic()
        subprocess.run(batch_args(arts, out, cache, jobs), cwd=ROOT, check=True, timeout=120)
    round_time = time.monotonic() - start
    killed = []
    for round_, point in enumerate(points):
        write_articles(arts, round_)
        since = time.time()
        at = point * round_time if isinstance(point, float) else point
        if kill_at(batch_args(arts, out, cache, jobs), at, out, since):
            killed.append(point)
        state = check_manifests(out)
        temps = len([p for root in (out, cache) for p in root.rglob(".tmp-*")])
        print(f"jobs {jobs} round {round_} point {point}: finished/unfinished {state}, temp files {temps}")
    # The kills must have happened, or the test proved nothing. The timed points are fractions of a round measured
    # once, so on a loaded machine the later ones may come after the batch ends: one timed kill is enough; the kills
    # at events (a temporary file, a manifest) may miss one race.
    events = [p for p in points if not isinstance(p, float)]
    assert any(isinstance(p, float) for p in killed), f"the batch finished before every timed kill point: {killed}"
    assert sum(p in killed for p in events) >= len(events) - 1, f"the batch finished before the events: {killed}"

    r = subprocess.run(batch_args(arts, out, cache, jobs), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert check_manifests(out) == (ARTICLES, 0)
    for i in range(ARTICLES):  # the last version, not an earlier one left over
        text = (out / f"station-bulletin-{i}" / "en" / f"station-bulletin-{i}.en.txt").read_text("utf-8")
        assert f"edition {len(points)}." in text
    leftovers = [p for root in (out, cache) for p in root.rglob(".tmp-*")]
    assert not leftovers, leftovers
