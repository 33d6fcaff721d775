"""The product as a user meets it: `pipeline run` and `pipeline batch` through the real CLI and every real stage."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

from conftest import shipped_voices_env

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SAMPLE_PO = SAMPLE.with_name("why-north-koreans-need-us.ko.po")
SLUG = "why-north-koreans-need-us"


def cli(*args, env=None, check=True, base_env=None, **kw):
    r = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, env={**(base_env or os.environ), **(env or {})}, **kw)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_folder(folder: Path) -> dict:
    """A finished language folder: its manifest lists every file with the right size and checksum."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:
        f = folder / entry["path"]
        assert f.stat().st_size == entry["bytes"] and sha256(f) == entry["sha256"], f
    return manifest


def article(path: Path, title: str, n: int) -> Path:
    """A small plain-text article with N paragraphs."""
    paras = [
        f"Paragraph {i + 1} of the story about {title.lower()} has two sentences. "
        f"Listeners in the north heard it on shortwave radio number {i + 1}."
        for i in range(n)
    ]
    path.write_text(f"{title}\n\nBy Kim Min-ji, Reporter\nRadio Free Example\nMarch 3, 2024\n\n" + "\n\n".join(paras) + "\n")
    return path


# The tools a run's manifest names, for each setting of conftest.toolset.
ORIGINS = {"ffmpeg": {"wheel": "imageio-ffmpeg", "system": "PATH"}, "speech": {"wheel": "espeakng-loader", "system": "system"}}


@pytest.fixture(scope="module")
def korean(tmp_path_factory, toolset):
    """The sample into Korean, once with the wheels' ffmpeg and eSpeak NG and once with the system's."""
    base = tmp_path_factory.mktemp("korean")
    out, cache = base / "out", base / "cache"
    r = cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", cache, "--json",
            "--base-url", "https://radio.example.org/pod")
    return out, cache, json.loads(r.stdout), toolset


def test_sample_into_korean_gives_every_deliverable(korean):
    out, _, results, toolset = korean
    folder = out / SLUG / "ko"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["manifest.json"] + [f"{SLUG}.ko.{x}" for x in ("mp3", "txt", "srt", "vtt")])
    manifest = verify_folder(folder)
    audio = next(f for f in manifest["files"] if f["path"].endswith(".mp3"))
    assert audio["passed"] and abs(audio["loudness_lufs"] - -16) <= 1 and audio["true_peak_dbtp"] <= -1
    (result,) = results
    assert result["origins"] == {"approved": len(manifest["sentences"])}
    # Every sentence spoken is the approved Korean, in order, the headline first.
    approved = {e.msgctxt: e.msgstr for e in polib.pofile(str(SAMPLE_PO)) if e.msgstr and "fuzzy" not in e.flags}
    assert [s["text"] for s in manifest["sentences"]] == [approved[s["id"]] for s in manifest["sentences"]]
    assert manifest["sentences"][0]["id"] == "title"
    transcript = (folder / f"{SLUG}.ko.txt").read_text("utf-8")
    assert transcript.startswith(approved["title"]) and "개성공단" in transcript
    # Subtitles follow the audio: increasing, inside the programme.
    vtt = (folder / f"{SLUG}.ko.vtt").read_text("utf-8")
    assert vtt.startswith("WEBVTT") and vtt.count("-->") >= len(manifest["sentences"])
    from mutagen.id3 import ID3

    tags = ID3(folder / f"{SLUG}.ko.mp3")
    assert tags.version[:2] == (2, 3) and str(tags["TLAN"]) == "kor" and str(tags["TIT2"]) == approved["title"]
    # The manifest and --json name the ffmpeg and eSpeak NG that made it: the ones chosen.
    tools = manifest["tools"]
    assert tools == result["tools"]
    assert tools["ffmpeg"]["origin"] == ORIGINS["ffmpeg"][toolset["PIPELINE_FFMPEG"]]
    assert tools["speech"]["origin"] == ORIGINS["speech"][toolset["PIPELINE_ESPEAK"]]
    # Paths under the home folder are written ~/..., so a published manifest does not carry the user name.
    assert all(tools[t]["version"] and os.path.isfile(os.path.expanduser(tools[t]["path"])) for t in tools)
    home = os.path.expanduser("~")
    assert home in ("", "/") or home + "/" not in json.dumps(manifest) + (out / SLUG / "index.html").read_text("utf-8")
    assert tools["speech"]["engine"] == "espeak" and tools["speech"]["version"] in tools["speech"]["build"]


