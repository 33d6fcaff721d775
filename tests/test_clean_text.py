"""Encodings, text repair and the single rules of the flattened-text reader."""

import json
from pathlib import Path

import pytest

from pipeline.article import clean, repair
from pipeline.errors import PipelineError
from pipeline.language import detect_language
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
    # noncharacters cannot be spoken or put in a feed, and a review PO holding one is refused when read back
    assert repair("a\ufffeb\ufdd0c\U0010ffffd\uffffe\ufdefx") == "abcdex"


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
    ("입력 2024.01.24. 오전 9:12", "2024-01-24"),
    ("2024.01.24 오후 3:05", "2024-01-24"),
    ("입력 2024.01.24 오전·오후 9:12", "2024-01-24"),
    ("오전 9시에 2024.01.24 회의가 열렸다", None),
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
    ('A"A\U00018cd6ˆ.]', "other"),  # one run of symbols and letters, no spaces: not a sentence
    ("Source: Yahoo! News", "source"),
    ("출처: 통일부", "source"),
])
def test_line_kinds(line, kind):
    assert classify([line])[0].kind == kind


def test_source_line_and_reprint_note_give_the_source():
    body = "\n\n".join(GOLD["paragraphs"][:3])
    art = clean(f"Why North Koreans Need Us\nSource: Yahoo! News\n\n{body}\n", kind="text")
    assert art.source == "Yahoo! News" and art.title == "Why North Koreans Need Us"
    assert art.paragraphs == tuple(GOLD["paragraphs"][:3])
    art = clean(f"Why North Koreans Need Us\n\n{body}\n\nThis op-ed first appeared in The New York Sun.\n", kind="text")
    assert art.source == "The New York Sun"


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


def test_korean_wire_release_time_in_the_footer_gives_the_date():
    body = ("북한 대표단 회담 재개\n\n남북 대표단은 몇 달 만에 금요일 다시 만났으며, 양측은 회담 분위기가 건설적이고 "
            "차분했다고 밝혔다. 다음 회담은 다음 달에 열릴 예정이다.\n\n")
    assert clean(body + "2024/01/24 09:12 송고\n").date == "2024-01-24"
    assert clean(body + "2024/01/24 09:12\n").date is None  # a bare date under the text is no release note


def test_comments_never_join_the_body():
    page = ("A Short Post\n\nBy Anna Lee\n\n" + "I walked along the river this morning and thought about the people "
            "who live on the other side of it, and what they might hear.\n\n"
            "5 Comments\n\nThis is a long comment written by a reader who has a lot to say about the post and about "
            "everything else that happened this week in the town.\n")
    art = clean(page)
    assert len(art.paragraphs) == 1 and "reader" not in art.paragraphs[0]


# --- rules added from the held-out pages (bench/clean_heldout) -----------------------------------------------------

def test_date_glued_to_a_label_or_next_to_a_relative_time():
    assert date_line("송고2024-03-12 14:05") == "2024-03-12"
    assert date_line("Published 3 hours ago · Updated 14:05 GMT, 12 March 2024") == "2024-03-12"
    assert date_line("Broadcast: Sunday 10 March 2024") == "2024-03-10"
    assert date_line("Updated 3 hours ago, 12 people hurt") is None


def test_labelled_header_fields_in_several_languages():
    from pipeline.pagetext import labelled

    assert labelled("2024-03-12 14:05:31 来源：东方日报网 作者：李明") == {
        "date": "2024-03-12", "source": "东方日报网", "author": "李明"}
    assert labelled("Текст: Анна Смирнова") == {"author": "Анна Смирнова"}
    assert labelled("Presenter: Ruth Kim") == {"author": "Ruth Kim", "author_role": "Presenter"}
    assert labelled("Text: the full speech is below.") is None  # a sentence is not a name
    assert labelled("Tags: media, technology") is None


def test_korean_wire_dateline_is_header_not_text():
    from pipeline.pagetext import lead_dateline

    text, found = lead_dateline("(서울=뉴스통신) 박지훈 기자 = 북한이 12일 발표했다.")
    assert text == "북한이 12일 발표했다." and found == {"source": "뉴스통신", "author": "박지훈", "author_role": "기자"}
    assert lead_dateline("북한이 12일 발표했다.") == ("북한이 12일 발표했다.", {})


