import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.export import file_entry, iso639_2, slug, srt, transcript, vtt, write_manifest, write_tags, Tags

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=20, max_value=120))
def test_slug_is_always_one_safe_component(title, max_len):
    s = slug(title, max_len)
    assert SLUG.fullmatch(s), s
    assert len(s) <= max_len
    assert s not in ("con", "nul", "aux", "prn")
    assert slug(title, max_len) == s


@given(st.text(alphabet=st.characters(categories=["So", "Sm", "Po"]), min_size=1, max_size=20),
       st.text(alphabet=st.characters(categories=["So", "Sm", "Po"]), min_size=1, max_size=20))
def test_titles_without_letters_stay_apart(a, b):
    if a != b and slug(a).startswith("untitled-") and slug(b).startswith("untitled-"):
        assert slug(a) != slug(b)


def test_slug_examples():
    assert slug("북한 주민들이 왜 우리가 필요한가") == "bughan-jumindeuli-wae-uliga-pilyohanga"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Why North Koreans Need Us — Part 2!") == "why-north-koreans-need-us-part-2"
    assert slug("CON").startswith("con-") and slug("").startswith("untitled-")
    assert slug("word " * 50, 20) == "word-word-word-word"


CUES = [(0.0, 2.5, "First sentence."), (2.9, 12.0, "A much longer second sentence that certainly will not fit on "
                                                      "two lines of forty-two characters each, so it is split."),
        (12.4, 13.0, "Tags <b> & --> arrows\n\nand blank lines.")]


def _blocks(text):
    return [b for b in text.strip("\n").split("\n\n")]


def test_srt_is_well_formed():
    out = srt(CUES)
    blocks = _blocks(out)
    words = []
    previous_end = 0.0
    for n, block in enumerate(blocks, 1):
        lines = block.split("\n")
        assert lines[0] == str(n)
        m = re.fullmatch(r"(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})", lines[1])
        assert m
        v = list(map(int, m.groups()))
        start = v[0] * 3600 + v[1] * 60 + v[2] + v[3] / 1000
        end = v[4] * 3600 + v[5] * 60 + v[6] + v[7] / 1000
        assert previous_end <= start < end
        previous_end = end
        assert 1 <= len(lines[2:]) <= 2 and all(0 < len(ln) <= 42 for ln in lines[2:])
        words += " ".join(lines[2:]).split()
    assert " ".join(words) == " ".join(" ".join(t for _, _, t in CUES).replace("-->", "->").split())
    assert blocks[-1].endswith("and blank lines.")
    assert "00:00:12,000" in out  # the split cue ends where the sentence ends


def test_vtt_is_well_formed():
    out = vtt(CUES)
    assert out.startswith("WEBVTT\n\n")
    for block in _blocks(out)[1:]:
        lines = block.split("\n")
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}", lines[0])
        assert "-->" not in " ".join(lines[1:]) and "<" not in " ".join(lines[1:])
    assert "&lt;b&gt; &amp;" in out


def test_bad_timing_is_refused():
    with pytest.raises(PipelineError):
        srt([(3.0, 1.0, "backwards")])


def test_transcript():
    assert transcript([["One.", "Two."], ["Three."]], title="Title") == "Title\n\nOne. Two.\n\nThree.\n"


def test_language_codes():
    assert iso639_2("ko") == "kor" and iso639_2("en-US") == "eng" and iso639_2("kor") == "kor"
    with pytest.raises(PipelineError):
        iso639_2("xx")


def test_write_tags_refuses_bad_date(tmp_path):
    with pytest.raises(PipelineError, match="date"):
        write_tags(tmp_path / "x.mp3", Tags(title="t", date="27/11/2026"))


def test_manifest(tmp_path):
    root = tmp_path / "outputs"
    (root / "a" / "ko").mkdir(parents=True)
    f = root / "a" / "ko" / "a.ko.txt"
    f.write_text("안녕하세요\n", encoding="utf-8")
    entry = file_entry(f, root)
    assert entry == {"path": "a/ko/a.ko.txt", "bytes": f.stat().st_size,
                     "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
    with pytest.raises(PipelineError, match="outside"):
        file_entry(tmp_path / "elsewhere.txt", root)
    manifest = write_manifest(root / "manifest.json", [entry], {"run": "test"})
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["files"] == [entry] and data["run"] == "test"
    assert sorted(p.name for p in root.iterdir()) == ["a", "manifest.json"]  # no temp file left


def test_layout_and_sidecars(tmp_path):
    from pipeline.export import layout, write_sidecars

    where = layout(tmp_path, "north-korea-news", "ko")
    assert where.audio == tmp_path / "north-korea-news" / "ko" / "north-korea-news.ko.mp3"
    written = write_sidecars(where, transcript([["하나."]]), [(0.0, 1.0, "하나.")])
    assert [p.name for p in written] == ["north-korea-news.ko.txt", "north-korea-news.ko.srt", "north-korea-news.ko.vtt"]
    assert sorted(p.name for p in where.folder.iterdir()) == sorted(p.name for p in written)
    with pytest.raises(PipelineError):
        layout(tmp_path, "../x", "ko")
    with pytest.raises(PipelineError):
        layout(tmp_path, "x", "../ko")
