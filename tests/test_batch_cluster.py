"""`pipeline batch --scheduler`: the batch on a real Dask cluster, a scheduler and two workers started here on
loopback as separate processes (`dask scheduler`, `dask worker`), as a station would start them on its machines."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from test_reliability_hostile import sha, verify

distributed = pytest.importorskip("distributed")  # in the test extra; skipped only where it was left out

ROOT = Path(__file__).resolve().parents[1]
FAKE_ENGINE_DIR = ROOT / "tests" / "data" / "reliability"
SLUG = "rice-prices-rise-0"


def article(path: Path, title: str, edition: str = "one") -> Path:
    # Every sentence names its article: eSpeak NG's clip of a sentence differs by a few samples with what its process
    # spoke before, so two jobs racing to cache one shared sentence could make two equal batches differ (docs/speech.md).
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                    f"<p>Rice prices in the markets of Pyongyang rose again this week, traders told {title}.</p>"
                    f"<p>The rise follows a poor harvest in the north, officials said in {title} edition {edition}.</p>"
                    "</article></body></html>", "utf-8")
    return path


def articles(folder: Path) -> Path:
    for i in range(2):
        article(folder / f"a{i}.html", f"Rice Prices Rise {i}")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stamps(out: Path) -> dict[str, tuple[int, str]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, sha(p)) for p in sorted(out.rglob("*")) if p.is_file()}


def children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return kids


class Loopback:
    """A Dask scheduler and two workers (one process of one thread each), separate process groups on 127.0.0.1.
    WORKER_ENV: what the workers' machines have (their voices, their caches)."""

    def __init__(self, tmp: Path, worker_env: dict[str, str], workers: int = 2) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.procs: list[subprocess.Popen] = []
        self.log = tmp / "cluster.log"
        try:
            self._up(tmp, worker_env, workers)
        except BaseException:  # nothing left running when the cluster could not start
            self.close()
            raise

    def _up(self, tmp: Path, worker_env: dict[str, str], workers: int) -> None:
        self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
                     "--no-dashboard"], {})
        for i in range(workers):
            self._start(["distributed.cli.dask_worker", self.address, "--nworkers", "1", "--nthreads", "1",
                         "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}",
                         "--local-directory", str(tmp / f"dask-w{i}")],
                        {"PIPELINE_CACHE_DIR": str(tmp / f"worker-cache-{i}"), **worker_env})
        with self.client() as client:  # the scheduler answers, and the workers are in
            if workers:
                client.wait_for_workers(workers, timeout=120)

    def _start(self, args: list[str], env: dict[str, str]) -> None:
        with open(self.log, "ab") as log:
            self.procs.append(subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env={**os.environ, **env},
                                               stdout=log, stderr=log, start_new_session=True))

    def client(self):
        return distributed.Client(self.address, timeout=60, set_as_default=False)

    def close(self) -> None:
        for proc in self.procs:  # the workers' own children (nanny -> worker -> speech) are in their groups
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def worker_env(voices: Path, **extra: str) -> dict[str, str]:
    return {"PIPELINE_VOICES_DIR": str(voices), **extra}


def only_voice(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "en.toml").write_text(text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, espeak_voices):
    """Workers whose machines have the eSpeak NG English voice and nothing else."""
    tmp = tmp_path_factory.mktemp("cluster")
    voices = only_voice(tmp / "voices", (espeak_voices / "en.toml").read_text("utf-8"))
    c = Loopback(tmp, worker_env(voices))
    yield c
    c.close()


