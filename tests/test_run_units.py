"""Cache keys, the output-folder lock, language lists and batch input expansion."""

import subprocess
import sys

import pytest

from pipeline import cache
from pipeline.batch import expand_inputs
from pipeline.errors import PipelineError
from pipeline.run import languages


def test_key_depends_on_every_part_and_not_on_dict_order():
    assert cache.key("a", {"x": 1, "y": 2}) == cache.key("a", {"y": 2, "x": 1})
    assert cache.key("a", {"x": 1}) != cache.key("a", {"x": 2})
    assert cache.key("a", "b") != cache.key("ab")


def test_cache_files_and_records_round_trip(tmp_path):
    store = cache.Cache(tmp_path / "c")
    src = tmp_path / "clip.wav"
    src.write_bytes(b"RIFF....")
    k = cache.key("x")
    assert store.get_file("speech", k, ".wav") is None
    stored = store.put_file("speech", k, ".wav", src)
    assert store.get_file("speech", k, ".wav") == stored and stored.read_bytes() == b"RIFF...."
    store.put_json("master", k, {"duration": 1.5})
    assert store.get_json("master", k) == {"duration": 1.5}
    assert not list((tmp_path / "c").rglob(".tmp-*"))


def test_second_run_on_same_folder_is_refused_while_first_holds_it(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.cache import folder_lock\n"
         "with folder_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(30)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(PipelineError, match="another pipeline run"):
            with cache.folder_lock(tmp_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops the lock with the process: no stale lock after a kill.
    with cache.folder_lock(tmp_path):
        pass


def test_lock_on_unwritable_output_is_a_clear_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(PipelineError, match="cannot create output folder"):
        with cache.folder_lock(target / "sub"):
            pass


def test_languages_accept_repeats_and_comma_lists():
    assert languages(["ko", "zh,RU", " ko "]) == ("ko", "zh", "ru")
    with pytest.raises(PipelineError):
        languages([","])


def test_expand_inputs_folders_globs_and_list_files(tmp_path):
    (tmp_path / "a").mkdir()
    one = tmp_path / "a" / "one.txt"
    two = tmp_path / "a" / "two.html"
    one.write_text("x")
    two.write_text("x")
    (tmp_path / "a" / "notes.md").write_text("x")
    listing = tmp_path / "list.txt"
    listing.write_text("# articles\na/one.txt\n\n")
    assert expand_inputs([str(tmp_path / "a")]) == [one.resolve(), two.resolve()]
    assert expand_inputs([str(tmp_path / "a" / "*.html")]) == [two.resolve()]
    assert expand_inputs([f"@{listing}", str(one)]) == [one.resolve()]
    with pytest.raises(PipelineError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.txt")])
    with pytest.raises(PipelineError, match="no file matches"):
        expand_inputs([str(tmp_path / "*.xyz")])