def test_footnote_calls_and_dash_bullets_are_not_read_out():
    from pipeline.pagetext import tidy

    assert tidy("It says otherwise.[1] Surveys agree.[12]") == "It says otherwise. Surveys agree."
    assert tidy("- 한국 정부는 외교적 노력을 다하라.") == "한국 정부는 외교적 노력을 다하라."
    assert tidy("[1] See the study.") == "[1] See the study."


def test_header_furniture_between_headline_and_body():
    page = ("Home\nNews\nSport\nWeather\nAdvertisement\nFerry talks stall again over fishing rights\n"
            "By Tom Okafor\nAsia correspondent\nMarch 12, 2024\nAdvertisement\n"
            "Plans to restart a small ferry service were put on hold again on Tuesday, officials said after the talks.\n"
            "Advertisement\n"
            "The service last ran more than a decade ago and carried supplies between the islands of both sides.\n")
    art = clean(page)
    assert (art.title, art.author, art.author_role, art.date) == (
        "Ferry talks stall again over fishing rights", "Tom Okafor", "Asia correspondent", "2024-03-12")
    assert len(art.paragraphs) == 2


def test_press_contact_is_not_the_author_and_about_names_the_issuer():
    page = ("FOR IMMEDIATE RELEASE\nMarch 12, 2024\nContact:\nJane Park, Communications Director\n"
            "press@example.org\nFoundation Awards Grants to Five Broadcasters\n"
            "The foundation today announced grants to five community broadcasters producing programmes for listeners.\n"
            "The grants will pay for new transmitters and for the training of a new generation of young journalists.\n"
            "About the Open Waves Foundation\nThe Open Waves Foundation is a non-profit organization that supports "
            "independent media serving audiences without access to free information.\n###\n")
    art = clean(page)
    assert art.author is None and art.source == "Open Waves Foundation" and art.date == "2024-03-12"
    assert len(art.paragraphs) == 2


def test_dates_and_bylines_in_other_languages():
    assert date_line("Publié le 12 mars 2024 à 14h05") == "2024-03-12"
    assert date_line("2024年3月12日 14時05分") == "2024-03-12"
    assert parse_byline("Par Marie Dupont").author == "Marie Dupont"
    assert parse_byline("By Grace Lim ·").author == "Grace Lim"


def test_korean_headline_ending_in_da_and_a_longer_standfirst_under_a_headline():
    ko = clean("칼럼\n[칼럼] 라디오는 아직 끝나지 않았다\n입력 2024.03.12 14:05\n김영희 논설위원\n"
               "스마트폰 시대에 라디오를 이야기하면 낡은 이야기처럼 들린다는 말을 자주 듣는다.\n"
               "하지만 정보가 막힌 사회에서 라디오는 여전히 가장 안전한 창문이다.\n")
    assert (ko.title, ko.author, ko.date) == ("[칼럼] 라디오는 아직 끝나지 않았다", "김영희", "2024-03-12")
    en = clean("What the price of rice tells us\nMarkets near the border are sending a signal worth reading carefully\n"
               "Daniel Yoon\nMar 12, 2024\nRice prices in the border markets have risen for the third month in a row, "
               "traders say.\nThat matters because rice is the clearest single indicator of how households are coping.\n"
               "Thanks for reading Border Notes! Subscribe for free to receive new posts.\n")
    assert (en.title, en.author) == ("What the price of rice tells us", "Daniel Yoon")
    assert len(en.paragraphs) == 2


def test_dotted_dates_are_day_first_and_a_place_is_not_a_source():
    assert date_line("12.03.2024, 14:05 Uhr") == "2024-03-12"
    art = clean("Statement by the Spokesperson on the Returnees\nWashington, DC\nMarch 12, 2024\n"
                "The Department is deeply concerned by reports that many people were forcibly returned last week.\n"
                "We call on all governments to respect the principle of non-refoulement and to allow access.\n")
    assert art.source is None and art.date == "2024-03-12"


