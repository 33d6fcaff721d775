"""Hostile input, killed processes and damaged caches (issue 12): each case is a real run through the CLI or the
library, on real files, ffmpeg and eSpeak NG; each failed on the code before its fix.

HOSTILE is the table docs/reliability.md lists (`python tests/test_reliability_inputs.py` regenerates the doc).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import cache, publish
from pipeline import station as station_mod
from pipeline.station import Station

ROOT = Path(__file__).resolve().parents[1]
FAKE_ENGINE_DIR = ROOT / "tests" / "data" / "reliability"
HERE = "tests/test_reliability_hostile.py::"

# (what is tried, the test that tries it)
HOSTILE = [
    ("kill -9 of a batch's main process: its workers die with it (PR_SET_PDEATHSIG, checked after setting it), and a "
     "correction run right after stays on air", "test_a_killed_batch_takes_its_workers_with_it"),
    ("a swap by a process that does not hold the output folder's lock (never took it, or the lock file was replaced "
     "and taken by another run): refused at swap time, nothing written", "test_no_swap_without_the_folder_lock, "
     "test_the_lock_is_checked_at_swap_time_not_only_at_start"),
    ("ffmpeg started by a process that is then killed: it dies too (no orphan writing or hanging)",
     "test_ffmpeg_dies_with_the_process_that_started_it"),
    ("the sweep after a killed run: a user's `.tmp-notes.txt` and `.tmp-folder/`, a symlinked folder holding "
     "`.tmp-*` files, a symlink named like our temp files: all kept; only this program's temp names are removed",
     "test_the_sweep_removes_only_our_temp_files_and_never_follows_links"),
    ("kill -9 during synthesis and mastering: nothing left in $TMPDIR (temp work lives in the cache), and the next "
     "run's sweep leaves no temp file", "test_a_killed_run_leaves_nothing_in_tmpdir"),
    ("cached programme MP3 truncated: warning, re-mastered, the published file is the full programme",
     "test_a_truncated_cached_programme_is_mastered_again"),
    ("cached sentence WAV truncated: warning, re-synthesised, the programme keeps its length",
     "test_a_truncated_cached_sentence_is_synthesised_again"),
    ("a published programme damaged in place (same size, one byte changed) and the article run again unchanged: "
     "written again from the cache, not left as it is", "test_a_damaged_published_file_is_written_again"),
    ("any cache entry (file or JSON record) with a changed byte: warning, recomputed, replaced",
     "test_a_damaged_cache_entry_is_reported_and_replaced"),
    ("two runs whose titles give one folder ('… Prices Rise' / '… Prices Rise?'), or the same title from files of "
     "other names: the second is refused, the first stays on air; a correction (same title, same file) replaces",
     "test_titles_that_slug_alike_never_replace_each_other_across_runs"),
    ("`out/<slug>` or `out/<slug>/report` a symbolic link: refused before any work, nothing written or deleted "
     "through it", "test_a_symlinked_article_folder_is_refused"),
    ("--out a web root whose `news/` (or `news/en/`) holds the site's own pages, and an article titled 'News': "
     "refused, nothing written or replaced there", "test_a_folder_of_someone_elses_is_never_written_into"),
    ("the lock beside --out (`.out.pipeline/lock`), its folder `.out.pipeline` or the cache's `.lock` a symbolic "
     "link: refused, no file created where it points",
     "test_a_symlinked_lock_file_is_refused"),
    ("a symlinked folder below --out holding finished articles (another output folder): not published, nothing "
     "written into it", "test_publishing_never_follows_a_link"),
    ("foreign `manifest.json` files under --out (no files list, a list, paths outside the folder, another slug) and "
     "a foreign root manifest: ignored, the run publishes", "test_foreign_manifests_are_ignored"),
    ("a FIFO named `manifest.json` (at the root of --out and in a language folder): not opened, the run does not "
     "hang", "test_a_fifo_named_manifest_does_not_hang_the_run"),
    ("a PNG of the user's in an article's report folder: kept (only the report's own pictures are replaced)",
     "test_the_report_deletes_only_its_own_pictures"),
    ("local paths ffmpeg would read as a URL, a protocol or an option (`http:/127.0.0.1:PORT/a.mp3`, "
     "`subfile,,start,0,end,100,,:a.mp3`, `concat:b.mp3|c.mp3`, `-clip;[0:a] 'q',⏎.mp3`), as input and output: read "
     "and written as those files, no connection", "test_paths_that_look_like_urls_stay_files_for_ffmpeg"),
    ("--station or --base-url with control characters, --base-url not http(s): one-line error before any work",
     "test_station_and_base_url_are_checked"),
    ("a title with characters XML cannot hold (from an approved translation): the feed is written without them",
     "test_feeds_drop_characters_xml_cannot_hold"),
    ("titles with HTML/XML markup (`<img onerror>`, `]]>`, quotes): escaped in the report and the feed (this one "
     "already held before issue 12: a guard)",
     "test_markup_in_titles_is_escaped_in_report_and_feed"),
    ("a headline with no word in it (`???!!!`, right-to-left overrides and `* * *`, a lone dash): left out of the "
     "programme and transcript, the body airs (it failed the run, blaming a cache file, before)",
     "test_a_headline_with_no_word_in_it_is_not_spoken_and_the_run_goes_on"),
]


# --- helpers -------------------------------------------------------------------------------------------------------


def temp_name(label: str, suffix: str = "") -> str:
    """A temp name as this program makes them (`files.temp_name`), written out so this file also runs on older code."""
    return f".tmp-pipeline-{secrets.token_hex(8)}-{label}{suffix}"


def is_temp(name: str) -> bool:  # any temp name, this program's or an older version's
    return name.startswith(".tmp-")


def pipeline(*args, env=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout)


BASE_URL = "https://radio.example.org/pod"


def run(article: Path, out: Path, cache_dir: Path, *extra, env=None) -> subprocess.CompletedProcess:
    return pipeline("run", article, "--lang", "en", "--out", out, "--cache", cache_dir, "--quiet", *extra, env=env,
                    timeout=120)


def article(path: Path, title: str, edition: str = "one") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                    f"<p>Rice prices in the markets of Pyongyang rose again this week, traders said on Monday.</p>"
                    f"<p>The rise follows a poor harvest in the north, officials said in edition {edition}.</p>"
                    "</article></body></html>", "utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name != ".pipeline.lock"}


def verify(out: Path) -> list[dict]:
    """Every language manifest's files match it; returns the manifests."""
    found = []
    for m in sorted(out.glob("*/*/manifest.json")):
        meta = json.loads(m.read_text("utf-8"))
        for f in meta["files"]:
            assert sha(m.parent / f["path"]) == f["sha256"], f
        found.append(meta)
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def wait_for(condition, timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One article run into English: (article, out, cache), to copy from."""
    base = tmp_path_factory.mktemp("finished")
    src = article(base / "in" / "food.html", "North Korea: Food Prices Rise")
    r = run(src, base / "out", base / "cache", "--base-url", BASE_URL)  # recorded: later runs into copies use it
    assert r.returncode == 0, r.stderr
    return src, base / "out", base / "cache"


def copy_of(finished, tmp_path: Path) -> tuple[Path, Path, Path]:
    src, out, cache_dir = finished
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    shutil.copytree(cache_dir, tmp_path / "cache", symlinks=True)
    shutil.copytree(src.parent, tmp_path / "in")
    return tmp_path / "in" / src.name, tmp_path / "out", tmp_path / "cache"


SLUG = "north-korea-food-prices-rise"


# --- item 2: killed batches ------------------------------------------------------------------------------------------


def test_a_killed_batch_takes_its_workers_with_it(tmp_path):
    arts = tmp_path / "arts"
    for i in range(2):
        article(arts / f"a{i}.html", f"Border Bulletin {i}", edition="withdrawn")
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "en.toml").write_text('language = "en"\nengines = ["broken_engines:SlowEngine"]\n')
    slow = {"PIPELINE_VOICES_DIR": str(voices), "SLOW_ENGINE_S": "1.5",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(FAKE_ENGINE_DIR), os.environ.get("PYTHONPATH")]))}
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    batch = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "batch", arts, "--lang", "en", "--jobs", "2", "--out", out,
         "--cache", cache_dir, "--quiet"], cwd=ROOT, env={**os.environ, **slow}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        # Kill the main process (only it) once both workers are synthesising (their speech workers have started).
        assert wait_for(lambda: sum(len(children(w)) for w in children(batch.pid)) >= 2, 60)
        workers = [w for w in children(batch.pid) if children(w)]
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait()
        assert wait_for(lambda: not any(alive(w) for w in workers), 5), "workers outlived the killed batch"
        # The story is corrected and run again at once: the correction must be what stays in the folder.
        article(arts / "a0.html", "Border Bulletin 0", edition="corrected")
        r = run(arts / "a0.html", out, cache_dir)
        assert r.returncode == 0, r.stderr
        time.sleep(8)  # what a surviving worker would need to finish its withdrawn version and swap it in
        text = (out / "border-bulletin-0" / "en" / "border-bulletin-0.en.txt").read_text("utf-8")
        assert "edition corrected" in text and "withdrawn" not in text
        verify(out)
    finally:  # whatever is left of that batch (on failure)
        for pid in [batch.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        batch.wait()


def _library_run(src: Path, out: Path, cache_dir: Path):
    from pipeline.run import RunConfig, load_article, run_language

    doc, path = load_article(str(src))
    return run_language(doc, "en", RunConfig(out=out, cache_dir=cache_dir), source=path)


def test_no_swap_without_the_folder_lock(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    article(src, "North Korea: Food Prices Rise", edition="two")
    before = tree(out)
    with pytest.raises(Exception, match="does not hold the lock"):
        _library_run(src, out, cache_dir)
    assert tree(out) == before
    assert not [p for p in out.rglob("*") if is_temp(p.name)]
    with cache.folder_lock(out), cache.cache_in_use(cache_dir):  # holding it, the same call swaps the new version in
        _library_run(src, out, cache_dir)
    assert "edition two" in (out / SLUG / "en" / f"{SLUG}.en.txt").read_text("utf-8")


def test_the_lock_is_checked_at_swap_time_not_only_at_start(tmp_path):
    out = tmp_path / "out"
    with cache.folder_lock(out):
        cache.check_locked(out)
        # The lock file is replaced (a user cleaning up, say) and another run locks the new one.
        (cache.state_dir(out) / cache.LOCK_NAME).unlink()
        other = subprocess.Popen(
            [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipeline.cache import folder_lock\n"
             "with folder_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(30)", str(out)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert other.stdout.readline().strip() == "locked"
            with pytest.raises(Exception, match="does not hold the lock"):
                cache.check_locked(out)
        finally:
            other.kill()
            other.wait()


def test_ffmpeg_dies_with_the_process_that_started_it(tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\nexec sleep 300\n")
    fake.chmod(0o755)
    parent = subprocess.Popen(
        [sys.executable, "-c", "from pipeline.audio import ffmpeg; ffmpeg.run(['-version'])"], cwd=ROOT,
        env={**os.environ, "PIPELINE_FFMPEG": str(fake)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = None
    try:
        assert wait_for(lambda: (tmp_path / "pid").is_file() and (tmp_path / "pid").read_text().strip(), 30)
        pid = int((tmp_path / "pid").read_text())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert wait_for(lambda: not alive(pid), 5), "ffmpeg outlived the process that started it"
    finally:
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)


# --- item 3: the sweep ---------------------------------------------------------------------------------------------


def test_the_sweep_removes_only_our_temp_files_and_never_follows_links(tmp_path):
    out, other = tmp_path / "out", tmp_path / "other"
    (out / "slug" / "en").mkdir(parents=True)
    other.mkdir()
    users = [out / ".tmp-my-notes.txt", out / "slug" / ".tmp-draft.html", other / ".tmp-precious.db",
             other / temp_name("looks-ours", ".db")]
    for p in users:
        p.write_text("keep")
    (out / ".tmp-folder").mkdir()
    (out / ".tmp-folder" / "data.txt").write_text("keep")
    (out / "linked").symlink_to(other)  # a link to a folder outside --out: never entered
    (out / "slug" / "linked").symlink_to(other)
    link_named_like_ours = out / temp_name("link")
    link_named_like_ours.symlink_to(other)
    ours = [out / temp_name("feed", ".xml"), out / "slug" / "en" / temp_name("slug.en", ".mp3")]
    for p in ours:
        p.write_text("half")
    our_dir = out / "slug" / temp_name("master")
    our_dir.mkdir()
    (our_dir / "0.wav").write_text("half")
    (our_dir / "inner-link").symlink_to(other)
    with cache.folder_lock(out):
        pass
    assert all(p.read_text() == "keep" for p in users) and (out / ".tmp-folder" / "data.txt").is_file()
    assert link_named_like_ours.is_symlink() and sorted(p.name for p in other.iterdir()) == sorted(
        p.name for p in users if p.parent == other)
    assert not any(p.exists() for p in ours) and not our_dir.exists()
    from pipeline import files

    assert files.is_temp(temp_name("x")) and files.is_temp(files.temp_name("x", ".mp3"))


def test_a_killed_run_leaves_nothing_in_tmpdir(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    shutil.rmtree(cache_dir / "master")  # so the run masters again, as well as synthesising the edited sentence
    article(src, "North Korea: Food Prices Rise", edition="three")
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", src, "--lang", "en", "--out", out, "--cache",
                             cache_dir, "--quiet"], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmpdir)},
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = ("speak-", "master-", "report-", "pipeline-")

    def working() -> bool:  # a temp work folder exists: in the cache now, in $TMPDIR before the fix
        return any(any(p.name.startswith(w) for w in work) for p in tmpdir.iterdir()) or any(
            is_temp(p.name) and "master" in p.name for p in cache_dir.iterdir())

    try:
        assert wait_for(working, 60, step=0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert [p.name for p in tmpdir.iterdir() if p.name.startswith(work)] == []
    r = run(src, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert [p for root in (out, cache_dir) for p in root.rglob("*") if is_temp(p.name)] == []
    verify(out)


# --- item 4: damaged cache entries -----------------------------------------------------------------------------------


def test_a_truncated_cached_programme_is_mastered_again(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    good = out / SLUG / "en" / f"{SLUG}.en.mp3"
    expected = sha(good)
    (programme,) = cache_dir.glob("master/*/*.mp3")
    mastered = sha(programme)  # untagged: the published copy has its ID3 tag written at export
    with open(programme, "r+b") as fh:
        fh.truncate(programme.stat().st_size // 3)
    shutil.rmtree(out)
    r = run(src, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"warning: cache entry {programme} is damaged") and len(r.stderr.splitlines()) == 1
    assert sha(good) == expected  # mastering is deterministic: the full programme, as the first run made it
    assert sha(programme) == mastered
    verify(out)


def test_a_truncated_cached_sentence_is_synthesised_again(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    duration = json.loads((out / SLUG / "en" / "manifest.json").read_text())["files"][0]["duration_s"]
    clip = max(cache_dir.glob("speech/*/*.wav"), key=lambda p: p.stat().st_size)
    with open(clip, "r+b") as fh:
        fh.truncate(2048)
    shutil.rmtree(cache_dir / "master")
    shutil.rmtree(out)
    r = run(src, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"warning: cache entry {clip} is damaged (2048 bytes")
    entry = publish.audio_entry(json.loads((out / SLUG / "en" / "manifest.json").read_text()))
    assert abs(entry["duration_s"] - duration) < 0.05
    verify(out)


def test_a_damaged_published_file_is_written_again(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    audio = out / SLUG / "en" / f"{SLUG}.en.mp3"
    good = sha(audio)
    data = bytearray(audio.read_bytes())
    data[len(data) // 2] ^= 0xFF
    audio.write_bytes(bytes(data))
    r = run(src, out, cache_dir)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert sha(audio) == good
    verify(out)


def test_a_damaged_cache_entry_is_reported_and_replaced(tmp_path, capsys):
    store = cache.Cache(tmp_path)
    src = tmp_path / "clip.wav"
    src.write_bytes(b"RIFF" + bytes(range(256)) * 4)
    entry = store.put_file("speech", "ab" * 32, ".wav", src)
    assert store.get_file("speech", "ab" * 32, ".wav") == entry
    data = bytearray(entry.read_bytes())
    data[100] ^= 1  # same size, one bit changed
    entry.write_bytes(bytes(data))
    assert store.get_file("speech", "ab" * 32, ".wav") is None
    assert "is damaged (checksum changed)" in capsys.readouterr().err
    store.put_file("speech", "ab" * 32, ".wav", src)
    assert store.get_file("speech", "ab" * 32, ".wav") == entry and entry.read_bytes() == src.read_bytes()
    store.put_json("master", "cd" * 32, {"duration": 404.0})
    record = store.path("master", "cd" * 32, ".json")
    record.write_text(record.read_text().replace("404", "405"))
    assert store.get_json("master", "cd" * 32) is None
    store.put_json("master", "cd" * 32, {"duration": 404.0})
    assert store.get_json("master", "cd" * 32) == {"duration": 404.0}
    assert not [p for p in tmp_path.rglob("*") if is_temp(p.name)]


# --- item 5: titles that slug alike ------------------------------------------------------------------------------------


def test_titles_that_slug_alike_never_replace_each_other_across_runs(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    before = tree(out)
    question = article(tmp_path / "in2" / "food-question.html", "North Korea: Food Prices Rise?")
    r = run(question, out, cache_dir)
    assert r.returncode == 1
    assert r.stderr.strip() == (
        f"error: {out / SLUG} already holds another article, 'North Korea: Food Prices Rise'; 'North Korea: Food "
        "Prices Rise?' has a title that gives the same folder name and would replace it (give this article a "
        "distinct title, or remove that folder first if it is the same story retitled)")
    assert tree(out) == before
    # A recurring title ("News in Brief") from another file is another article too.
    daily = article(tmp_path / "in2" / "food.2.html", "North Korea: Food Prices Rise", edition="tuesday")
    r = run(daily, out, cache_dir)
    assert r.returncode == 1 and "made from food.html; food.2.html has the same title" in r.stderr
    assert tree(out) == before
    # A correction (same title, same file name, from anywhere) replaces it.
    correction = article(tmp_path / "in3" / "food.html", "North Korea: Food Prices Rise", edition="corrected")
    r = run(correction, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert "edition corrected" in (out / SLUG / "en" / f"{SLUG}.en.txt").read_text("utf-8")


# --- item 6: symbolic links below --out --------------------------------------------------------------------------------


def test_a_symlinked_article_folder_is_refused(finished, tmp_path):
    src, out, cache_dir = finished
    for linked in (SLUG, f"{SLUG}/report"):
        case = tmp_path / linked.replace("/", "-")
        elsewhere, new_out = case / "elsewhere", case / "out"
        (elsewhere / "report").mkdir(parents=True)
        (elsewhere / "report" / "en.0123456789ab.wave.png").write_bytes(b"a user's picture")
        (new_out / linked).parent.mkdir(parents=True, exist_ok=True)
        (new_out / linked).symlink_to(elsewhere if linked == SLUG else elsewhere / "report")
        r = run(src, new_out, cache_dir)
        assert r.returncode == 1
        assert r.stderr.strip() == (f"error: {new_out / linked} is a symbolic link; the pipeline writes only into "
                                    f"real folders below {new_out} (remove it (or move it away) and run again)")
        assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == [
            "report", "report/en.0123456789ab.wave.png"]


def test_a_folder_of_someone_elses_is_never_written_into(tmp_path):
    src = article(tmp_path / "in" / "news.html", "News")
    out = tmp_path / "site"
    for page in ("index.html", "news/index.html", "news/en/index.html", "news/en/manifest.json"):
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text(f"the site's own {page}")
    for stranger in ("en/index.html", "en/manifest.json", "index.html"):  # removed one by one
        before = tree(out)
        r = run(src, out, tmp_path / "cache")
        assert r.returncode == 1
        assert r.stderr.strip() == (f"error: {out / 'news'} holds {stranger}, which this program did not write; the "
                                    "article 'News' would be written into that folder (move that folder away, or "
                                    "choose another --out folder)")
        assert tree(out) == before
        (out / "news" / stranger).unlink()
    assert run(src, out, tmp_path / "cache").returncode == 0  # an empty folder (an empty en/ in it) is free to use


def test_a_symlinked_lock_file_is_refused(finished, tmp_path):
    src, _, cache_dir = finished
    out = tmp_path / "out"
    out.mkdir()
    state = tmp_path / ".out.pipeline"  # the lock's folder, beside --out
    state.mkdir()
    (state / "lock").symlink_to(tmp_path / "created-outside")
    r = run(src, out, cache_dir)
    assert r.returncode == 1
    assert r.stderr.strip() == (f"error: {state / 'lock'} is a symbolic link; the pipeline never writes "
                                "through links (remove the link and run again)")
    assert not (tmp_path / "created-outside").exists() and os.listdir(out) == [] and os.listdir(state) == ["lock"]
    (state / "lock").unlink()
    state.rmdir()
    (tmp_path / "elsewhere").mkdir()
    state.symlink_to(tmp_path / "elsewhere")
    r = run(src, out, cache_dir)
    assert r.returncode == 1
    assert r.stderr.strip() == (f"error: {state} is a symbolic link; the pipeline never writes through links "
                                "(remove the link and run again)")
    assert os.listdir(tmp_path / "elsewhere") == [] and os.listdir(out) == []
    other_cache = tmp_path / "cache"
    other_cache.mkdir()
    (other_cache / ".lock").symlink_to(tmp_path / "created-outside")
    r = run(src, tmp_path / "out2", other_cache)
    assert r.returncode == 1 and "is a symbolic link" in r.stderr
    assert not (tmp_path / "created-outside").exists()


def test_publishing_never_follows_a_link(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    other = tmp_path / "other-station"
    shutil.copytree(out, other)
    (other / SLUG).rename(other / "another-story")  # a finished article of another output folder
    meta = json.loads((other / "another-story" / "en" / "manifest.json").read_text())
    (other / "another-story" / "en" / "manifest.json").write_text(json.dumps({**meta, "slug": "another-story"}))
    before = tree(other)
    (out / "another-story").symlink_to(other / "another-story")
    article(src, "North Korea: Food Prices Rise", edition="two")
    r = run(src, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert tree(other) == before
    assert "another-story" not in (out / "feed.en.xml").read_text() + (out / "manifest.json").read_text()


# --- item 9: foreign manifests ---------------------------------------------------------------------------------------


def test_foreign_manifests_are_ignored(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    foreign = {
        "docs/v1": {"name": "my app", "version": "1.0"},
        "docs/v2": [1, 2, 3],
        "escape/en": {"manifest_version": 1, "slug": "escape", "language": "en",
                      "files": [{"path": "../../../etc/passwd", "bytes": 1, "sha256": "x", "loudness_lufs": -16,
                                 "duration_s": 1, "true_peak_dbtp": -2}]},
        "wrong/en": {**json.loads((out / SLUG / "en" / "manifest.json").read_text())},  # another folder's
        "broken/en": "{not json",
    }
    for where, data in foreign.items():
        (out / where).mkdir(parents=True)
        (out / where / "manifest.json").write_text(data if isinstance(data, str) else json.dumps(data))
    (out / "manifest.json").write_text(json.dumps({"base_url": 5, "articles": "none"}))
    article(src, "North Korea: Food Prices Rise", edition="two")
    r = run(src, out, cache_dir)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    root = json.loads((out / "manifest.json").read_text())
    assert [a["slug"] for a in root["articles"]] == [SLUG]
    assert all(json.loads((out / w / "manifest.json").read_text()) == d for w, d in foreign.items()
               if not isinstance(d, str))


def test_a_fifo_named_manifest_does_not_hang_the_run(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    (out / "pipe" / "en").mkdir(parents=True)
    os.mkfifo(out / "pipe" / "en" / "manifest.json")
    (out / "manifest.json").unlink()
    os.mkfifo(out / "manifest.json")
    article(src, "North Korea: Food Prices Rise", edition="two")
    r = run(src, out, cache_dir)  # a hang fails on run's timeout
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert (out / "manifest.json").is_file()  # replaced by the run manifest
    assert [a["slug"] for a in json.loads((out / "manifest.json").read_text())["articles"]] == [SLUG]


def test_the_report_deletes_only_its_own_pictures(finished, tmp_path):
    src, out, cache_dir = copy_of(finished, tmp_path)
    mine = out / SLUG / "report" / "map-of-the-markets.png"
    mine.write_bytes(b"a user's picture")
    old = sorted(p.name for p in (out / SLUG / "report").glob("en.*.png"))
    article(src, "North Korea: Food Prices Rise", edition="two")
    r = run(src, out, cache_dir)
    assert r.returncode == 0, r.stderr
    assert mine.read_bytes() == b"a user's picture"
    new = sorted(p.name for p in (out / SLUG / "report").glob("en.*.png"))
    assert len(new) == 2 and not set(old) & set(new)  # the pictures of the earlier version went


# --- more of the same kinds: ffmpeg arguments, feeds, report ------------------------------------------------------------


def test_paths_that_look_like_urls_stay_files_for_ffmpeg(finished, tmp_path):
    _, out, _ = finished
    source = out / SLUG / "en" / f"{SLUG}.en.mp3"  # an MP3 goes through ffmpeg (a WAV would be read directly)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                connections.append(conn.recv(200))
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    names = [  # (input, output): valid relative paths that ffmpeg would read as a URL, a protocol or an option
        (f"http:/127.0.0.1:{port}/a.mp3", f"http:/127.0.0.1:{port}/b.mp3"),
        ("subfile,,start,0,end,100,,:a.mp3", "concat:b.mp3|c.mp3"),
        ("-clip;[0:a] 'q',\n.mp3", "-out:'q';[x].mp3"),
    ]
    try:
        shutil.copy(source, tmp_path / "a.mp3")  # what `subfile` would read instead: the wrong file
        for src, dest in names:
            (tmp_path / src).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / src)
            r = subprocess.run([sys.executable, "-m", "pipeline", "master", "--json", "-o", dest, "--", src],
                               cwd=tmp_path, capture_output=True, text=True, timeout=120,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "PIPELINE_FFMPEG_TIMEOUT": "20"})
            assert connections == []
            assert r.returncode == 0, r.stderr
            duration = json.loads(r.stdout)["duration"]
            assert abs(duration - publish.audio_entry(json.loads(
                (out / SLUG / "en" / "manifest.json").read_text()))["duration_s"]) < 0.5, (src, duration)
            assert (tmp_path / dest).stat().st_size > 10_000
    finally:
        stop.set()
        thread.join()
        listener.close()


@pytest.mark.parametrize("option, value, message", [
    ("--station", "Radio\x01Free", "error: --station 'Radio\\x01Free' is empty or holds control characters (or bytes "
                                   "that are not UTF-8) (give the station's name as plain text)"),
    ("--base-url", "https://radio.example.org/\x01", "error: --base-url 'https://radio.example.org/\\x01' is not "
     "an http(s) address (give the public address of the output folder, e.g. https://radio.example.org/pod/)"),
    ("--base-url", "javascript:alert(1)", "error: --base-url 'javascript:alert(1)' is not an http(s) address (give "
     "the public address of the output folder, e.g. https://radio.example.org/pod/)"),
])
def test_station_and_base_url_are_checked(finished, tmp_path, option, value, message):
    src, out, cache_dir = copy_of(finished, tmp_path)
    before = tree(out)
    r = run(src, out, cache_dir, option, value)
    assert (r.returncode, r.stderr.strip()) == (1, message)
    assert tree(out) == before


def _hostile_manifest(out: Path, title: str) -> None:
    folder = out / "hostile" / "en"
    folder.mkdir(parents=True)
    (folder / "hostile.en.mp3").write_bytes(b"\xff\xfb" * 100)
    meta = {"manifest_version": 1, "slug": "hostile", "language": "en", "title": title, "source_title": "x",
            "files": [{"path": "hostile.en.mp3", "bytes": 200, "sha256": sha(folder / "hostile.en.mp3"),
                       "duration_s": 1.0, "loudness_lufs": -16.0, "true_peak_dbtp": -2.0}]}
    (folder / "manifest.json").write_text(json.dumps(meta))


def test_feeds_drop_characters_xml_cannot_hold(tmp_path):
    _hostile_manifest(tmp_path, "Prices\x0b rise\x00 again\ufffe")
    (feed,), _ = publish.write_feeds(tmp_path, Station(name="Radio"), station_mod.base_url(BASE_URL))
    assert "<title>Prices rise again</title>" in feed.read_text("utf-8")


def test_markup_in_titles_is_escaped_in_report_and_feed(tmp_path):
    from xml.etree import ElementTree

    title = '<img src=x onerror=alert(1)> "Q" & ]]> <script>alert(2)</script>'
    article(tmp_path / "in" / "x.html", title.replace("<", "&lt;").replace(">", "&gt;"))
    r = run(tmp_path / "in" / "x.html", tmp_path / "out", tmp_path / "cache", "--base-url", BASE_URL)
    assert r.returncode == 0, r.stderr
    feed = ElementTree.parse(tmp_path / "out" / "feed.en.xml")
    assert [t.text for t in feed.iter("title")][-1] == title  # the exact title, as text
    for page in (tmp_path / "out").rglob("index.html"):
        html = page.read_text("utf-8")
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("title", ["???!!!", "\u202e\u202e* * *", "\u2014"])
def test_a_headline_with_no_word_in_it_is_not_spoken_and_the_run_goes_on(tmp_path, title):
    """A headline of punctuation or symbols only is a silent clip when spoken, which mastering refuses: before this,
    the whole run failed on it, blaming a cache file. It is left out of the programme; the body airs."""
    r = run(article(tmp_path / "a.html", title), tmp_path / "out", tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    [entry] = verify(tmp_path / "out")
    folder = next((tmp_path / "out").glob("*/en"))
    transcript = next(folder.glob("*.en.txt")).read_text("utf-8")
    assert transcript.startswith("Rice prices in the markets of Pyongyang") and "?" not in transcript
    assert next(folder.glob("*.en.srt")).read_text("utf-8").startswith("1\n00:00:00,000 --> ")
