"""The review loop in PO files: which entry applies to which sentence, what re-runs and model upgrades do to a
translator's work, when a file is written, and which files are refused before anything is written."""

import re
import shutil
import subprocess

import polib
import pytest
from argos_model import cipher, clear_packages, package

from pipeline.article import Article
from pipeline.errors import PipelineError
from pipeline.segment import Segment, segment
from pipeline.translate import models, translate
from pipeline.translate.review import load_approved, machine_note


@pytest.fixture(autouse=True)
def _clean():
    clear_packages()
    yield
    clear_packages()


def segs(*paragraphs: str, title: str = "A headline") -> tuple[Segment, ...]:
    return (Segment("title", -1, title), *segment(Article(title=title, paragraphs=paragraphs)))


def test_an_approval_by_id_holds_only_for_the_source_it_was_approved_for(tmp_path):
    """The headline's id is the fixed "title": an edited headline must not air with the old one's translation."""
    po = polib.POFile()
    po.append(polib.POEntry(msgctxt="title", msgid="Old headline about talks", msgstr="회담에 관한 옛 제목"))
    path = tmp_path / "a.ko.po"
    po.save(str(path))
    approved = load_approved([path])
    assert approved.get("title", "Old headline  about talks") == "회담에 관한 옛 제목"  # whitespace aside
    assert approved.get("title", "North Korea fires missile") is None


# --- a translator's work through re-runs and model upgrades (issue 14.1) ---------------------------------------


def test_a_translators_edit_survives_three_reruns_and_a_model_upgrade(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "story.ko.po"
    segments = segs("First one. Second one. Third one.")
    translate(segments, "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    assert machine_note(po[1]) == "Svefg bar."  # the machine text is recorded beside the draft
    # In a PO editor: one draft edited but left fuzzy (unfinished), one edited and approved, one untouched.
    po[1].msgstr = "첫 문장의 초안"
    po[2].msgstr, po[2].flags = "두 번째 문장입니다.", []
    po.save(str(review))
    for _ in range(3):
        result = translate(segments, "ko", review=review, air="flagged")
    models.install_file(package("en", "ko", "atbash", version="2.0"))  # the model is upgraded
    result = translate(segments, "ko", review=review, air="flagged")

    entries = {e.msgid: e for e in polib.pofile(str(review))}
    kept = entries["First one."]
    assert kept.msgstr == "첫 문장의 초안" and "fuzzy" in kept.flags  # the human text, still unfinished
    assert machine_note(kept) == cipher("First one.", "atbash")  # the new suggestion beside it
    assert "[argos:en-ko@2.0]" in kept.comment
    approved = entries["Second one."]
    assert (approved.msgstr, approved.flags) == ("두 번째 문장입니다.", [])
    draft = entries["Third one."]  # nobody touched it: it follows the machine
    assert draft.msgstr == cipher("Third one.", "atbash") and "fuzzy" in draft.flags
    # What airs: approved text, else the current machine output (a fuzzy draft is not approved).
    assert [(s.source, s.text, s.origin) for s in result.sentences[1:]] == [
        ("First one.", cipher("First one.", "atbash"), "machine"),
        ("Second one.", "두 번째 문장입니다.", "approved"),
        ("Third one.", cipher("Third one.", "atbash"), "machine")]


def test_an_approved_headline_whose_source_changed_stays_fuzzy_with_its_old_source(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "story.ko.po"
    translate(segs("Body.", title="Talks resume"), "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    po[0].msgstr, po[0].flags = "회담 재개", []
    po.save(str(review))
    result = translate(segs("Body.", title="Talks resume at the border"), "ko", review=review, air="flagged")
    title = polib.pofile(str(review))[0]
    assert (title.msgctxt, title.msgid, title.msgstr) == ("title", "Talks resume at the border", "회담 재개")
    assert "fuzzy" in title.flags and title.previous_msgid == "Talks resume"  # Poedit shows the old source
    assert machine_note(title) == cipher("Talks resume at the border", "rot13")
    assert result.sentences[0].origin == "machine"  # the old headline's translation does not air on the new one


def test_an_unchanged_run_leaves_a_file_a_po_editor_saved_byte_for_byte(tmp_path):
    models.install_file(package("en", "ko", "rot13"))
    review = tmp_path / "story.ko.po"
    long = " ".join(["The station kept broadcasting through the long and cold winter nights"] * 2) + "."
    segments = segs(long, "Second one.")
    translate(segments, "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    po[2].msgstr, po[2].flags = "두 번째입니다.", []
    po.save(str(review))
    if shutil.which("msgcat"):  # re-saved the way gettext tools (and Poedit) wrap: lines of at most 79 columns
        subprocess.run(["msgcat", "-o", str(review), str(review)], check=True)
    saved = review.read_bytes()
    assert max(map(len, saved.decode().splitlines())) <= 80  # really wrapped, unlike our own writes
    translate(segments, "ko", review=review, air="flagged")
    translate(segments, "ko", review=review, air="flagged")
    assert review.read_bytes() == saved
    # A new sentence is a change: the file is written, with the work in it kept.
    translate(segs(long, "Second one.", "Third one."), "ko", review=review, air="flagged")
    po = polib.pofile(str(review))
    assert [e.msgid for e in po][-1] == "Third one." and po[2].msgstr == "두 번째입니다."
    assert po.metadata["PO-Revision-Date"]


# --- files refused whole, before anything is written (issue 12.7) ----------------------------------------------

HEADER = ('msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"MIME-Version: 1.0\\n"\n'
          '"Content-Type: text/plain; charset={charset}\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n\n')


def po_file(path, entries: str, lang="ko", charset="UTF-8", encoding="utf-8"):
    path.write_bytes((HEADER.format(lang=lang, charset=charset) + entries).encode(encoding))
    return path


ONE = 'msgctxt "title"\nmsgid "A headline"\nmsgstr "{}"\n'


@pytest.mark.parametrize("name, entries, kw, message", [
    ("charset", ONE.format("북한 소식"), dict(charset="ISO-8859-1"), "declares charset=ISO-8859-1 but its text is UTF-8"),
    ("control", ONE.format("북한\x01 소식"), {}, "holds U+0001"),
    ("escape", ONE.format("북한\x1b[31m 소식"), {}, "holds U+001B"),
    ("noncharacter", ONE.format("북한\ufffe 소식"), {}, "holds U+FFFE"),
    ("language", ONE.format("北朝鮮のニュース"), dict(lang="ja"), "is a ja translation (its Language header) but is used for ko"),
    ("duplicate", ONE.format("하나") + "\n" + ONE.format("둘"), {}, "a second entry for 'A headline'"),
    ("not-utf8", ONE.format("북한 소식"), dict(encoding="euc-kr"), "is not valid UTF-8 text"),
])
def test_a_bad_po_file_is_refused_before_anything_is_written(tmp_path, name, entries, kw, message):
    bad = po_file(tmp_path / "story.ko.po", entries, **kw)
    before = bad.read_bytes()
    with pytest.raises(PipelineError, match=re.escape(message)):
        translate(segs("Body."), "ko", review=bad, approved=[bad])
    assert bad.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["story.ko.po"]


def test_a_po_file_in_the_charset_it_declares_is_read(tmp_path):
    good = po_file(tmp_path / "a.ko.po", ONE.format("북한 소식"), lang="ko_KR", charset="EUC-KR", encoding="euc-kr")
    result = translate(segs("Body.")[:1], "ko", approved=[good])
    assert (result.sentences[0].text, result.sentences[0].origin) == ("북한 소식", "approved")