def batch(inputs: Path, out: Path, *extra, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "batch", str(inputs), "--lang", "en", "--out", str(out),
                           *map(str, extra)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def test_a_batch_on_a_cluster_gives_what_the_local_batch_gives_and_resumes_through_the_cache(cluster, tmp_path):
    arts = articles(tmp_path / "arts")
    shared = tmp_path / "shared-cache"  # one folder every worker (and here, the submitter) sees at this path
    out = tmp_path / "out"
    r = batch(arts, out, "--scheduler", cluster.address, "--cache", shared, "--base-url", "https://radio.example/pod",
              "--json")
    assert r.returncode == 0, r.stderr
    jobs = json.loads(r.stdout)
    assert [j["error"] for j in jobs] == [None, None] and all(j["result"]["synthesized"] > 0 for j in jobs)
    manifests = verify(out)
    assert sorted(m["slug"] for m in manifests) == ["rice-prices-rise-0", "rice-prices-rise-1"]
    assert (out / "feed.en.xml").is_file() and (out / "index.html").is_file() and (out / "manifest.json").is_file()
    assert all(j["result"]["folder"].startswith(str(out)) for j in jobs)  # this machine's paths, not a worker's

    local = tmp_path / "local"
    r = batch(arts, local, "--jobs", "2", "--cache", tmp_path / "local-cache")
    assert r.returncode == 0, r.stderr
    for m in manifests:  # the same programme, transcript and subtitles as a local batch makes
        folder = f"{m['slug']}/en"
        for name in ("txt", "srt", "vtt"):
            f = f"{folder}/{m['slug']}.en.{name}"
            assert (out / f).read_bytes() == (local / f).read_bytes(), f
        mine = json.loads((local / folder / "manifest.json").read_text("utf-8"))
        assert [f["duration_s"] for f in m["files"] if "duration_s" in f] == \
            [f["duration_s"] for f in mine["files"] if "duration_s" in f]

    before = stamps(out)
    r = batch(arts, out, "--scheduler", cluster.address, "--cache", shared, "--json")
    assert r.returncode == 0, r.stderr
    assert [j["result"]["synthesized"] for j in json.loads(r.stdout)] == [0, 0]  # every clip from the shared cache
    after = stamps(out)
    for name, stamp in before.items():  # the finished folders are left alone: same bytes, not even rewritten
        if name.startswith("rice-prices-rise-") and "/en/" in name:
            assert after[name] == stamp, name


def test_a_worker_killed_mid_task_loses_nothing(tmp_path):
    """Slow speech keeps a task busy; its worker is killed while it speaks. The scheduler runs the task again on
    the other worker, and the batch ends with every output whole. No shared cache here: each worker has its own."""
    arts = articles(tmp_path / "arts")
    voices = only_voice(tmp_path / "voices", 'language = "en"\nengines = ["broken_engines:SlowEngine"]\n')
    path = os.pathsep.join(filter(None, [str(FAKE_ENGINE_DIR), os.environ.get("PYTHONPATH")]))
    loop = Loopback(tmp_path, worker_env(voices, SLOW_ENGINE_S="1", PYTHONPATH=path))
    out = tmp_path / "out"
    try:
        run = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(arts), "--lang", "en", "--out",
                                str(out), "--scheduler", loop.address, "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PIPELINE_VOICES_DIR": str(voices),
                                                                       "PYTHONPATH": path})
        with loop.client() as client:
            pids = client.run(os.getpid)
            victim = None
            while victim is None and run.poll() is None:  # a worker on a batch task, its speech process started
                busy = [w for w, keys in client.processing().items() if any(str(k).startswith("pipeline-") for k in keys)]
                victim = next((pids[w] for w in busy if w in pids and children(pids[w])), None)
                time.sleep(0.05)
            assert victim is not None, "the batch ended before a worker could be killed"
            os.kill(victim, signal.SIGKILL)
            stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
        assert [j["error"] for j in json.loads(stdout)] == [None, None]
        manifests = verify(out)
        assert len(manifests) == 2 and all(m["files"] for m in manifests)
        assert not [p for p in out.rglob("*") if p.name.startswith(".tmp-")]
    finally:
        if run.poll() is None:
            run.kill()
        loop.close()


def test_a_worker_lacking_a_voice_refuses_the_batch_before_any_job(cluster, tmp_path):
    arts = articles(tmp_path / "arts")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(arts), "--lang", "ru", "--out", str(out),
                        "--scheduler", cluster.address, "--cache", tmp_path / "cache", "--quiet"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: worker tcp://127.0.0.1:"), r.stderr
    assert "voices" in lines[0] and "'ru'" in lines[0] and "translation model en->ru" in lines[0]
    assert lines[0].count("worker tcp://") == 2  # both workers named
    assert not list(out.glob("*/*/manifest.json"))


