"""The pieces the reliability guarantees rest on: grouped atomic writes, lock-time sweeping, error wording."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cache
from pipeline.env import seconds
from pipeline.errors import PipelineError, from_os_error
from pipeline.files import atomic_paths, atomic_write_text, temp_name

ROOT = Path(__file__).resolve().parents[1]


def test_a_group_is_swapped_in_only_when_all_are_written(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(OSError):
        with atomic_paths([a, b]) as (ta, tb):
            ta.write_text("new a")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    with atomic_paths([a, b]) as (ta, tb):
        ta.write_text("new a")
        tb.write_text("new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_written_files_follow_the_umask_so_a_web_server_can_read_them(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "feed.xml", "<rss/>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "feed.xml").stat().st_mode) == 0o644


def test_the_lock_sweeps_what_killed_runs_left_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    leftovers = [out / temp_name("feed", ".xml"), out / "slug" / "en" / temp_name("slug.en", ".mp3"),
                 out / "slug" / "report" / temp_name("x", ".png")]
    (out / "slug" / "en").mkdir(parents=True)
    (out / "slug" / "report").mkdir()
    for p in leftovers:
        p.write_text("half")
    master_dir = out / temp_name("master")
    master_dir.mkdir()
    (master_dir / "x.wav").write_text("half")
    deep = out / "a" / "b" / "c" / temp_name("not-ours", ".txt")  # deeper than our layout: not ours to judge
    deep.parent.mkdir(parents=True)
    deep.write_text("keep")
    keep = out / "slug" / "en" / "slug.en.mp3"
    keep.write_text("keep")
    with cache.folder_lock(out):
        pass
    assert not any(p.exists() for p in leftovers) and not master_dir.exists()
    assert deep.exists() and keep.exists()


def test_the_lock_is_taken_once_a_second_taker_in_the_same_process_is_refused(tmp_path):
    # One run session owns a run: the lock is not re-entrant (it used to be, so the CLI could take it around a
    # library run that took it again), and the second attempt leaves the first holder's lock in place.
    out = tmp_path / "out"
    with cache.folder_lock(out):
        with pytest.raises(PipelineError, match="another pipeline run is writing"):
            with cache.folder_lock(out):
                pass
        cache.check_locked(out)
    with pytest.raises(PipelineError, match="does not hold the lock"):
        cache.check_locked(out)


def test_the_cache_is_swept_only_when_no_other_run_uses_it(tmp_path):
    root = tmp_path / "cache"
    leftover = root / "speech" / "ab" / temp_name("abc", ".wav")
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.cache import cache_in_use\n"
         "with cache_in_use(Path(sys.argv[1])):\n    print('using', flush=True); time.sleep(30)", str(root)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "using"
        leftover.write_text("half")  # written after the holder started: could be the holder's own temp
        with cache.cache_in_use(root):
            assert leftover.exists()
    finally:
        holder.kill()
        holder.wait()
    with cache.cache_in_use(root):
        assert not leftover.exists()


def test_a_cache_is_walked_for_leftovers_only_after_a_run_that_did_not_end(tmp_path):
    # Sweeping reads every entry folder: with every run ended (their markers gone), there is nothing to find.
    root = tmp_path / "cache"
    with cache.cache_in_use(root):
        (marker,) = (root / ".running").iterdir()  # this run's, while it runs
    with pytest.raises(RuntimeError):
        with cache.cache_in_use(root):
            raise RuntimeError("a stage failed")
    assert list((root / ".running").iterdir()) == []  # ended, even by an error
    planted = root / "speech" / "ab" / temp_name("abc", ".wav")  # not left by a run of ours
    planted.parent.mkdir(parents=True)
    planted.write_text("half")
    with cache.cache_in_use(root):
        pass
    assert planted.exists()  # not walked
    killed = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.cache import cache_in_use\n"
         "with cache_in_use(Path(sys.argv[1])):\n    print('using', flush=True); time.sleep(30)", str(root)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert killed.stdout.readline().strip() == "using"
    killed.kill()
    killed.wait()
    with cache.cache_in_use(root):
        assert not planted.exists()  # its marker said a run was killed: swept
    assert list((root / ".running").iterdir()) == []
    (root / ".running").rmdir()
    (root / ".running").symlink_to(tmp_path)  # never followed: replaced by a real folder, after a sweep
    (tmp_path / "keep").write_text("keep")
    with cache.cache_in_use(root):
        pass
    assert (tmp_path / "keep").read_text() == "keep" and not (root / ".running").is_symlink()


def test_a_run_joining_a_cache_in_use_makes_its_marker_folder_if_it_is_missing(tmp_path):
    # The run already there made no markers folder (an older version), or a user removed it: not an error.
    root = tmp_path / "cache"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.cache import cache_in_use\n"
         "with cache_in_use(Path(sys.argv[1])):\n    print('using', flush=True); time.sleep(30)", str(root)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "using"
        for marker in (root / ".running").iterdir():
            marker.unlink()
        (root / ".running").rmdir()
        with cache.cache_in_use(root):
            assert len(list((root / ".running").iterdir())) == 1
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf"])
def test_a_bad_timeout_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("PIPELINE_X_TIMEOUT", value)
    with pytest.raises(PipelineError, match="PIPELINE_X_TIMEOUT=.* is not a number of seconds"):
        seconds("PIPELINE_X_TIMEOUT", 30)


def test_timeout_setting(monkeypatch):
    monkeypatch.delenv("PIPELINE_X_TIMEOUT", raising=False)
    assert seconds("PIPELINE_X_TIMEOUT", 30) == 30
    monkeypatch.setenv("PIPELINE_X_TIMEOUT", " 2.5 ")
    assert seconds("PIPELINE_X_TIMEOUT", 30) == 2.5


def test_os_errors_name_the_file_and_the_fix():
    full = from_os_error(OSError(errno.ENOSPC, "No space left on device", "/out/a.mp3"))
    assert str(full) == ("cannot write or read /out/a.mp3: No space left on device "
                         "(free some space on that disk, or choose --out/--cache folders on another one)")
    ro = from_os_error(OSError(errno.EROFS, "Read-only file system"), "cannot write the outputs in /out/x")
    assert str(ro) == ("cannot write the outputs in /out/x: Read-only file system "
                       "(that file system is mounted read-only: choose a writable folder)")


def test_cache_entries_never_change_once_written(tmp_path):
    """Parallel batch jobs may synthesise the same clip (a shared intro, say): the first file stays, so a job
    reading it twice (header, then samples) never meets another take of it in between."""
    store = cache.Cache(tmp_path)
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    first.write_bytes(b"take one")
    second.write_bytes(b"take two, longer")
    a = store.put_file("speech", "ab" * 32, ".wav", first)
    with open(a, "rb") as reader:
        b = store.put_file("speech", "ab" * 32, ".wav", second)
        assert a == b and reader.read() == b"take one"
    assert a.read_bytes() == b"take one"
    store.put_json("master", "cd" * 32, {"take": 1})
    store.put_json("master", "cd" * 32, {"take": 2})
    assert store.get_json("master", "cd" * 32) == {"take": 1}
    a.write_bytes(b"")  # an empty entry is a broken one: the next writer replaces it
    assert store.put_file("speech", "ab" * 32, ".wav", second).read_bytes() == b"take two, longer"
    assert not list(tmp_path.rglob(".tmp-*"))
