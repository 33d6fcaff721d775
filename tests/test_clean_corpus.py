"""The issue-15 corpus (bench/clean_corpus): real pages from many sites, split by site, and the floors the clean stage
keeps on it. The development half is what the rules were fitted on; the test and final to final11 splits were each scored
once before any change for them (bench/clean_corpus/runs/*-first-run.txt) and are kept here at the level reached
since, as regression floors (no longer measures of unseen sites)."""

import json
from pathlib import Path

import pytest

from bench import clean_eval
from pipeline.article import clean, clean_source

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "clean_corpus"
SPLITS = ("dev", "test", "final", "final2", "final3", "final4", "final5", "final6", "final7", "final8", "final9", "final10", "final11", "final12", "final13", "final14", "final15", "final16", "final17", "final18", "final19")
READ_BACK = SPLITS


def golds(split):
    return [json.loads(p.read_text("utf-8")) for p in sorted((CORPUS / split / "gold").glob("*.json"))]


def summary(split, kind=None):
    scores = [clean_eval.score(*c) for c in clean_eval.cases(CORPUS / split)]
    if kind:
        scores = [s for s in scores if s.kind == kind]
    return clean_eval.summarise(scores)


def test_corpus_is_large_enough_and_split_by_site():
    sites = {split: {g["site"] for g in golds(split)} for split in SPLITS}
    assert len(golds("dev")) + len(golds("test")) >= 60
    assert len(sites["dev"] | sites["test"]) >= 30
    assert all(not sites[a] & sites[b] for a in SPLITS for b in SPLITS if a < b)
    assert all(g.get("url") and g.get("site") for split in SPLITS for g in golds(split))
    assert all((CORPUS / "runs" / f"{s}-first-run.txt").is_file() for s in SPLITS if s != "dev")


def test_development_half_stays_at_its_fitted_level():
    m = summary("dev", "txt")
    assert m.para_f1 >= 0.97 and m.char_f1 >= 0.98
    assert m.meta["title"] >= 0.95 and m.meta["author"] >= 0.95 and m.meta["date"] >= 0.99
    assert m.refused == (5, 5) and m.failed == 0


# Each split was fitted on after its first runs (runs/<split>-first-run*.txt hold the honest numbers for unseen
# sites): these are regression floors, training scores. "refused": at least this many pages with no article refused
# (default: every one).
@pytest.mark.parametrize("split, floor", [
    ("test", {"para_f1": 0.955, "title": 0.99, "author": 0.89, "date": 0.99}),
    ("final", {"para_f1": 0.97, "title": 0.85, "author": 0.92, "date": 0.92}),
    ("final2", {"para_f1": 0.975, "title": 0.94, "author": 0.88, "date": 0.88}),
    ("final3", {"para_f1": 0.99, "title": 0.99, "author": 0.99, "date": 0.94}),
    ("final4", {"para_f1": 0.99, "title": 0.95, "author": 0.95, "source": 0.99, "date": 0.99}),  # round 4
    ("final5", {"para_f1": 0.98, "title": 0.99, "author": 0.99, "source": 0.99, "date": 0.99}),  # round 5
    ("final6", {"para_f1": 0.91, "title": 0.91, "author": 0.91, "source": 0.95, "date": 0.95}),  # round 6; all 3 refused since 12
    ("final7", {"para_f1": 0.93, "title": 0.82, "author": 0.95, "source": 0.99, "date": 0.87, "refused": 1}),  # 7
    ("final8", {"para_f1": 0.93, "title": 0.81, "author": 0.90, "source": 0.90, "date": 0.94}),  # round 8
    ("final9", {"para_f1": 0.89, "title": 0.72, "author": 0.81, "source": 0.76, "date": 0.90}),  # round 8; all 3 refused since 12
    ("final10", {"para_f1": 0.96, "title": 0.80, "author": 0.99, "source": 0.99, "date": 0.94}),  # round 11
    ("final11", {"para_f1": 0.91, "title": 0.89, "author": 0.94, "source": 0.89, "date": 0.94}),  # round 11
    ("final12", {"para_f1": 0.93, "title": 0.85, "author": 0.94, "source": 0.80, "date": 0.99}),  # round 12
    ("final13", {"para_f1": 0.975, "title": 0.94, "author": 0.99, "source": 0.89, "date": 0.99}),  # round 13
    ("final14", {"para_f1": 0.88, "title": 0.80, "author": 0.89, "source": 0.80, "date": 0.94}),  # round 12
    ("final15", {"para_f1": 0.895, "title": 0.89, "author": 0.85, "source": 0.89, "date": 0.94}),  # round 13
    ("final16", {"para_f1": 0.975, "title": 0.95, "author": 0.86, "source": 0.99, "date": 0.95}),  # round 13
    # final17 is not fitted on: its first run's level (d4efa42; the round's last code, ed95862, gave the same output)
    ("final17", {"para_f1": 0.945, "title": 0.82, "author": 0.82, "source": 0.86, "date": 0.90, "refused": 0}),
    ("final18", {"para_f1": 0.88, "title": 0.82, "author": 0.77, "source": 0.90, "date": 0.95, "refused": 1}),  # 13
    # final19 is not fitted on: its first run's level (ed95862)
    ("final19", {"para_f1": 0.955, "title": 0.82, "author": 0.86, "source": 0.90, "date": 0.95}),
])
def test_seen_splits_keep_the_level_reached(split, floor):
    m = summary(split)
    assert m.para_f1 >= floor["para_f1"] and m.failed == 0
    assert all(m.meta[k] >= floor[k] for k in ("title", "author", "source", "date") if k in floor)
    assert m.refused[0] >= floor.get("refused", m.refused[1])


def test_html_pages_keep_their_headline():
    m = summary("dev", "html")
    assert m.para_f1 >= 0.95 and m.meta["title"] >= 0.95


@pytest.mark.parametrize("raw", sorted(p for s in READ_BACK for p in (CORPUS / s / "raw").iterdir()), ids=lambda p: p.name)
def test_every_corpus_page_reads_back_its_own_text(raw):
    try:
        art = clean_source(str(raw))
    except Exception as exc:  # a page with no article is refused, and that is all
        assert "article" in str(exc)
        return
    assert clean(art.to_text()) == art