@pytest.mark.shipped_voices
def test_make_korean_audio_speaks_the_sample_with_kokoro(tmp_path):
    """What `make korean-audio` does, with the shipped Korean voice: Kokoro when installed (the runtime dependencies
    include it), and the manifest, --json and the summary say which engine spoke."""
    from pipeline.speech.engines.kokoro import Kokoro

    out = tmp_path / "out"
    r = cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", tmp_path / "cache", "--json",
            base_env=shipped_voices_env())
    (result,) = json.loads(r.stdout)
    manifest = verify_folder(out / SLUG / "ko")
    speech = manifest["tools"]["speech"]
    assert speech == result["tools"]["speech"]
    if not Kokoro.status({"language": "ko", "voice": "jf_nezumi"}).available:
        assert speech["engine"] == "espeak" and speech["fallback"] and speech["skipped"][0]["engine"] == "kokoro"
        pytest.skip("Kokoro is not installed here: the run fell back to eSpeak NG and said so")
    assert speech["engine"] == "kokoro" and not speech["fallback"] and speech["name"] == "Kokoro-82M"
    assert speech["sha256"] in speech["build"]
    audio = next(f for f in manifest["files"] if f["path"].endswith(".mp3"))
    assert audio["passed"] and 200 < audio["duration_s"] < 900, audio


def test_run_publishes_feed_report_and_run_manifest(korean):
    out, _, _, _ = korean
    root_manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for entry in root_manifest["files"]:
        assert sha256(out / entry["path"]) == entry["sha256"]
    item = ET.parse(out / "feed.ko.xml").getroot().find("channel/item")
    enclosure = item.find("enclosure")
    mp3 = out / SLUG / "ko" / f"{SLUG}.ko.mp3"
    assert enclosure.get("type") == "audio/mpeg" and int(enclosure.get("length")) == mp3.stat().st_size
    manifest = json.loads((out / SLUG / "ko" / "manifest.json").read_text("utf-8"))
    assert item.find("guid").text == manifest["guid"] and manifest["guid"].startswith("urn:uuid:")
    assert (out / "index.html").is_file() and (out / SLUG / "index.html").is_file()
    tools = json.loads((out / SLUG / "ko" / "manifest.json").read_text("utf-8"))["tools"]
    page = (out / SLUG / "index.html").read_text("utf-8")
    for tool in tools.values():  # the producer sees which ffmpeg and eSpeak NG made the programme
        assert f"{tool['name']} {tool['version']} ({tool['origin']}: {tool['path']})" in page