def test_a_worker_whose_profile_differs_from_this_machines_is_refused(cluster, tmp_path):
    """This machine's podcast profile is a file of its own (a profiles folder); the workers' is the shipped one. The
    same settings at another path are the same profile; aiming at -18 LUFS instead of -16 is not."""
    shipped = (ROOT / "pipeline" / "audio" / "profiles" / "podcast.toml").read_text("utf-8")
    assert "loudness_lufs = -16" in shipped
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "podcast.toml").write_text(shipped)
    arts, out, env = articles(tmp_path / "arts"), tmp_path / "out", {"PIPELINE_PROFILES_DIR": str(tmp_path / "profiles")}
    r = batch(arts, tmp_path / "same", "--scheduler", cluster.address, "--cache", tmp_path / "cache", "--quiet", env=env)
    assert r.returncode == 0, r.stderr
    (tmp_path / "profiles" / "podcast.toml").write_text(shipped.replace("loudness_lufs = -16", "loudness_lufs = -18"))
    r = batch(arts, out, "--scheduler", cluster.address, "--cache", tmp_path / "cache", "--quiet", env=env)
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "profile podcast as the submitting machine has it (its settings differ)" in r.stderr
    assert r.stderr.count("worker tcp://") == 2 and "voice" not in r.stderr  # that is all they lack
    assert not list(out.glob("*/*/manifest.json"))


