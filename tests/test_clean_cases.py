"""The clean stage against gold articles: the shipped sample and every case in bench/clean_cases."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.article import Article, clean, clean_source

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
SAMPLE_GOLD = json.loads((ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json").read_text())
CASES = ROOT / "bench" / "clean_cases"
FIELDS = ("title", "author", "author_role", "source", "date", "paragraphs")


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=ROOT, **kw)


def case_names():
    return sorted(p.stem for p in (CASES / "gold").glob("*.json"))


def raw_path(name):
    (path,) = (CASES / "raw").glob(name + ".*")
    return path


def test_sample_through_function_matches_gold():
    art = clean_source(str(SAMPLE)).to_dict()
    assert {k: art[k] for k in FIELDS} == SAMPLE_GOLD
    assert len(art["paragraphs"]) == 11 and art["language"] == "en"


def test_sample_through_cli_matches_gold():
    r = cli("clean", str(SAMPLE))
    assert r.returncode == 0, r.stderr
    art = json.loads(r.stdout)
    assert {k: art[k] for k in FIELDS} == SAMPLE_GOLD


def test_sample_from_stdin_matches_gold():
    r = cli("clean", "-", input=SAMPLE.read_bytes())
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["paragraphs"] == SAMPLE_GOLD["paragraphs"]


def test_text_format_starts_with_header():
    r = cli("clean", str(SAMPLE), "--format", "text")
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    assert lines[:4] == ["Why North Koreans Need Us", "By Jay Lefkowitz, Special Envoy for Human Rights in North Korea",
                         "The New York Sun", "2008-05-05"]


def test_there_are_enough_case_shapes():
    assert len(case_names()) >= 6


@pytest.mark.parametrize("name", case_names())
def test_case_matches_gold(name):
    gold = json.loads((CASES / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    art = clean_source(str(raw_path(name))).to_dict()
    assert {k: art[k] for k in gold} == gold


@pytest.mark.parametrize("name", case_names())
def test_case_reads_back_its_own_text(name):
    art = clean_source(str(raw_path(name)))
    assert clean(art.to_text()) == art


def test_korean_case_is_euc_kr_bytes():
    data = raw_path("ko-news-euckr").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert clean(data).language == "ko"


def test_eval_script_scores_the_cases(capsys):
    from bench import clean_eval

    assert clean_eval.main([]) == 0
    out = capsys.readouterr().out
    assert "why-north-koreans-need-us" in out and "overall" in out
    assert all(name in out for name in case_names())


def test_eval_script_counts_a_wrong_paragraph(tmp_path):
    from bench import clean_eval

    (tmp_path / "raw").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "raw" / "s.txt").write_bytes(SAMPLE.read_bytes())
    gold = dict(SAMPLE_GOLD, paragraphs=SAMPLE_GOLD["paragraphs"][:10] + ["A paragraph the page does not hold."],
                date=None)
    (tmp_path / "gold" / "s.json").write_text(json.dumps(gold))
    (s,) = [clean_eval.score(*c) for c in clean_eval.cases(tmp_path)]
    assert (s.tp, s.n_out, s.n_gold) == (10, 11, 11)
    assert s.meta == {"title": True, "author": True, "source": True, "date": False}
    assert 0.8 < s.char_f1 < 1.0
