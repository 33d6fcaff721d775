import json
import random
from pathlib import Path

import polib
import pytest
from argos_model import PACKAGES, cipher, clear_packages, package

from pipeline.article import Article
from pipeline.errors import PipelineError
from pipeline.segment import Segment, segment, segment_id
from pipeline.translate import TranslatedSentence, Translation, engine, models, translate
from pipeline.translate.review import merge as review_merge

SAMPLE_PO = Path(__file__).parent.parent / "pipeline" / "samples" / "why-north-koreans-need-us.ko.po"
GOLD = Path(__file__).parent / "data" / "clean" / "why-north-koreans-need-us.gold.json"


@pytest.fixture(autouse=True)
def _clean():
    clear_packages()
    yield
    clear_packages()


def segs(*paragraphs: str) -> tuple[Segment, ...]:
    return segment(Article(title="t", paragraphs=paragraphs))


def random_sentences(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words = "the of North Korea radio news said 3.5 percent Mr. Lee U.S. refugees freedom DMZ $25,000".split()
    out = []
    for i in range(n):
        length = rng.choice([1, 2, 3, 5, 8, 13, 21, 34])
        out.append(f"S{i} " + " ".join(rng.choice(words) for _ in range(length)) + rng.choice(".?!"))
    return out


def the_engine(pkg_path: Path) -> engine.Engine:
    return engine.load(pkg_path, engine.EngineSettings())


def test_same_language_is_source_with_no_model():
    result = translate(segs("One. Two."), "en", source_lang="en")
    assert [(s.text, s.origin, s.model) for s in result.sentences] == [("One.", "source", None), ("Two.", "source", None)]


def test_alignment_on_220_sentences_of_mixed_lengths():
    models.install_file(package("en", "ko", "rot13"))
    sentences = random_sentences(220)
    segments = tuple(Segment(segment_id(t, i // 10), i // 10, t) for i, t in enumerate(sentences))
    result = translate(segments, "ko", air="flagged")
    assert [s.text for s in result.sentences] == [cipher(t, "rot13") for t in sentences]
    assert [s.id for s in result.sentences] == [s.id for s in segments]
    assert {s.origin for s in result.sentences} == {"machine"}
    assert result.sentences[0].model == "argos:en-ko@1.0"
    eng = the_engine(PACKAGES / "translate-en_ko-1_0")
    assert eng.calls == 1  # the whole article in one batched call
    lengths = [len(eng.sp.encode(sentences[i])) for i in eng.order]
    assert lengths == sorted(lengths, reverse=True) and eng.order != list(range(220))


def test_length_order_is_stable():
    assert engine.length_order([3, 5, 3, 9, 5]) == [3, 1, 4, 0, 2]


def test_pivot_through_english_chains_both_models():
    models.install_file(package("es", "en", "rot13"))
    models.install_file(package("en", "ko", "atbash"))
    text = "Hola, amigos del Norte. Son las 3.5 horas."
    result = translate(segs(text), "ko", source_lang="es", air="flagged")
    assert [s.text for s in result.sentences] == [cipher(cipher(t, "rot13"), "atbash")
                                                  for t in ("Hola, amigos del Norte.", "Son las 3.5 horas.")]
    assert result.sentences[0].model == "argos:es-en@1.0 > argos:en-ko@1.0"


def test_direct_package_beats_pivot():
    models.install_file(package("es", "en", "rot13"))
    models.install_file(package("en", "ko", "atbash"))
    models.install_file(package("es", "ko", "copy"))
    assert translate(segs("Hola amigos."), "ko", source_lang="es", air="flagged").sentences[0].text == "Hola amigos."


def test_cache_hits_need_no_inference(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    segments = segs("The first sentence. The second one.", "A third.")
    first = translate(segments, "ko", cache_dir=tmp_path, air="flagged")
    eng = the_engine(PACKAGES / "translate-en_ko-1_0")
    assert eng.calls == 1
    assert translate(segments, "ko", cache_dir=tmp_path, air="flagged") == first
    assert eng.calls == 1
    # one new sentence: only it goes through the model
    more = segs("The first sentence. The second one.", "A third. A fourth!")
    assert translate(more, "ko", cache_dir=tmp_path, air="flagged").sentences[-1].text == "N sbhegu!"
    assert eng.calls == 2
    engine.unload()  # a new process: models load again, the cache still answers
    assert translate(segments, "ko", cache_dir=tmp_path, air="flagged") == first
    assert the_engine(PACKAGES / "translate-en_ko-1_0").calls == 0


def test_cache_key_changes_with_model_version(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    translate(segs("Hello there."), "ko", cache_dir=tmp_path, air="flagged")
    models.install_file(package("en", "ko", "atbash", version="2.0"))
    result = translate(segs("Hello there."), "ko", cache_dir=tmp_path, air="flagged")
    assert result.sentences[0].text == cipher("Hello there.", "atbash")
    assert result.sentences[0].model == "argos:en-ko@2.0"


def test_glossary_fixed_and_kept_terms(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    gloss = tmp_path / "ko.tsv"
    gloss.write_text("# names\nLee Myung-bak\t이명박\nLee\t이\nDMZ\t=\nKaesong Industrial Complex\t개성공단\n",
                     encoding="utf-8")
    text = "Mr. Lee Myung-bak visited the DMZ and the Kaesong Industrial Complex with Lee."
    result = translate(segs(text), "ko", glossary=gloss, cache_dir=tmp_path / "cache", air="flagged")
    assert result.sentences[0].text == "Ze. 이명박 ivfvgrq gur DMZ naq gur 개성공단 jvgu 이."
    # the glossary version is part of the cache key: editing it changes the output
    gloss.write_text("Lee Myung-bak\tLMB\n", encoding="utf-8")
    again = translate(segs(text), "ko", glossary=gloss, cache_dir=tmp_path / "cache", air="flagged")
    assert again.sentences[0].text == "Ze. LMB ivfvgrq gur QZM naq gur Xnrfbat Vaqhfgevny Pbzcyrk jvgu Yrr."


def _po(path: Path, entries: list[dict]) -> Path:
    po = polib.POFile(wrapwidth=0)
    for e in entries:
        po.append(polib.POEntry(**e))
    po.save(str(path))
    return path


def test_approved_entries_win_and_fuzzy_ones_do_not(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    segments = segs("First one. Second one. Third one.")
    approved = _po(tmp_path / "a.po", [
        dict(msgctxt=segments[0].id, msgid="First one.", msgstr="첫째입니다."),
        dict(msgctxt=segments[1].id, msgid="Second one.", msgstr="초안", flags=["fuzzy"]),
        dict(msgctxt="gone", msgid="Third one.", msgstr="셋째입니다."),  # id changed: matched by source
    ])
    result = translate(segments, "ko", approved=[approved], air="flagged")
    assert [(s.text, s.origin, s.model) for s in result.sentences] == [
        ("첫째입니다.", "approved", None), ("Frpbaq bar.", "machine", "argos:en-ko@1.0"),
        ("셋째입니다.", "approved", None)]
    assert [s.id for s in result.unapproved()] == [segments[1].id]


def test_review_po_round_trip(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "review.ko.po"
    segments = segs("First one. Second one.", "Third one.")
    translate(segments, "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags) for e in po] == [
        (segments[0].id, "First one.", "Svefg bar.", ["fuzzy"]),
        (segments[1].id, "Second one.", "Frpbaq bar.", ["fuzzy"]),
        (segments[2].id, "Third one.", "Guveq bar.", ["fuzzy"])]
    assert po.metadata["Language"] == "ko"
    # a translator approves one entry, comments on another
    po[0].msgstr, po[0].flags = "첫째 문장입니다.", []
    po[1].tcomment = "check the tone"
    po.save(str(review))
    # the article changes: the third sentence is rewritten, paragraphs move
    segments2 = segs("Zero one.", "First one. Second one.")
    result = translate(segments2, "ko", review=review, air="flagged")
    assert [(s.text, s.origin) for s in result.sentences] == [
        ("Mreb bar.", "machine"), ("첫째 문장입니다.", "approved"), ("Frpbaq bar.", "machine")]
    po = polib.pofile(str(review))
    live = [e for e in po if not e.obsolete]
    assert [(e.msgctxt, e.msgstr, e.flags, e.tcomment) for e in live] == [
        (segments2[0].id, "Mreb bar.", ["fuzzy"], ""),
        (segments2[1].id, "첫째 문장입니다.", [], ""),
        (segments2[2].id, "Frpbaq bar.", ["fuzzy"], "check the tone")]
    assert [e.msgid for e in po.obsolete_entries()] == ["Third one."]
    assert not list(tmp_path.glob(".tmp-*"))


def test_an_approved_entry_dropped_while_the_rest_is_unchanged_turns_obsolete(tmp_path):
    # Found by the property test in CI: when nothing but the dropping changed, the merge saw "no change" and left
    # the dropped approval live (it marked the file's own entry obsolete, then compared the file with itself).
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "r.po"
    segments = segs("Kept one.", "Dropped one.")
    translate(segments, "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    for entry in po:
        entry.msgstr, entry.flags = "승인", []
    po.save(str(review))
    review_merge(review, [TranslatedSentence(segments[0].id, 0, "Kept one.", "later", "machine", "m@2")], "ko", "en")
    po = polib.pofile(str(review))
    assert [e.msgid for e in po if not e.obsolete] == ["Kept one."]
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [("Dropped one.", "승인")]


def test_no_model_error_names_missing_sentences_and_both_ways_out(tmp_path):
    segments = segs("One. Two. Three. Four. Five.")
    approved = _po(tmp_path / "a.po", [dict(msgctxt=segments[0].id, msgid="One.", msgstr="하나.")])
    review = tmp_path / "r.po"
    with pytest.raises(PipelineError) as err:
        translate(segments, "ko", approved=[approved], review=review)
    msg = str(err.value)
    assert "no en -> ko translation for 4 sentence(s)" in msg
    assert segments[1].id in msg and "'Two.'" in msg and "and 1 more" in msg and "'One.'" not in msg
    assert "pipeline models install en ko" in msg and "--approved" in msg
    # the review file is still written, empty where a translator has to fill in
    po = polib.pofile(str(review))
    assert [(e.msgstr, e.flags) for e in po] == [("하나.", [])] + [("", [])] * 4


def test_require_approved_lists_unapproved(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    segments = segs("One. Two.")
    approved = _po(tmp_path / "a.po", [dict(msgctxt=segments[0].id, msgid="One.", msgstr="하나.")])
    with pytest.raises(PipelineError, match=r"--require-approved\): 1 sentence\(s\): " + segments[1].id):
        translate(segments, "ko", approved=[approved], air="all-approved")
    both = _po(tmp_path / "b.po", [dict(msgctxt=segments[1].id, msgid="Two.", msgstr="둘.")])
    result = translate(segments, "ko", approved=[approved, both], air="all-approved")
    assert [s.text for s in result.sentences] == ["하나.", "둘."]


def test_sample_korean_po_is_complete_and_approved():
    d = json.loads(GOLD.read_text(encoding="utf-8"))
    segments = segment(Article(title=d["title"], paragraphs=tuple(d["paragraphs"])))
    po = polib.pofile(str(SAMPLE_PO))
    entries = {e.msgctxt: e for e in po}
    for s in segments:
        e = entries[s.id]
        assert e.msgid == s.text and e.msgstr and "fuzzy" not in e.flags
        assert "\uac00" <= max(e.msgstr) and e.msgstr.rstrip()[-1] in ".?!\""  # Hangul, a full sentence
    assert models.installed() == []
    result = translate(segments, "ko", approved=[SAMPLE_PO], air="all-approved")
    assert {s.origin for s in result.sentences} == {"approved"}
    text = " ".join(result.paragraphs())
    for name in ("제이 레프코위츠", "이명박", "개성공단", "안드레이 사하로프"):
        assert name in text or name in po.header + "".join(e.msgstr for e in po)


def test_translation_paragraphs_join():
    t = Translation("zh", "en", (TranslatedSentence("a", 0, "A.", "甲。", "machine"),
                                 TranslatedSentence("b", 0, "B.", "乙。", "machine"),
                                 TranslatedSentence("c", 1, "C.", "丙。", "machine")))
    assert t.paragraphs() == ("甲。乙。", "丙。")


def test_a_partly_approved_article_with_no_model_offers_airing_the_approved_part(tmp_path):
    """Issue 14.5: the choice is the producer's and explicit; the gap is reported, never silent."""
    segments = segs("One. Two. Three.")
    approved = _po(tmp_path / "a.po", [dict(msgctxt=segments[0].id, msgid="One.", msgstr="하나."),
                                       dict(msgctxt=segments[2].id, msgid="Three.", msgstr="셋.")])
    with pytest.raises(PipelineError, match=r"`--air approved-only` to air the 2 approved sentence\(s\) alone"):
        translate(segments, "ko", approved=[approved])
    review = tmp_path / "r.po"
    result = translate(segments, "ko", approved=[approved], review=review, air="approved-only")
    assert [(s.text, s.origin) for s in result.sentences] == [("하나.", "approved"), ("셋.", "approved")]
    assert [(s.id, s.source) for s in result.left_out] == [(segments[1].id, "Two.")]
    assert result.to_dict()["left_out"][0]["source"] == "Two."
    assert [e.msgstr for e in polib.pofile(str(review))] == ["하나.", "", "셋."]  # the gap, for the translator
    # approved-only never airs machine text, even with a model
    models.install_file(package("en", "ko", "rot13"))
    assert translate(segments, "ko", approved=[approved], air="approved-only").sentences == result.sentences
    with pytest.raises(PipelineError, match="no sentence of the article has an approved ko translation"):
        translate(segments, "ko", air="approved-only")
