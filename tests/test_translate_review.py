"""Approved translations from PO files: which entry applies to which sentence."""

import polib

from pipeline.translate.review import load_approved


def test_an_approval_by_id_holds_only_for_the_source_it_was_approved_for(tmp_path):
    """The headline's id is the fixed "title": an edited headline must not air with the old one's translation."""
    po = polib.POFile()
    po.append(polib.POEntry(msgctxt="title", msgid="Old headline about talks", msgstr="회담에 관한 옛 제목"))
    path = tmp_path / "a.ko.po"
    po.save(str(path))
    approved = load_approved([path])
    assert approved.get("title", "Old headline  about talks") == "회담에 관한 옛 제목"  # whitespace aside
    assert approved.get("title", "North Korea fires missile") is None