def test_bracketed_report_labels_and_a_sign_off_are_not_text():
    art = clean("탈북민 정착 돕는 '마을 선생님'들\n입력 2024.03.12 (14:05)\n김민준 기자\n[앵커]\n"
                "탈북민들이 우리 사회에 자리 잡도록 돕는 자원봉사자들이 있습니다.\n[리포트]\n"
                "매주 토요일 오후, 서울의 한 주민센터에서 작은 수업이 열립니다.\n"
                "은행 이용법부터 휴대전화 요금제 고르는 법까지, 생활에 꼭 필요한 것들을 배웁니다.\n뉴스통신 김민준입니다.\n")
    assert art.paragraphs[0].startswith("탈북민들이") and len(art.paragraphs) == 3 and art.author == "김민준"


def test_slash_dates_are_month_first_only_on_english_pages():
    es = clean("Corea del Norte endurece los castigos\nPor Carlos Ruiz\n03/12/2024 - 14:05\n"
               "Corea del Norte ha endurecido en los últimos años las penas contra quienes escuchan emisoras extranjeras.\n"
               "El documento recoge testimonios de personas que huyeron del país y que describen las detenciones.\n")
    en = clean("North Korea toughens penalties for foreign radio\nBy Carl Reed\n03/12/2024 - 14:05\n"
               "North Korea has toughened the penalties for people who listen to foreign stations, a report says.\n"
               "The report collects the testimony of people who fled the country and describes the arrests.\n")
    assert (es.date, en.date) == ("2024-12-03", "2024-03-12")


def test_a_publication_name_under_the_byline_is_not_the_headline_even_when_longer():
    page = ("Factories Reopen\n\nBy Kim Min-ji, Reporter\nRadio Free Example Service\nMarch 3, 2024\n\n"
            "The two factories near the border reopened on Monday after a year. Workers said orders are back.\n")
    art = clean(page, kind="text")
    assert (art.title, art.author, art.source, art.date) == (
        "Factories Reopen", "Kim Min-ji", "Radio Free Example Service", "2024-03-03")


def test_page_reader_takes_day_first_as_a_parameter():
    from pipeline import pagetext

    page = "Radio in the north\n03/12/2024\n\n" + GOLD["paragraphs"][0] + "\n\n" + GOLD["paragraphs"][1] + "\n"
    assert pagetext.read_page(page, day_first=False).date == "2024-03-12"
    assert pagetext.read_page(page, day_first=True).date == "2024-12-03"


