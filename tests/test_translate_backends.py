"""A second translation back end fits without touching the stages (issue 14.6): it is chosen by name, and routing,
pivoting (mixing back ends), the cache and the PO loop work through it as they do through argos."""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from argos_model import cipher, clear_packages, package

from pipeline.errors import PipelineError
from pipeline.segment import Segment
from pipeline.translate import backends, models, translate

BACKEND_DIR = Path(__file__).parent / "data" / "translators"
sys.path.insert(0, str(BACKEND_DIR))
import word_order  # noqa: E402

SEGMENTS = (Segment("title", -1, "Hola amigos del norte"), Segment("a", 0, "La radio sigue."))


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    clear_packages()
    monkeypatch.setenv("WORD_ORDER_PAIRS", "es-en")
    monkeypatch.setenv("PIPELINE_TRANSLATORS", "argos,word_order:WordOrder")
    word_order.CALLS.clear()
    yield
    clear_packages()


def reverse(text: str) -> str:
    return " ".join(reversed(text.split()))


def test_back_ends_are_chosen_by_name_in_order():
    assert [type(t).__name__ for t in backends.load()] == ["Argos", "WordOrder"]
    models.install_file(package("es", "en", "rot13"))
    assert backends.route("es", "en").id == "argos:es-en@1.0"  # the first back end that has the pair
    assert backends.route("es", "en", backends.load(["word_order:WordOrder", "argos"])).id == "word-order:es-en@1"
    with pytest.raises(PipelineError, match=r"back end 'nowhere:Nothing' cannot be loaded: ModuleNotFoundError"):
        backends.load(["nowhere:Nothing"])


def test_a_pivot_through_english_chains_two_back_ends(tmp_path):
    models.install_file(package("en", "ru", "rot13"))  # argos for en -> ru; word order for es -> en
    review = tmp_path / "story.ru.po"
    result = translate(SEGMENTS, "ru", source_lang="es", review=review, air="flagged", cache_dir=tmp_path / "c")
    assert [s.text for s in result.sentences] == [cipher(reverse(s.text), "rot13") for s in SEGMENTS]
    assert {s.model for s in result.sentences} == {"word-order:es-en@1 > argos:en-ru@1.0"}
    assert backends.pivot_pairs(backends.load()) == [("es", "ru")]
    # The PO loop records which chain made each draft.
    assert all("[word-order:es-en@1 > argos:en-ru@1.0]" in e.comment for e in polib.pofile(str(review)))


def test_the_cache_keys_on_the_back_ends_identity(tmp_path, monkeypatch):
    first = translate(SEGMENTS, "en", source_lang="es", cache_dir=tmp_path)
    assert [s.text for s in first.sentences] == [reverse(s.text) for s in SEGMENTS] and word_order.CALLS == [2]
    assert translate(SEGMENTS, "en", source_lang="es", cache_dir=tmp_path) == first
    assert word_order.CALLS == [2]  # all from the cache
    monkeypatch.setenv("WORD_ORDER_VERSION", "2")  # a new version of the model: translated again
    assert translate(SEGMENTS, "en", source_lang="es", cache_dir=tmp_path).sentences[0].model == "word-order:es-en@2"
    assert word_order.CALLS == [2, 2]


def test_the_cli_uses_the_named_back_end(tmp_path):
    article = tmp_path / "noticia.txt"
    article.write_text("Hola amigos del norte\n\nLa radio sigue. Los oyentes escriben cartas.\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BACKEND_DIR), str(Path(__file__).parents[1])]),
           "PIPELINE_TRANSLATORS": "word_order:WordOrder", "PIPELINE_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "pipeline", "translate", article, "--lang", "en"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)["en"]
    assert [s["text"] for s in out] == ["norte del amigos Hola", "sigue. radio La", "cartas. escriben oyentes Los"]
    assert {s["model"] for s in out} == {"word-order:es-en@1"}
    r = subprocess.run([sys.executable, "-m", "pipeline", "translate", article, "--lang", "en"], capture_output=True,
                       text=True, env={**env, "PIPELINE_TRANSLATORS": "nowhere:Nothing"})
    assert r.returncode == 1 and r.stderr.startswith("error: translation back end 'nowhere:Nothing' cannot be loaded")
    assert r.stderr.count("\n") == 1