def test_warm_rerun_does_no_synthesis_and_keeps_the_bytes(korean):
    out, cache, _, _ = korean
    mp3 = out / SLUG / "ko" / f"{SLUG}.ko.mp3"
    before = sha256(mp3)
    (result,) = json.loads(cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", cache, "--json").stdout)
    assert result["synthesized"] == 0 and result["mastered"] is False
    assert sha256(mp3) == before
    # Nothing changed, so nothing is rewritten: same file, same time (podcast clients and rsync see no change).
    stat = mp3.stat()
    cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", cache, "--quiet")
    assert (mp3.stat().st_ino, mp3.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


def test_editing_one_sentence_resynthesises_only_it(tmp_path, toolset):
    src = article(tmp_path / "story.txt", "Radio Reaches The North", 3)
    out, cache = tmp_path / "out", tmp_path / "cache"
    (first,) = json.loads(cli("run", src, "--lang", "en", "--out", out, "--cache", cache, "--json").stdout)
    assert first["synthesized"] == 3 * 2 + 1  # sentences and headline (no station file: no ident)
    src.write_text(src.read_text().replace("radio number 2.", "radio number 22."))
    (second,) = json.loads(cli("run", src, "--lang", "en", "--out", out, "--cache", cache, "--json").stdout)
    assert second["synthesized"] == 1 and second["mastered"] is True
    text = (out / "radio-reaches-the-north" / "en" / "radio-reaches-the-north.en.txt").read_text()
    assert "number 22." in text


def test_unapproved_sentence_without_model_names_it_and_the_ways_out(tmp_path):
    src = tmp_path / f"{SLUG}.txt"
    shutil.copy(SAMPLE, src)
    shutil.copy(SAMPLE_PO, src.with_name(f"{SLUG}.ko.po"))
    src.write_text(src.read_text().replace("Pluralistic societies benefit", "Open societies benefit"))
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")}
    r = cli("run", src, "--lang", "ko", "--out", tmp_path / "out", "--cache", tmp_path / "c", env=env, check=False)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Open societies benefit" in r.stderr and "models install" in r.stderr
    assert not (tmp_path / "out" / SLUG / "ko" / "manifest.json").exists()


def test_second_run_on_a_locked_output_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.cache import folder_lock\n"
         "with folder_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", tmp_path / "c", check=False)
        assert r.returncode == 1 and "another pipeline run is writing" in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_batch_keeps_going_past_a_bad_article_and_says_which(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    for i in range(3):
        article(arts / f"a{i}.txt", f"Story Number {i} From The Border", 2)
    (arts / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    out = tmp_path / "out"
    r = cli("batch", arts, "--lang", "en", "--jobs", "2", "--out", out, "--cache", tmp_path / "c", "--json",
            "--base-url", "https://radio.example.org/", check=False)
    assert r.returncode == 1 and "1 of 4 jobs failed" in r.stderr
    jobs = json.loads(r.stdout)
    failed = [j for j in jobs if j["error"]]
    assert [Path(j["source"]).name for j in failed] == ["broken.txt"] and "binary" in failed[0]["error"]
    for i in range(3):
        verify_folder(out / f"story-number-{i}-from-the-border" / "en")
    items = ET.parse(out / "feed.en.xml").getroot().findall("channel/item")
    assert len(items) == 3


def test_batch_killed_mid_way_resumes_without_redoing_or_leaving_half_files(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    for i in range(6):
        article(arts / f"a{i}.txt", f"Bulletin {i} For Listeners", 3)
    out, cache = tmp_path / "out", tmp_path / "c"
    args = [sys.executable, "-m", "pipeline", "batch", str(arts), "--lang", "en", "--jobs", "1",
            "--out", str(out), "--cache", str(cache), "--quiet"]
    proc = subprocess.Popen(args, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/en/manifest.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)  # into the next article
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished_before = {p.parent for p in out.glob("*/en/manifest.json")}
    assert finished_before, "the batch was killed before finishing any article"
    for folder in finished_before:
        verify_folder(folder)

    r = cli("batch", arts, "--lang", "en", "--jobs", "1", "--out", out, "--cache", cache, "--json")
    jobs = json.loads(r.stdout)
    assert all(j["error"] is None for j in jobs) and len(jobs) == 6
    redone = [j for j in jobs if Path(j["result"]["folder"]) in finished_before and j["result"]["synthesized"]]
    assert not redone, "finished articles were synthesised again"
    for j in jobs:
        verify_folder(Path(j["result"]["folder"]))
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".tmp-")]
    assert not leftovers


def test_run_applies_the_language_glossary(tmp_path):
    """A glossary term reaches the spoken translation in `pipeline run`, through a real (test) machine model."""
    import argos_model

    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "packages"), "PIPELINE_GLOSSARY_DIR": str(tmp_path / "glossary")}
    cli("models", "install", "--file", argos_model.package("en", "ko"), env=env)
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "ko.tsv").write_text("Kaesong\t개성\n", "utf-8")
    src = article(tmp_path / "story.txt", "Factories Reopen In The Border Town", 1).read_text().replace("shortwave radio", "Kaesong radio")
    (tmp_path / "story.txt").write_text(src)
    out = tmp_path / "out"
    cli("run", tmp_path / "story.txt", "--lang", "ko", "--out", out, "--cache", tmp_path / "c", "--air", "flagged", env=env)
    manifest = json.loads((out / "factories-reopen-in-the-border-town" / "ko" / "manifest.json").read_text("utf-8"))
    spoken = [s["text"] for s in manifest["sentences"] if "radio" in s["source"]]
    assert spoken and all("개성 radio" in t for t in spoken)  # the copy model keeps the rest as written


