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


def test_a_sentence_is_shared_evenly_between_cues_never_leaving_a_lone_word():
    """Issue 13.5: line filling left 'Europe.' as a 0.43 s cue of its own; the words are now shared out."""
    from pipeline.export import cue_texts

    sentence = ("Pluralistic societies benefit their citizens and also improve international stability across "
                "Europe.")
    cues = cue_texts(sentence)
    assert len(cues) == 2 and all(" " in c.replace("\n", " ") for c in cues)
    lengths = [len(c) for c in cues]
    assert max(lengths) - min(lengths) < 15
    cue_lines = [line for c in cues for line in c.split("\n")]
    assert all(len(line) <= 42 for line in cue_lines) and " ".join(cue_lines) == sentence
    # Two lines of one cue are balanced, not 42 + a word.
    (one,) = cue_texts("The relay station near the border kept broadcasting through the winter.")
    top, bottom = one.split("\n")
    assert abs(len(top) - len(bottom)) <= 12


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij가나다라마", min_size=1, max_size=14), min_size=1, max_size=40))
def test_cues_hold_the_words_in_as_few_cues_as_fit(words):
    import textwrap

    from pipeline.export import cue_texts

    sentence = " ".join(words)
    cues = cue_texts(sentence)
    lines = [line for c in cues for line in c.split("\n")]
    assert all(len(line) <= 42 for line in lines) and all(c.count("\n") <= 1 for c in cues)
    assert " ".join(lines) == sentence
    assert len(cues) <= len(textwrap.wrap(sentence, 42)) // 2 + 2  # never many more cues than line filling


def test_text_without_spaces_is_cut_between_characters():
    from pipeline.export import cue_texts

    text = "北韩居民需要我们的原因很简单" * 8
    cues = cue_texts(text)
    assert "".join(c.replace("\n", "") for c in cues) == text
    assert all(len(line) <= 42 for c in cues for line in c.split("\n"))
