"""Properties over generated inputs: only PipelineError escapes, output is text of the input, reading is stable."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import clean, repair
from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
GOLD = json.loads((ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json").read_text())
SAMPLE_LINES = (ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt").read_text().splitlines()
FURNITURE = [ln for ln in SAMPLE_LINES if ln.strip() and ln not in GOLD["paragraphs"]] + [
    "Listen", "00:00 / 03:21", "Download MP3", "Share this:", "12 Comments", "Related Articles", "Advertisement",
    "Home > World > Asia", "(Photo: Reuters)", "Subscribe to our newsletter", "We use cookies on this site.",
    "By Jane Doe", "March 3, 2024", "입력 2024.03.05 10:12", "김민수 기자", "",
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pages = st.lists(st.one_of(st.sampled_from(FURNITURE), st.sampled_from(GOLD["paragraphs"]), st.text(max_size=80)),
                 max_size=25).map("\n".join)


def flat(text: str) -> str:
    return " ".join(text.split())


@SETTINGS
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000), pages))
def test_only_pipeline_errors_escape(data):
    try:
        art = clean(data)
    except PipelineError as exc:
        assert "\n" not in str(exc)
        return
    assert art.title and art.paragraphs and all(p.strip() for p in art.paragraphs)


@SETTINGS
@given(pages)
def test_paragraphs_are_text_of_the_repaired_input(page):
    try:
        art = clean(page, kind="text")
    except PipelineError:
        return
    whole = flat(repair(page))
    assert all(p in whole for p in art.paragraphs)


@SETTINGS
@given(pages)
def test_reading_its_own_text_gives_the_same_paragraphs(page):
    try:
        art = clean(page, kind="text")
    except PipelineError:
        return
    again = clean(art.to_text(), kind="text")
    assert again.paragraphs == art.paragraphs


@SETTINGS
@given(st.lists(st.sampled_from(FURNITURE), max_size=8), st.lists(st.sampled_from(FURNITURE), max_size=8))
def test_furniture_around_the_sample_body_never_joins_it(before, after):
    body = "\n\n".join(GOLD["paragraphs"])
    art = clean("\n".join(before) + "\n\nWhy North Koreans Need Us\n\n" + body + "\n\n" + "\n".join(after), kind="text")
    assert art.paragraphs == tuple(GOLD["paragraphs"])