def test_profile_change_replaces_the_programme_and_partial_failure_still_publishes(tmp_path, toolset):
    src = article(tmp_path / "story.txt", "Radio Reaches The North Again", 2)
    out, cache = tmp_path / "out", tmp_path / "cache"
    cli("run", src, "--lang", "en", "--out", out, "--cache", cache, "--base-url", "https://radio.example.org/pod")
    folder = out / "radio-reaches-the-north-again" / "en"
    before = ET.parse(out / "feed.en.xml").getroot().find("channel/item")
    # A second language fails (no model); the English one, re-mastered for another profile, is still published.
    r = cli("run", src, "--lang", "en,ko", "--profile", "us-pubradio", "--out", out, "--cache", cache,
            env={"ARGOS_PACKAGES_DIR": str(tmp_path / "none")}, check=False)
    assert r.returncode == 1 and "no en -> ko translation" in r.stderr
    # The MP2 for distribution, and beside it the podcast MP3 that the feed keeps enclosing under the same GUID.
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".mp2", ".mp3", ".srt", ".txt", ".vtt"]
    verify_folder(folder)
    item = ET.parse(out / "feed.en.xml").getroot().find("channel/item")
    enclosure = item.find("enclosure")
    mp3 = folder / "radio-reaches-the-north-again.en.mp3"
    assert int(enclosure.get("length")) == mp3.stat().st_size and enclosure.get("type") == "audio/mpeg"
    # The base URL given once is kept for later runs, joined with exactly one slash.
    assert enclosure.get("url") == "https://radio.example.org/pod/radio-reaches-the-north-again/en/" + mp3.name
    assert enclosure.get("url") == before.find("enclosure").get("url")
    assert item.find("guid").text == before.find("guid").text
    for entry in json.loads((out / "manifest.json").read_text("utf-8"))["files"]:
        assert sha256(out / entry["path"]) == entry["sha256"]


