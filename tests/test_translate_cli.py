import json
import shutil
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from argos_model import clear_packages, package

from pipeline import article
from pipeline.translate import models

ARTICLE = "A Short Test\nBy Someone\n\nThe first sentence. Mr. Lee went to the U.S. today.\n\nA second paragraph.\n"


def _clean_stage_ready(tmp: Path) -> bool:
    path = tmp / "probe.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    try:
        article.clean_source(str(path))
    except NotImplementedError:
        return False
    return True


@pytest.fixture
def art(tmp_path):
    if not _clean_stage_ready(tmp_path):
        pytest.skip("clean stage not merged")
    clear_packages()
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    yield path
    clear_packages()


def _cli(*args, cwd: Path):
    root = Path(__file__).parent.parent
    env = os.environ | {"PIPELINE_CACHE_DIR": str(cwd / "cache"), "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd)


def test_translate_json_for_two_languages(art, tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    r = _cli("translate", art, "--lang", "ko,en", "--format", "json", "--air", "flagged", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert sorted(out) == ["en", "ko"]
    sources = [s["source"] for s in out["ko"]]
    assert "Mr. Lee went to the U.S. today." in sources
    for s in out["ko"]:
        assert set(s) >= {"id", "source", "text", "origin"} and s["origin"] == "machine"
        assert s["text"] == s["source"].translate(str.maketrans(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZABCDEFGHIJKLM"))
    assert [s["origin"] for s in out["en"]] == ["source"] * len(out["en"])


def test_translate_review_then_require_approved(art, tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "a.ko.po"
    r = _cli("translate", art, "--lang", "ko", "--review", review, "--require-approved", cwd=tmp_path)
    assert r.returncode == 1 and "--require-approved" in r.stderr and "Traceback" not in r.stderr
    po = polib.pofile(str(review))
    assert po and all("fuzzy" in e.flags for e in po)
    for e in po:
        e.msgstr, e.flags = f"승인 {e.msgid}", []
    po.save(str(review))
    r = _cli("translate", art, "--lang", "ko", "--review", review, "--require-approved", "--format", "text",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "승인 Mr. Lee went to the U.S. today." in r.stdout


def test_translate_without_model_names_the_ways_out(art, tmp_path):
    r = _cli("translate", art, "--lang", "ko", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("error: no en -> ko translation for")
    assert "pipeline models install en ko" in r.stderr and "Traceback" not in r.stderr


SAMPLE = Path(__file__).parent.parent / "pipeline" / "samples" / "why-north-koreans-need-us.txt"


@pytest.fixture
def sample(tmp_path):
    """The sample article with its approved Korean PO beside it, as `pipeline run` finds it; no model installed."""
    clear_packages()
    for p in (SAMPLE, SAMPLE.with_suffix(".ko.po")):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    yield tmp_path / SAMPLE.name
    clear_packages()


def test_translate_uses_the_approved_po_beside_the_article_as_run_does(sample, tmp_path):
    r = _cli("translate", sample, "--lang", "ko", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    sentences = json.loads(r.stdout)["ko"]
    assert sentences[0]["id"] == "title" and sentences[0]["text"] == "북한 주민들에게 우리가 필요한 이유"
    assert {s["origin"] for s in sentences} == {"approved"} and len(sentences) == 42


def test_translate_review_writes_the_headline_entry_and_a_clean_header(art, tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "a.ko.po"
    r = _cli("translate", art, "--lang", "ko", "--review", review, "--air", "flagged", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    po = polib.pofile(str(review))
    assert (po[0].msgctxt, po[0].msgid, po[0].msgstr) == ("title", "A Short Test", "N Fubeg Grfg")
    assert po.metadata["Language"] == "ko" and po.metadata["PO-Revision-Date"]
    assert "Last-Translator" in po.metadata and "Language-Team" in po.metadata
    if shutil.which("msgfmt"):  # Debian's gettext: CI installs it
        check = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(review)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stderr == "", check.stderr


def test_translate_gives_every_language_its_turn(sample, tmp_path):
    """No ja model: ja fails, ko (approved PO beside the article) is still translated and printed; exit 1."""
    r = _cli("translate", sample, "--lang", "ja,ko", cwd=tmp_path)
    assert r.returncode == 1
    assert sorted(json.loads(r.stdout)) == ["ko"]
    assert r.stderr.startswith("error: 1 of 2 languages failed: [ja] no en -> ja translation")
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