@pytest.mark.parametrize("address, words", [
    ("tcp//127.0.0.1:8786", "is not a scheduler address"),
    ("tcp://127.0.0.1:{port}", "cannot reach the Dask scheduler"),
])
def test_a_bad_scheduler_address_is_one_error_and_leaves_the_folder_alone(tmp_path, address, words):
    arts = articles(tmp_path / "arts")
    out = tmp_path / "out"
    r = batch(arts, out, "--jobs", "1", "--cache", tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    before = stamps(out)
    r = batch(arts, out, "--scheduler", address.format(port=free_port()), "--cache", tmp_path / "cache",
              "--quiet", env={"PIPELINE_SCHEDULER_TIMEOUT": "3"})
    assert r.returncode != 0
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1 and words in r.stderr, r.stderr
    assert stamps(out) == before


def test_a_scheduler_without_workers_is_one_error(tmp_path):
    loop = Loopback(tmp_path, {}, workers=0)
    try:
        r = batch(articles(tmp_path / "arts"), tmp_path / "out", "--scheduler", loop.address, "--quiet")
    finally:
        loop.close()
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith(f"error: no workers are connected to the scheduler at {loop.address}")
    assert not list((tmp_path / "out").glob("*/*/manifest.json"))


def test_jobs_and_scheduler_together_are_refused(tmp_path):
    r = batch(articles(tmp_path / "arts"), tmp_path / "out", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert r.returncode != 0 and r.stderr.startswith("error: --jobs") and len(r.stderr.strip().splitlines()) == 1


# --- what a worker sends back is checked before anything is written ---------------------------------------------


def finished_files(out: Path) -> list[tuple[str, bytes]]:
    folder = out / SLUG / "en"
    return [(f"{SLUG}/en/{p.name}", p.read_bytes()) for p in sorted(folder.iterdir())]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A finished language folder, made by a local batch: what an honest worker would send."""
    tmp = tmp_path_factory.mktemp("made")
    out = tmp / "out"
    r = batch(article(tmp / "arts" / "a0.html", "Rice Prices Rise 0"), out, "--jobs", "1", "--cache", tmp / "cache")
    assert r.returncode == 0, r.stderr
    return finished_files(out)


@pytest.mark.parametrize("bad", [
    "/etc/passwd", f"{SLUG}/en/../../../escape.txt", f"{SLUG}/../other/en/{SLUG}.en.txt", f"other/en/{SLUG}.en.txt",
    f"{SLUG}/ko/{SLUG}.ko.txt", f"{SLUG}/en/sub/{SLUG}.en.txt", f"{SLUG}/en/.bashrc", f"{SLUG}/en/index.html",
    f"{SLUG}\\en\\{SLUG}.en.txt", f"{SLUG}/en/other.en.txt",
])
def test_a_file_outside_the_language_folder_is_refused(made, bad):
    from pipeline.cluster import checked

    assert checked(made, SLUG, "en")  # the honest set passes
    with pytest.raises(PipelineError, match="nothing of it was written"):
        checked([*made, (bad, b"x")], SLUG, "en")


def test_files_must_be_the_ones_their_manifest_lists(made):
    from pipeline.cluster import checked

    texts = [i for i, (p, _) in enumerate(made) if p.endswith(".txt")]
    tampered = list(made)
    tampered[texts[0]] = (made[texts[0]][0], b"another text")
    with pytest.raises(PipelineError, match="another checksum"):
        checked(tampered, SLUG, "en")
    with pytest.raises(PipelineError, match="manifest lists"):
        checked([f for f in made if not f[0].endswith(".srt")], SLUG, "en")
    with pytest.raises(PipelineError, match="no readable manifest"):
        checked([f for f in made if not f[0].endswith("manifest.json")], SLUG, "en")
    with pytest.raises(PipelineError, match="not this article's"):  # another article's files, renamed to fit
        checked([(p.replace(SLUG, "rice-prices-rise-9"), d) for p, d in made], "rice-prices-rise-9", "en")


def test_a_refused_delivery_writes_nothing(made, tmp_path):
    from pipeline import cache
    from pipeline.batch import Job
    from pipeline.cluster import Delivered, deliver
    from pipeline.run import RunConfig, load_article

    src = article(tmp_path / "a0.html", "Rice Prices Rise 0")
    job = Job(str(src), "en", load_article(str(src))[0], src)
    out = tmp_path / "out"
    config = RunConfig(out=out, cache_dir=tmp_path / "cache")
    with cache.folder_lock(out):
        r = deliver(job, Delivered("tcp://evil:1", None, (*made, ("../../escape.txt", b"x"))), config)
        assert r.error and "not a file of" in r.error and "tcp://evil:1" in r.error
        assert not list(out.rglob("*")) and not (tmp_path / "escape.txt").exists()


def test_translation_and_review_happen_on_the_workers_and_their_po_comes_back(tmp_path, espeak_voices):
    """The workers have the model (a test copy model, en->ko) and the Korean voice; the submitting machine has no
    model at all. The review PO the workers write comes back to --review, and an approved PO beside an article
    goes to the workers with its job."""
    import polib

    import argos_model

    packages = tmp_path / "packages"
    r = subprocess.run([sys.executable, "-m", "pipeline", "models", "install", "--file", argos_model.package("en", "ko")],
                       capture_output=True, text=True, cwd=ROOT, env={**os.environ, "ARGOS_PACKAGES_DIR": str(packages)})
    assert r.returncode == 0, r.stderr
    voices = only_voice(tmp_path / "voices", "")
    (voices / "en.toml").unlink()
    (voices / "ko.toml").write_text((espeak_voices / "ko.toml").read_text("utf-8"), "utf-8")
    loop = Loopback(tmp_path, worker_env(voices, ARGOS_PACKAGES_DIR=str(packages)))
    arts, review, out = articles(tmp_path / "arts"), tmp_path / "review", tmp_path / "out"

    def submit() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline", "batch", str(arts), "--lang", "ko", "--out", str(out),
                               "--review", str(review), "--air", "flagged", "--scheduler", loop.address, "--quiet"],
                              capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
    try:
        r = submit()
        assert r.returncode == 0, r.stderr
        po = polib.pofile(str(review / f"{SLUG}.ko.po"))
        machine = [e for e in po if e.msgstr]
        assert machine and all(e.fuzzy for e in machine)  # the workers' machine output, for a translator
        meta = json.loads((out / SLUG / "ko" / "manifest.json").read_text("utf-8"))
        assert {s["origin"] for s in meta["sentences"]} == {"machine"}

        approved = polib.POFile()  # a translator approves one sentence, in a PO file beside the article
        entry = machine[-1]
        approved.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="승인된 번역입니다."))
        approved.save(str(arts / "a0.ko.po"))
        r = submit()
        assert r.returncode == 0, r.stderr
        meta = json.loads((out / SLUG / "ko" / "manifest.json").read_text("utf-8"))
        assert [s["text"] for s in meta["sentences"] if s["origin"] == "approved"] == ["승인된 번역입니다."]
        assert "승인된 번역입니다." in (out / SLUG / "ko" / f"{SLUG}.ko.txt").read_text("utf-8")
        verify(out)
    finally:
        loop.close()