def test_a_crashing_worker_fails_only_its_own_article(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    for name in ("a1", "a2", "CRASHME", "a3"):
        article(arts / f"{name}.txt", f"Evening Bulletin {name}", 1)
    env = {"PYTHONPATH": str(ROOT / "tests" / "data" / "batch")}
    r = cli("batch", arts, "--lang", "en", "--jobs", "2", "--out", tmp_path / "out", "--cache", tmp_path / "c",
            "--json", env=env, check=False)
    assert r.returncode == 1 and "1 of 4 jobs failed" in r.stderr
    jobs = {Path(j["source"]).stem: j for j in json.loads(r.stdout)}
    assert "crashed" in jobs["CRASHME"]["error"]
    for name in ("a1", "a2", "a3"):
        assert jobs[name]["error"] is None
        verify_folder(Path(jobs[name]["result"]["folder"]))


def test_batch_refuses_a_second_article_with_the_same_title(tmp_path):
    arts = tmp_path / "articles"
    (arts / "z").mkdir(parents=True)
    article(arts / "first.txt", "Morning Bulletin From The Border", 1)
    second = article(arts / "z" / "second.txt", "Morning Bulletin From The Border", 2)  # sorted after first.txt
    r = cli("batch", arts, "--lang", "en", "--out", tmp_path / "out", "--cache", tmp_path / "c", "--json", check=False)
    assert r.returncode == 1
    jobs = {Path(j["source"]).name: j for j in json.loads(r.stdout)}
    assert jobs["first.txt"]["error"] is None
    assert "same title as first.txt" in jobs["second.txt"]["error"]
    text = (tmp_path / "out" / "morning-bulletin-from-the-border" / "en" / "morning-bulletin-from-the-border.en.txt")
    assert "Paragraph 2" not in text.read_text()  # the first article's, not overwritten by the second
    assert second.exists()


def test_machine_output_that_fails_the_checks_is_refused_or_aired_flagged_visibly(tmp_path):
    """Issue 14.4: a cipher model's "Korean" (Latin letters) is refused by default; a producer who chooses
    `--air flagged` gets it marked in the summary, the manifest and the report."""
    import argos_model

    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    cli("models", "install", "--file", argos_model.package("en", "ko", "rot13"), env=env)
    src = article(tmp_path / "story.txt", "Radio Reaches The North Again", 1)
    out, slug = tmp_path / "out", "radio-reaches-the-north-again"
    r = cli("run", src, "--lang", "ko", "--out", out, "--cache", tmp_path / "c", "--quiet", env=env, check=False)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("error: machine translation into ko (argos:en-ko@1.0) failed the checks for 3 "
                               "sentence(s): title 'Radio Reaches The North Again' (wrong script: 0% Hangul")
    assert not (out / slug).exists()

    r = cli("run", src, "--lang", "ko", "--out", out, "--cache", tmp_path / "c", "--air", "flagged", env=env)
    assert "3 FLAGGED (failed the translation checks)" in r.stdout
    manifest = verify_folder(out / slug / "ko")
    assert manifest["translation"]["air"] == "flagged"
    assert manifest["translation"]["flagged"] == [s["id"] for s in manifest["sentences"]]
    assert all(s["problems"][0].startswith("wrong script") for s in manifest["sentences"])
    page = (out / "index.html").read_text("utf-8")
    assert "3 machine sentence(s) failed the translation checks" in page
    assert page.count('class="machine flagged" title="FAILED the translation checks: wrong script') == 3


def test_approved_only_airs_the_approved_sentences_and_reports_the_gap(tmp_path):
    """Issue 14.5: the sample with one sentence edited (no approval for it) and no model: refused, naming the
    choice; with `--air approved-only` the 41 approved sentences air and the gap is reported."""
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE_PO, tmp_path / SAMPLE_PO.name)
    src.write_text(SAMPLE.read_text().replace("Pluralistic societies benefit", "Open societies benefit"))
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "none")}
    out = tmp_path / "out"
    r = cli("run", src, "--lang", "ko", "--out", out, "--cache", tmp_path / "c", env=env, check=False)
    assert r.returncode == 1 and "or run with `--air approved-only` to air the 41 approved sentence(s) alone" in r.stderr
    r = cli("run", src, "--lang", "ko", "--out", out, "--cache", tmp_path / "c", "--air", "approved-only", env=env)
    assert "approved 41, 1 LEFT OUT (not approved)" in r.stdout
    manifest = verify_folder(out / SLUG / "ko")
    [gap] = manifest["translation"]["left_out"]
    assert gap["source"].startswith("Open societies benefit") and gap["text"] == ""
    assert len(manifest["sentences"]) == 41 and gap["id"] not in {s["id"] for s in manifest["sentences"]}
    assert {s["origin"] for s in manifest["sentences"]} == {"approved"}
    page = (out / SLUG / "index.html").read_text("utf-8")
    assert "1 sentence(s) not approved, not aired" in page and "Open societies benefit" in page
