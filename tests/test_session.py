"""The run session (pipeline.session): one owner of a run's output folder, for the CLI and library callers alike.
It locks the folder once, runs articles, and publishes feeds, report and run manifest on the way out."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline import cache
from pipeline.errors import PipelineError
from pipeline.run import RunConfig
from pipeline.session import Session

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://radio.example.org/pod/"


def article(path: Path, title: str) -> Path:
    path.write_text(f"{title}\n\nBy Kim Min-ji, Reporter\nRadio Free Example\nMarch 3, 2024\n\n"
                    f"The story about {title.lower()} has two sentences. Listeners heard it on shortwave radio.\n")
    return path


def other_process_can_lock(out: Path) -> bool:
    r = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from pipeline.cache import "
                        "folder_lock\nwith folder_lock(Path(sys.argv[1])): pass", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 or "another pipeline run" in r.stderr, r.stderr
    return r.returncode == 0


def test_a_library_session_runs_and_publishes_feeds_report_and_manifest(tmp_path):
    out, src = tmp_path / "out", article(tmp_path / "story.txt", "Rice Prices Fall")
    stages = []
    with Session(RunConfig(out=out, cache_dir=tmp_path / "cache"), station="Example Radio", base_url=BASE,
                 report=lambda lang, stage, message: stages.append((lang, stage))) as session:
        assert not other_process_can_lock(out)  # the session holds the folder from the start
        [result] = session.run(str(src), ["en"])
        assert session.published.manifest is None  # publishing is the session's last step
    assert other_process_can_lock(out)
    published = session.published
    feed = out / "feed.en.xml"
    assert feed in published.feeds and published.manifest == out / "manifest.json"
    assert out / "index.html" in published.pages and out / "rice-prices-fall" / "index.html" in published.pages
    channel = ET.parse(feed).getroot().find("channel")
    assert channel.find("title").text and channel.find("item/enclosure").get("url").startswith(BASE)
    listed = {f["path"] for f in json.loads(published.manifest.read_text("utf-8"))["files"]}
    assert {"feed.en.xml", "index.html", "rice-prices-fall/en/manifest.json"} <= listed
    assert result.folder == out / "rice-prices-fall" / "en" and result.passed
    assert stages[-1] == ("*", "publish") and ("en", "export") in stages
    assert json.loads((out / "rice-prices-fall" / "en" / "manifest.json").read_text("utf-8"))["station"] == "Example Radio"


def test_a_session_without_a_public_address_says_why_there_is_no_feed(tmp_path):
    out, src = tmp_path / "out", article(tmp_path / "story.txt", "Rice Prices Fall")
    with Session(RunConfig(out=out, cache_dir=tmp_path / "cache")) as session:
        session.run(str(src), ["en"])
    assert session.published.feeds == () and (out / "index.html") in session.published.pages
    assert any("no podcast feed written" in w for w in session.published.warnings)


def test_the_session_is_the_one_owner_of_its_folder(tmp_path):
    out = tmp_path / "out"
    with Session(RunConfig(out=out, cache_dir=tmp_path / "cache")) as session:
        with pytest.raises(PipelineError, match="another pipeline run is writing"):
            with Session(RunConfig(out=out, cache_dir=tmp_path / "cache")):
                pass
        cache.check_locked(out)  # the refused second session did not take the first one's lock away
    assert session.published.feeds == () and session.published.manifest is None  # nothing finished: nothing published
    with pytest.raises(PipelineError, match="does not hold the lock"):
        cache.check_locked(out)


def test_batch_cleans_each_article_once_and_its_jobs_use_that_article(tmp_path):
    # The article is edited after the batch read it and before any job ran: every job works from what was read
    # (and checked for a clashing folder name), not from a second reading of the file.
    out, src = tmp_path / "out", article(tmp_path / "story.txt", "Rice Prices Fall")

    def edit(total: int) -> None:
        article(src, "A Different Headline")

    with Session(RunConfig(out=out, cache_dir=tmp_path / "cache")) as session:
        [job] = session.batch([str(src)], ["en"], jobs=1, on_start=edit)
    assert job.ok, job.error
    assert job.result.folder == out / "rice-prices-fall" / "en"
    assert not (out / "a-different-headline").exists()
    manifest = json.loads((job.result.folder / "manifest.json").read_text("utf-8"))
    assert manifest["source_title"] == "Rice Prices Fall"


def test_batch_outside_a_session_is_refused_before_any_work(tmp_path):
    from pipeline.batch import run_jobs

    src = article(tmp_path / "story.txt", "Rice Prices Fall")
    with pytest.raises(PipelineError, match="does not hold the lock"):
        run_jobs([str(src)], ["en"], RunConfig(out=tmp_path / "out", cache_dir=tmp_path / "cache"), jobs=1)
    assert not (tmp_path / "out" / "rice-prices-fall").exists()


def test_a_page_with_no_article_publishes_nothing(tmp_path):
    """Nothing ran, so nothing changed: no feeds, report or run manifest appear for a page that holds no article."""
    out, page = tmp_path / "out", tmp_path / "menu.txt"
    page.write_text("Home\nNews\nSport\nContact us\nBack to top\n")
    stages = []
    with pytest.raises(PipelineError, match="no article text"):
        with Session(RunConfig(out=out, cache_dir=tmp_path / "cache"),
                     report=lambda lang, stage, msg: stages.append(stage)) as session:
            session.run(str(page), ["en"])
    assert list(out.iterdir()) == [] and "publish" not in stages
    assert session.published.manifest is None
