"""Properties that must hold for any input: no crash, and nothing a voice would read in the wrong language."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.speech.normalise import normalise, supported_languages

_PIECES = st.one_of(
    st.sampled_from(list("가나다명년월일시개살위차억만천백원달러에서는를의") + [" ", "  "]),
    st.sampled_from(list("0123456789,.~-%$₩€¥£/:·()[]\"'“”—…&+@#!?;") + ["㎞", "℃", "%p", "km", "kHz", "제"]),
    st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3),
)
_MIXED = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MIXED)
def test_korean_output_has_no_ascii_digit_or_latin_letter(text):
    out = normalise(text, "ko")
    assert not re.search(r"[0-9A-Za-z]", out), (text, out)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_korean_never_crashes_on_any_text(text):
    out = normalise(text, "ko")
    assert not re.search(r"[0-9A-Za-z]", out)


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[1-9][0-9]{0,11}", fullmatch=True), st.sampled_from(["명", "개", "시", "년", "살", "번째", ""]))
def test_korean_numbers_with_counters_are_hangul(number, counter):
    out = normalise(f"모두 {number}{counter}입니다.", "ko")
    assert re.fullmatch(r"[가-힣 .]+", out), out


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_english_output_has_no_digits(text):
    assert not re.search(r"[0-9]", normalise(text, "en"))


@pytest.mark.parametrize("lang", ["zh", "ru", "ja"])
@settings(max_examples=100, deadline=None)
@given(text=_MIXED)
def test_other_languages_read_every_digit(lang, text):
    assert not re.search(r"[0-9]", normalise(text, lang))


def test_unknown_language_is_a_pipeline_error():
    with pytest.raises(PipelineError, match="xx"):
        normalise("text", "xx")


def test_supported_languages():
    assert set(supported_languages()) == {"ko", "en", "zh", "ru", "ja"}
    assert normalise("3명", "ko-KR") == "세 명"