def test_page_reader_does_not_import_the_article_module():
    # pagetext is below article in the import graph: reading a page must not reach back up (no import circle).
    import subprocess
    import sys

    code = ("import sys, pipeline.pagetext as p; p.read_page('Title\\n\\n' + 'Some words of text here. ' * 9); "
            "print('pipeline.article' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "False"


# --- issue 15: headlines, bylines and dates chosen by features; listing pages; confidence ----------------------------

BODY = ("The two delegations met again on Friday after a pause of several months, and both sides said that the tone "
        "of the meeting had been constructive and calm.\n\nA second round is planned for next month in the same "
        "border village, officials said after the talks.\n")


def test_a_title_case_headline_of_ten_words_is_the_headline_not_a_menu():
    page = "North Korea Fires Ballistic Missile Toward Sea Off Its East Coast, Military Says\n\n" + BODY
    assert clean(page, kind="text").title == (
        "North Korea Fires Ballistic Missile Toward Sea Off Its East Coast, Military Says")


def test_a_release_label_a_place_and_a_name_over_its_role_are_not_the_headline():
    page = ("U.S. Department of State\nHome\nPress Releases\nTravel\nPress Statement\nRobert R. King\n"
            "Special Envoy for North Korean Human Rights Issues\nWashington, DC\nNovember 5, 2012\n\n" + BODY)
    art = clean(page, kind="text")
    assert art.title.startswith("The two delegations met again") and art.confidence.title < 0.5
    assert (art.author, art.author_role, art.date) == (
        "Robert R. King", "Special Envoy for North Korean Human Rights Issues", "2012-11-05")


def test_a_page_of_teasers_is_refused_as_a_listing():
    teaser = ("Human rights in North Korea must not be forgotten at next week's meeting between the two leaders, "
              "the group said in a statement on {day}.")
    page = "Tag: North Korea\n" + "".join(
        f"June {d}, 2018\n{teaser.format(day=f'June {d}')}\nRead more\n" for d in (8, 9, 10))
    with pytest.raises(PipelineError, match="lists several articles"):
        clean(page, kind="text")


def test_confidence_is_reported_per_field():
    sure = clean("Talks resume at the border\nBy Jane Doe\nMarch 3, 2024\n\n" + BODY, kind="text")
    assert sure.confidence.title >= 0.8 and sure.confidence.author >= 0.8 and sure.confidence.date >= 0.8
    unsure = clean(BODY, kind="text")
    assert unsure.confidence.title < 0.5 and "title" in unsure.confidence.uncertain()


def test_korean_byline_with_any_title_and_the_article_date():
    page = ("한반도에서 곧 전쟁이 터질 것인가?\n\n이영일 전 국회의원 | 기사입력 2024/03/04 [08:52]\n\n"
            "북한 김정은 국무위원장은 지난해 말 전원회의와 올해 초 최고인민회의를 잇달아 거치며 그동안 겉으로 드러내지 않던 "
            "대남정책의 속내를 밝혔다.\n\n그의 발언에 이어 통일과 관련된 표현이 북한 헌법에서 모두 사라졌다는 분석이 나왔다.\n")
    art = clean(page, kind="text")
    assert (art.title, art.author, art.author_role, art.date) == (
        "한반도에서 곧 전쟁이 터질 것인가?", "이영일", "전 국회의원", "2024-03-04")


def test_agency_end_marks_and_read_more_pointers_are_not_read_out():
    page = ("Washington names eight for sanctions\n\nWASHINGTON, Dec 1 (KUNA) -- The US named eight people for sanctions "
            "on Thursday, the State Department said in a statement.\n\nThe measures target procurement and cyber "
            "activity, officials said on Friday. (end) amm.mt\n\nThe soldier walked across the border at night, the "
            "ministry said in its statement. Read more at Yahoo News.\n")
    paras = clean(page, kind="text").paragraphs
    assert paras[1].endswith("officials said on Friday.") and paras[2].endswith("in its statement.")


def test_hard_wrapped_chinese_is_joined_without_spaces():
    lines = ["朝鲜媒体大篇幅报导了文在寅总统和朝鲜国务委员会委员长金正恩4月27日在板门店举行",
             "首脑会谈的消息。劳动党中央委员会机关报《劳动新闻》4月28日用61张照片,把两位首脑",
             "从跨越军事分界线到话别的全过程一一作了介绍。朝鲜中央电视台把会谈过程编辑成长达三",
             "十分钟的影像,于4月28日以报导形式播出。",
             "《劳动新闻》4月28日的6个版面中,有4个版面报导首脑会谈。从两位首脑隔着军事分界线",
             "对视、带着明朗的笑容第一次握手,到检阅仪仗队、与双方随行人员互致问候,仅头版就用",
             "了15张照片。"]
    art = clean("朝鲜报导首脑会谈并刊登61张照片\n" + "\n".join(lines) + "\n", kind="text")
    assert art.paragraphs[0] == "".join(lines[:4]) and art.paragraphs[1] == "".join(lines[4:])


def test_a_date_line_may_carry_one_label_word():
    assert date_line("滾動 2020年 04月 28日 11:55") == "2020-04-28"
    assert date_line("http://news.example.com   [2013-05-24]") == "2013-05-24"
    assert date_line("He arrived on May 5, 2008 and left.") is None


def test_a_header_printed_under_the_text_is_read():
    page = ("MBC NEWS\n정치\n사회\n국제\n"
            "통일부는 올해 북한이탈주민 취약계층을 모두 조사해 생활이 어려워진 8백여 명에게 긴급 지원을 했습니다.\n"
            "통일부는 상반기와 하반기 조사에서 모두 829명의 위기 의심자를 찾아내 생계비와 의료비 등을 긴급히 지원했습니다.\n"
            "정치\n나세웅\n통일부, 올해 북한이탈주민 829명 생계비 긴급지원\n통일부, 올해 북한이탈주민 829명 생계비 긴급지원\n"
            "입력 2020-12-31 11:11 |\n수정 2020-12-31 11:15\n당신의 의견을 남겨주세요\n")
    art = clean(page, kind="text")
    assert (art.title, art.author, art.date) == ("통일부, 올해 북한이탈주민 829명 생계비 긴급지원", "나세웅", "2020-12-31")
    assert len(art.paragraphs) == 2
