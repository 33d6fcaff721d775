"""Hypothesis properties the other modules did not have yet: the segmenter keeps every word and finds the
sentences it is given; a PO review file keeps every approved entry through any number of merges. (Clean, the
normalisers and the slug have theirs in test_clean_properties, test_normalise_properties and test_export_files.)"""

from __future__ import annotations

import re
import unicodedata

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import NONCHARACTERS
from pipeline.segment import normalise, segment_id, split_sentences
from pipeline.translate import TranslatedSentence
from pipeline.translate.review import load_approved, merge

LANGS = ["en", "ko", "zh", "ja", "ru", "de", "sw"]  # pysbd, Kiwi, and sentencex for the rest
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)
_PROSE = st.lists(st.one_of(
    st.sampled_from(["The", "radio", "said", "Mr.", "U.S.", "3.5", "percent", "“Go.”", "(DMZ)", "...", "!", "?", "."]),
    st.sampled_from(["북한", "주민들은", "라디오를", "들었다.", "“가자.”라고", "했다.", "3.5%", "？", "。"]),
    st.sampled_from(["朝鲜", "广播", "说。", "「好。」", "Москва", "сказал.", " ", "\n", "\t", "  "]),
), max_size=40).map(" ".join)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_TEXT, _PROSE), st.sampled_from(LANGS))
def test_sentences_joined_give_the_paragraph_back(text, lang):
    sentences = split_sentences(text, lang)
    assert squash("".join(sentences)) == squash(text)
    for s in sentences:
        assert s and s == normalise(s)  # never empty, already in the form its id is made from


# Words, not random letters: "st." or "no." at a sentence end is a real abbreviation and rightly not a boundary.
_WORDS = ("radio news listeners heard station signal transmitter north south border people freedom letters night "
          "engineers repaired broadcast evening morning families river mountain village city week year").split()
_SENTENCE = st.builds(lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
                      st.sampled_from(_WORDS), st.lists(st.sampled_from(_WORDS), min_size=2, max_size=10),
                      st.sampled_from([".", "?", "!"]))
_KO_SENTENCE = st.builds(lambda words, end: " ".join(words) + end,
                         st.lists(st.sampled_from(["북한", "주민들은", "어제", "라디오", "방송을", "새로운", "소식을"]),
                                  min_size=2, max_size=8),
                         st.sampled_from(["들었습니다.", "전했습니다.", "말했습니다?"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_SENTENCE, min_size=1, max_size=6))
def test_english_sentences_are_found_as_written(sentences):
    assert split_sentences("  ".join(sentences), "en") == sentences


@settings(max_examples=40, deadline=None)
@given(st.lists(_KO_SENTENCE, min_size=1, max_size=5))
def test_korean_sentences_are_found_as_written(sentences):
    assert split_sentences(" ".join(sentences), "ko") == sentences


# --- PO review round trip ---------------------------------------------------------------------------------------

# Anything a translator or an article might put in a PO string: quotes, backslashes, tabs, newlines, CJK, emoji;
# not noncharacters, which the cleaner drops from articles and the PO reader refuses (tests/test_clean_text.py).
_PO_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("\"\\\t\n"),
                   min_size=1, max_size=40).filter(lambda s: s.strip() and not NONCHARACTERS.search(s))


@st.composite
def articles(draw):
    sources = draw(st.lists(_PO_TEXT, min_size=1, max_size=8, unique_by=normalise))
    return [TranslatedSentence(segment_id(s, i), i, s, f"machine {i}", "machine", "m@1") for i, s in enumerate(sources)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles(), st.data())
def test_approved_entries_survive_any_later_merge(tmp_path_factory, first, data):
    path = tmp_path_factory.mktemp("po") / "review.ko.po"
    merge(path, first, "ko", "en")
    # A translator approves some entries with any text (clears fuzzy), in a PO editor.
    po = polib.pofile(str(path), wrapwidth=0)
    chosen = data.draw(st.sets(st.sampled_from(range(len(first)))))
    approved = {}
    for i, entry in enumerate(po):
        assert entry.msgctxt == first[i].id and entry.msgid == first[i].source and "fuzzy" in entry.flags
        if i in chosen:
            entry.msgstr, entry.flags = data.draw(_PO_TEXT), []
            approved[entry.msgctxt] = (entry.msgid, entry.msgstr)
    po.save(str(path))
    # The article is re-run: new machine output, sentences reordered, some dropped, new ones added.
    kept = data.draw(st.permutations(first))[: data.draw(st.integers(0, len(first)))]
    extra = data.draw(articles())
    later = [TranslatedSentence(s.id, s.paragraph, s.source, "newer machine output", "machine", "m@2")
             for s in [*kept, *extra]]
    merge(path, later, "ko", "en")
    merge(path, later, "ko", "en")  # and once more: merging is idempotent for approvals

    loaded = load_approved([path])
    po = polib.pofile(str(path), wrapwidth=0)
    live_sources = {s.source for s in later}
    for sid, (source, text) in approved.items():
        if source in live_sources:  # still in the article (maybe moved to another paragraph): approved and winning
            assert loaded.get(sid, source) == text
            entries = [e for e in po if e.msgid == source and not e.obsolete]
            assert entries and all(e.msgstr == text and "fuzzy" not in e.flags for e in entries)
        else:  # dropped from the article: kept as an obsolete entry, its work not lost
            assert [e.msgstr for e in po.obsolete_entries() if e.msgid == source] == [text]
