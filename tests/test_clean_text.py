"""Encodings, text repair and the single rules of the flattened-text reader."""

import json
from pathlib import Path

import pytest

from pipeline.article import Article, clean, decode, detect_language, repair
from pipeline.errors import PipelineError
from pipeline.pagetext import classify, date_line, parse_byline

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt").read_text(encoding="utf-8")
GOLD = json.loads((ROOT / "tests" / "data" / "clean" / "why-north-koreans-need-us.gold.json").read_text())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_sample_in_any_encoding_gives_the_gold(encoding):
    data = SAMPLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # with its BOM, as editors write it
    art = clean(data)
    assert art.paragraphs == tuple(GOLD["paragraphs"]) and art.title == GOLD["title"] and art.date == GOLD["date"]


def test_shift_jis_and_language():
    text = ("東京ニュース\n\n北朝鮮向けの短波放送が再開された\n\n"
            "政府は北朝鮮の住民に向けた短波ラジオ放送を来月から再開すると発表した。放送は毎晩二時間行われる予定である。\n\n"
            "関係者によると、国境付近では外国の放送を聞く住民が増えているという。\n")
    art = clean(text.encode("shift_jis"))
    assert art.language == "ja"
    assert art.paragraphs[0].startswith("政府は北朝鮮の住民に向けた")


def test_mojibake_and_quotes_repaired():
    assert repair("It\u00e2\u20ac\u2122s \u00e2\u20ac\u0153fine\u00e2\u20ac\ufffd") != "It's \"fine\""  # lossy: last
    assert repair("It\u00e2\u20ac\u2122s a \u201cnew\u201d start \u2014 \u201eja\u201c, \u2018so\u2019") == \
        "It's a \"new\" start \u2014 \"ja\", 'so'"
    assert repair("a\u00a0b\u2009c\u200bd\u3000e") == "a b cd e"


def test_language_by_script_and_words():
    assert detect_language("북한 주민들이 외부 방송을 듣고 있다.") == "ko"
    assert detect_language("Северная Корея объявила о запуске.") == "ru"
    assert detect_language("朝鲜宣布将恢复广播节目。") == "zh"
    assert detect_language("The minister said that it was time for the talks.") == "en"
    assert detect_language("Le ministre a dit que la radio est une fenêtre pour les gens.") == "fr"


@pytest.mark.parametrize("line, iso", [
    ("May 5, 2008", "2008-05-05"),
    ("Tuesday, 7 November 2017", "2017-11-07"),
    ("Published: 2024-02-11 09:30 KST", "2024-02-11"),
    ("입력 2024.03.05 10:12 | 수정 2024.03.05 11:40", "2024-03-05"),
    ("2019년 10월 12일", "2019-10-12"),
    ("Updated Sept. 3, 2021 at 4:05 p.m. EDT", "2021-09-03"),
    ("He arrived on May 5, 2008 and left.", None),
    ("February 30, 2020", None),
])
def test_date_lines(line, iso):
    assert date_line(line) == iso


@pytest.mark.parametrize("line, author, role", [
    ("By Jane Doe", "Jane Doe", None),
    ("By the way, this is odd", None, None),
    ("Jay Lefkowitz, Special Envoy for Human Rights in North Korea", "Jay Lefkowitz",
     "Special Envoy for Human Rights in North Korea"),
    ("By Ana María de la Cruz and Lee Min-ho | June 1, 2020", "Ana María de la Cruz and Lee Min-ho", None),
    ("김민수 기자 minsu@example.kr", "김민수", "기자"),
    ("The New York Sun", None, None),
    ("Office of the Spokesperson", None, None),
    ("Paris, France, is beautiful in spring.", None, None),
])
def test_bylines(line, author, role):
    by = parse_byline(line)
    assert (by.author if by else None, by.role if by else None) == (author, role)


@pytest.mark.parametrize("line, kind", [
    ("Home | News | Sport | Weather | Contact", "menu"),
    ("Home Issues & Press Travel & Business Countries Youth & Education Careers About State Video", "menu"),
    ("New Study Maps Hidden Markets Along the Northern Border", "other"),
    ("Home > World > Asia", "breadcrumb"),
    ("Back to top", "ui"),
    ("00:00 / 03:21", "ui"),
    ("Share: Facebook | X | Email", "ui"),
    ("© 2024 Example Media. All rights reserved.", "legal"),
    ("We use cookies to improve your experience on our site.", "legal"),
    ("Sign up for our daily newsletter", "prompt"),
    ("(Photo: Reuters)", "credit"),
    ("14 Comments", "comments"),
    ("Related Articles", "stop"),
    ("He declined to comment.", "sentence"),
])
def test_line_kinds(line, kind):
    assert classify([line])[0].kind == kind


def test_hard_wrapped_lines_are_joined():
    para = ("The committee met on Monday to discuss the new schedule for the broadcasts,\n"
            "which will begin next month and run every evening for two hours, reaching\n"
            "listeners across the northern provinces for the first time in a decade.\n")
    page = "Committee Sets New Broadcast Schedule\n\n" + para + "\n" + para.replace("committee", "board") + "\n"
    art = clean(page)
    assert art.title == "Committee Sets New Broadcast Schedule"
    assert len(art.paragraphs) == 2 and "\n" not in art.paragraphs[0]
    assert art.paragraphs[0].endswith("for the first time in a decade.")


def test_metadata_is_none_when_the_page_has_none():
    body = "\n\n".join(["The rains came late this year, and the farmers in the valley waited for weeks before "
                        "they could plant anything at all in the dry fields."] * 3)
    art = clean(body)
    assert (art.author, art.author_role, art.source, art.date) == (None, None, None, None)


def test_footer_date_only_when_it_is_a_release_note():
    body = ("Talks Resume\n\nThe two delegations met again on Friday after a pause of several months, and both "
            "sides said that the tone of the meeting had been constructive and calm.\n\n")
    assert clean(body + "Released on May 5, 2008\n").date == "2008-05-05"
    assert clean(body + "Site last updated May 5, 2008\n").date is None
    assert clean(body + "© 2008 Example Agency. All rights reserved.\n").date is None


def test_comments_never_join_the_body():
    page = ("A Short Post\n\nBy Anna Lee\n\n" + "I walked along the river this morning and thought about the people "
            "who live on the other side of it, and what they might hear.\n\n"
            "5 Comments\n\nThis is a long comment written by a reader who has a lot to say about the post and about "
            "everything else that happened this week in the town.\n")
    art = clean(page)
    assert len(art.paragraphs) == 1 and "reader" not in art.paragraphs[0]
