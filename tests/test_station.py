"""The station file: the documented example loads, every field is checked, URLs come out absolute and encoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.speech.voices import load_voice
from pipeline.station import APPLE_CATEGORIES, Station, base_url, from_option, join, load

ROOT = Path(__file__).resolve().parents[1]


def test_the_documented_example_loads():
    station = load(ROOT / "docs" / "station.example.toml")
    assert station.name == "Example Radio" and station.category == "News" and station.subcategory == "Daily News"
    assert station.idents("ko", load_voice("ko")) == ("예시 라디오 뉴스입니다.", "지금까지 예시 라디오 뉴스였습니다.")
    assert station.feed_title("en") == "Example Radio News" and station.base_url == "https://example.org/podcast/"


def test_apple_category_list_has_its_19_categories_and_110_entries():
    assert len(APPLE_CATEGORIES) == 19
    assert len(APPLE_CATEGORIES) + sum(len(v) for v in APPLE_CATEGORIES.values()) == 110


@pytest.mark.parametrize("text, message", [
    ('nmae = "x"\n', "'nmae' is not a station field"),
    ('owner_email = "not an address"\n', "'owner_email' is not an e-mail address"),
    ('category = "News"\nsubcategory = "Drama"\n', "'subcategory' is not a subcategory of News"),
    ('explicit = "no"\n', "'explicit' must be true or false"),
    ('website = "example.org"\n', "'website' 'example.org' is not an absolute http(s) URL"),
    ('artwork = "missing.png"\n', "'artwork' names no file"),
    ('[languages.ko]\nintro = "a\\u0000b"\n', "'languages.ko.intro' must be at most"),
    ('[languages.KO]\nintro = "x"\n', "'languages.KO' must be a table named by a language code"),
    ('[languages.ko]\ntitle = "x"\n', "'languages.ko.title' is not a language setting"),
    ("name = [\n", "cannot be read"),
])
def test_every_bad_field_is_named(tmp_path, text, message):
    (tmp_path / "s.toml").write_text(text, "utf-8")
    with pytest.raises(PipelineError) as err:
        load(tmp_path / "s.toml")
    assert message in str(err.value) and "docs/station.md" in str(err.value)


def test_idents_come_from_the_station_then_the_voice_and_none_names_anyone(tmp_path):
    (tmp_path / "s.toml").write_text('[languages.ko]\nintro = ""\noutro = "끝."\n', "utf-8")
    station = load(tmp_path / "s.toml")
    assert station.idents("ko", load_voice("ko")) == ("", "끝.")
    assert Station().idents("ko", load_voice("ko")) == ("", "")  # the shipped voice says nothing
    assert from_option("Radio Test").name == "Radio Test" and from_option("Radio Test").idents("en", load_voice("en")) == ("", "")


def test_urls_are_absolute_and_percent_encoded():
    assert base_url("https://radio.example.org/news pod") == "https://radio.example.org/news%20pod/"
    assert base_url("https://ex.org/a%20b/") == "https://ex.org/a%20b/"  # not encoded twice
    assert join(base_url("https://ex.org/x y"), "slug/ko/a b.mp3") == "https://ex.org/x%20y/slug/ko/a%20b.mp3"
    for bad in ("ftp://ex.org/", "/relative", "javascript:alert(1)", "https://ex ample.org/", "https://ex.org/#top"):
        with pytest.raises(PipelineError):
            base_url(bad)
