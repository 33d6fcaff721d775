"""Machine output checks (issue 14.4): what they flag, on output of the real CTranslate2 test models, and what they
must not flag, on real translations."""

import pytest
from argos_model import cipher, clear_packages, package

from pipeline.errors import PipelineError
from pipeline.segment import Segment
from pipeline.translate import models, translate
from pipeline.translate.checks import problems

# Real translations of the kind a good model gives: none may be flagged.
GOOD = [
    ("The talks resumed in Seoul on Monday.", "회담은 월요일 서울에서 재개되었습니다.", "ko"),
    ("The BBC reported it first.", "BBC가 처음 보도했습니다.", "ko"),  # a name kept as written
    ("The UN Security Council met in New York.", "UN 안전보장이사회가 뉴욕에서 회의를 열었습니다.", "ko"),
    ("In 2008.", "2008년에.", "ko"),
    ("2008", "2008", "ko"),  # numbers read the same everywhere
    ("The talks resumed on Monday.", "会谈于周一恢复。", "zh"),
    ("The talks resumed on Monday.", "会談は月曜日に再開された。", "ja"),
    ("The talks resumed on Monday.", "Переговоры возобновились в понедельник.", "ru"),
    ("Переговоры возобновились в понедельник.", "The talks resumed on Monday.", "en"),
    ("会谈于周一恢复，双方都表示满意。", "The talks resumed on Monday, and both sides said they were satisfied.", "en"),
    ("Jay Lefkowitz", "Jay Lefkowitz", "es"),  # a name between Latin-script languages
    ("Las conversaciones se reanudaron el lunes.", "The talks resumed on Monday.", "en"),
    ("—", "", "ko"),  # nothing to translate
    ("He said: no, no, no, no.", "그는 아니, 아니, 아니, 아니라고 말했습니다.", "ko"),  # the source repeats itself
    ("The talks resumed on Monday.", "Die Gespräche wurden am Montag wieder aufgenommen.", "xx"),  # unknown script
]


@pytest.mark.parametrize("source, text, lang", GOOD)
def test_real_translations_pass(source, text, lang):
    assert problems(source, text, lang) == ()


def test_the_samples_human_korean_passes_every_check():
    """45 broadcast translations by a person (the sample's PO): none may look broken to the checks."""
    import polib

    from test_translate import SAMPLE_PO

    entries = [e for e in polib.pofile(str(SAMPLE_PO)) if e.msgstr]
    assert len(entries) == 45
    assert [(e.msgctxt, problems(e.msgid, e.msgstr, "ko")) for e in entries if problems(e.msgid, e.msgstr, "ko")] == []


BAD = [
    ("The talks resumed in Seoul on Monday.", "The talks resumed in Seoul on Monday.", "ko", "untranslated"),
    ("The talks resumed in Seoul on Monday.", "The talks resumed in Seoul on Monday.", "es", "untranslated"),
    ("Jay Lefkowitz", "Jay Lefkowitz", "ko", "untranslated"),  # Latin letters for a Korean voice
    ("Talks resumed in Seoul.", "Seoul talks resumed.", "ko", "untranslated"),  # source words, reshuffled
    ("The talks resumed on Monday.", "会谈于周一恢复。", "ko", "wrong script"),  # Chinese for Korean
    ("The talks resumed on Monday.", "Переговоры возобновились.", "zh", "wrong script"),
    ("The talks resumed on Monday.", "", "ko", "empty"),
    ("The talks resumed on Monday.", " . ", "ru", "empty"),
    ("The talks resumed on Monday.", "회담은 회담은 회담은 회담은 재개되었습니다.", "ko", "runaway"),
    ("The talks resumed on Monday.", "회담은 월요일에 재개" + "되었습니다 그리고 " * 30, "ko", "runaway"),
    ("The talks resumed on Monday.", "회담은 \ufffd\ufffd 재개되었습니다.", "ko", "garbled"),
]


@pytest.mark.parametrize("source, text, lang, kind", BAD)
def test_broken_output_is_flagged(source, text, lang, kind):
    found = problems(source, text, lang)
    assert any(p.startswith(kind) for p in found), found


# --- on real model output -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean():
    clear_packages()
    yield
    clear_packages()


SEGMENTS = (Segment("title", -1, "Radio reaches the north"), Segment("a", 0, "The station kept broadcasting."),
            Segment("b", 0, "Listeners wrote letters."))


@pytest.mark.parametrize("source, target, model, kind", [
    ("en", "ko", dict(cipher_name="rot13"), "wrong script"),  # a permutation model: Latin text for Korean
    ("en", "ko", dict(cipher_name="copy"), "untranslated"),
    ("en", "ko", dict(bias=(("</s>", 1e4),)), "empty"),  # the decoder ends at once
    ("es", "en", dict(bias=(("a", 1e4), ("</s>", -1e4))), "runaway"),  # the decoder never ends
])
def test_a_model_that_fails_the_checks_refuses_the_language_by_default(tmp_path, source, target, model, kind):
    models.install_file(package(source, target, **model))
    review = tmp_path / "story.po"
    with pytest.raises(PipelineError, match=rf"failed the checks for 3 sentence\(s\): title 'Radio reaches the "
                                            rf"north' \({kind}.*--air flagged"):
        translate(SEGMENTS, target, source_lang=source, review=review)
    assert review.is_file()  # the translator still gets the work list
    flagged = translate(SEGMENTS, target, source_lang=source, air="flagged")  # the producer's explicit choice
    assert len(flagged.flagged()) == 3 and all(s.problems[0].startswith(kind) for s in flagged.sentences)


def test_output_that_passes_airs_with_no_flag():
    models.install_file(package("es", "en", "rot13"))  # Latin letters for English: the right script
    result = translate(SEGMENTS, "en", source_lang="es")
    assert [s.text for s in result.sentences] == [cipher(s.text, "rot13") for s in SEGMENTS]
    assert result.flagged() == ()


def test_checks_apply_to_cached_output_too(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    translate(SEGMENTS, "ko", air="flagged", cache_dir=tmp_path)
    with pytest.raises(PipelineError, match="wrong script"):
        translate(SEGMENTS, "ko", cache_dir=tmp_path)


def test_approved_text_is_not_checked(tmp_path):
    """A translator's word is final: only machine output is checked."""
    import polib

    po = polib.POFile()
    for s in SEGMENTS:
        po.append(polib.POEntry(msgctxt=s.id, msgid=s.text, msgstr=s.text))  # kept in English, on purpose
    po.save(str(tmp_path / "a.po"))
    result = translate(SEGMENTS, "ko", approved=[tmp_path / "a.po"])
    assert {s.origin for s in result.sentences} == {"approved"} and result.flagged() == ()
