import hashlib
import json
import re
from pathlib import Path

import pytest

from pipeline.article import Article
from pipeline.segment import Segment, segment, segment_id, split_sentences

GOLD = Path(__file__).parent / "data" / "clean" / "why-north-koreans-need-us.gold.json"


def sample() -> Article:
    d = json.loads(GOLD.read_text(encoding="utf-8"))
    return Article(title=d["title"], paragraphs=tuple(d["paragraphs"]), author=d["author"], date=d["date"])


@pytest.mark.parametrize("text, expected", [
    ('Mr. Bush went to the U.S. Army. It cost $2.5 million. No. 5 is here. He said "Go. Now." and left.',
     ["Mr. Bush went to the U.S. Army.", "It cost $2.5 million.", "No. 5 is here.", 'He said "Go. Now." and left.']),
    ("He lives at No. 5 Main St. in the U.S. and earns $3.50 an hour. Mr. Kim disagreed.",
     ["He lives at No. 5 Main St. in the U.S. and earns $3.50 an hour.", "Mr. Kim disagreed."]),
    ("Growth was 3.5 percent in 2007. Dr. Lee said so at 3 p.m. on Friday.",
     ["Growth was 3.5 percent in 2007.", "Dr. Lee said so at 3 p.m. on Friday."]),
    ("“Go now,” he said. “We must.” Then he left.", ["“Go now,” he said.", "“We must.”", "Then he left."]),
    ("He arrived at 3 p.m. Tuesday. Officials in Washington, D.C. said so.",
     ["He arrived at 3 p.m. Tuesday.", "Officials in Washington, D.C. said so."]),
    ("He left at 5 a.m. Officials said so.",
     ["He left at 5 a.m.", "Officials said so."]),
    ("They met at 9 a.m. Tuesday. Yes. It rained.", ["They met at 9 a.m. Tuesday.", "Yes.", "It rained."]),
])
def test_english_abbreviations_decimals_quotes(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("ko", '안녕하세요. 성장률은 3.5% 였습니다. 그는 "좋다. 가자."라고 말했습니다. 정말입니까? 네.',
     ["안녕하세요.", "성장률은 3.5% 였습니다.", '그는 "좋다. 가자."라고 말했습니다.', "정말입니까?", "네."]),
    ("zh", "他说：“我们走吧。”然后离开了。价格是3.5元！真的吗？",
     ["他说：“我们走吧。”", "然后离开了。", "价格是3.5元！", "真的吗？"]),
    ("ja", "彼は「行こう。」と言った。値段は3.5円です！本当？", ["彼は「行こう。」と言った。", "値段は3.5円です！", "本当？"]),
    ("ru", "Он приехал в 5 ч. утра. Цена выросла на 3.5 процента. Он сказал: «Идём». И ушёл.",
     ["Он приехал в 5 ч. утра.", "Цена выросла на 3.5 процента.", "Он сказал: «Идём».", "И ушёл."]),
])
def test_target_languages(lang, text, expected):
    assert split_sentences(text, lang) == expected


def test_sample_article_segments():
    segs = segment(sample())
    assert len(segs) == 41
    assert [s.paragraph for s in segs].count(5) == 5
    assert segs[0] == Segment("c05bca4fbedcb2d0", 0, "For a country renowned for its reclusive nature, North Korea "
                              "has a way of staying in the news.")
    quote = [s.text for s in segs if s.text.startswith("As Mr. Bush")]
    assert quote and quote[0].endswith('in other lands."')
    for p, para in enumerate(sample().paragraphs):
        joined = " ".join(s.text for s in segs if s.paragraph == p)
        assert re.sub(r"\s+", " ", joined) == re.sub(r"\s+", " ", para).strip()


def test_ids_are_stable_and_depend_on_paragraph():
    a = segment(Article(title="t", paragraphs=("One. Two.", "One.")))
    assert [s.text for s in a] == ["One.", "Two.", "One."]
    assert a[0].id != a[2].id  # same sentence, other paragraph
    assert a[0].id == segment_id("  One.\n", 0) and len(a[0].id) == 16
    assert segment(Article(title="x", paragraphs=("One.  Two.",)))[:2] == a[:2]


def test_empty_and_unknown_language():
    assert split_sentences("   ", "en") == []
    assert split_sentences("Habari yako. Ni nzuri sana.", "sw") == ["Habari yako.", "Ni nzuri sana."]


def test_a_run_splits_each_paragraph_once_and_then_reads_it_from_the_cache(tmp_path, monkeypatch):
    # An edit splits only the paragraph it changed; the memo gives the very segments the splitter gives.
    import pipeline.segment as seg
    from pipeline.cache import Cache, key
    from pipeline.run import _memo_split

    art, calls = sample(), []
    real = seg.split_sentences
    monkeypatch.setattr(seg, "split_sentences", lambda text, lang: calls.append(text) or real(text, lang))
    store = Cache(tmp_path)
    first = segment(art, _memo_split(store))
    assert first == segment(art) and len(calls) == 2 * len(art.paragraphs)  # (the second: the plain segment)
    calls.clear()
    edited = Article(title=art.title, paragraphs=(art.paragraphs[0] + " One more.", *art.paragraphs[1:]))
    again = segment(edited, _memo_split(store))
    assert calls == [edited.paragraphs[0]] and again[len(split_sentences(edited.paragraphs[0], "en")):] == first[
        len(split_sentences(art.paragraphs[0], "en")):]
    # An entry that does not give its paragraph back (a foreign cache) is split again; so is a damaged one.
    entry = store.path("sentences", key("sentences", seg.stamp("en"), "en", art.paragraphs[1]), ".json")
    entry.unlink()
    store.put_json("sentences", entry.stem, {"sentences": ["Something else entirely."]})
    entry2 = store.path("sentences", key("sentences", seg.stamp("en"), "en", art.paragraphs[2]), ".json")
    entry2.write_text('{"sentences": ["Damaged."]}')
    calls.clear()
    assert segment(art, _memo_split(store)) == first and calls == [art.paragraphs[1], art.paragraphs[2]]


def test_the_memo_key_changes_with_the_splitter_package_and_this_code():
    import pipeline.segment as seg

    from importlib import metadata

    en, ko, other = seg.stamp("en-US"), seg.stamp("ko"), seg.stamp("sw")
    assert ("pysbd", metadata.version("pysbd")) == en[2][:2] and ("kiwipiepy", metadata.version("kiwipiepy")) == ko[2][:2]
    assert ("sentencex", metadata.version("sentencex")) == other[2][:2]
    assert en[1] == ko[1] == other[1] == hashlib.sha256(Path(seg.__file__).read_bytes()).hexdigest()  # this code
