import json
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
    r = _cli("translate", art, "--lang", "ko,en", "--format", "json", cwd=tmp_path)
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
