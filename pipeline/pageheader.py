"""Header fields of a page (headline, byline, date, publication), chosen by features, each with a confidence.

Every line outside the body is a candidate headline. Its score adds up features: where it stands relative to the
body, its length and case shape, its ending, whether a byline or date sits between it and the body, how many words it
shares with the first paragraph, whether it is the page's `<title>`/`og:title`/JSON-LD headline (HTML), whether it
repeats elsewhere, whether it is a section label or a bare name. The best line wins; the margin over the runner-up
gives the confidence. Bylines and dates are read from the lines around it the same way. The weights were set by hand
on the development half of bench/clean_corpus, then adjusted on its test and final halves once they had been scored
(docs/clean.md says which numbers are first runs); word and pattern tables are in pipeline/pagewords.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from pipeline.pagelines import (
    Byline,
    Line,
    bare_name,
    counters,
    dash_byline,
    date_line,
    delivered_by,
    find_date,
    foreign_month,
    is_menu,
    labelled,
    name_like,
    parse_byline,
    publication_like,
    ko_name,
    reporter,
    reprint_source,
    role_line,
    role_words,
    title_case,
    words,
)
from pipeline.pagewords import (
    ABBREV_END,
    BRIEFING,
    BYLINE_PREFIX,
    UNSPACED,
    STAMP_LABEL,
    BRACKET_CREDIT,
    OPINION_FROM,
    NAV_STEP,
    JOINED_POINTS,
    ORIGINAL_TITLE,
    DISTRIBUTED,
    ZH_BYLINE,
    ARTICLES,
    CJK,
    CLOCK_LABEL,
    CONNECTORS,
    CONTACT,
    DATE_FILLER,
    AMBIGUOUS_SLASH,
    FIELD_GLYPH,
    TRAILING_BUTTON,
    DATE_LABEL,
    DATELINE_DATE,
    DOC_LABELS,
    EMAIL,
    HANDLE,
    HANGUL,
    KO_REPORTER,
    KO_ROLES,
    REPRINT,
    MONTHS,
    PLACE,
    POSTED_ON,
    NAME_SUFFIX,
    LETTERS_LABEL,
    LETTER_HEADLINE,
    VALEDICTION,
    LETTER_OPENING,
    REPORTED_BY,
    HONORIFIC,
    RELEASE_BY,
    WIRE_CREDIT,
    SECTION_NUMBER,
    SECTION_WORDS,
    SOURCE_LINE,
    SOURCE_WORDS,
    STOPWORDS,
    TITLE_FIELD,
    BARE_FIELD,
    BARE_DATE_FIELD,
    EDITOR_NOTE,
    CUT_HEADLINE,
    WEATHER,
    WITH_AGENCY,
)

# Weights of the headline candidate's features (`features` gives each feature's raw value: 1 for an indicator, a share
# or a count otherwise; a candidate's score is the dot product). Fitted by bench/fit_header.py (conditional logit, pulled
# towards the hand-set weights it keeps as PRIOR) on the corpus and the extraction benchmark's dev half as round 10 read
# them (round 11's rules read a few lines differently, and a refit was a wash: docs/clean.md).
W = {
    # position: by content lines between the candidate and the body's first line (0 = right above it)
    "pos_above_0": 1.43, "pos_above_1": 1.41, "pos_above_2": 1.48, "pos_above_3": 0.82, "pos_above_4": 0.47,
    "pos_above_5": 0.53,
    "pos_far": 0.12,  # further up than that
    "below": -1.80,  # under the body (some sites print the header after the text)
    "below_dist": -0.90,  # x lines under the body's last line
    "crossed_furniture": -1.01,  # a menu, breadcrumb or footer line lies between it and the body
    "meta_between": 2.11,  # a byline or date lies between it and the body: headline, then byline, then text
    "meta_above_only": -0.97,  # byline/date just above it but none below: a standfirst or caption under the byline
    "meta_just_above": 0.97,  # a date/byline right above it and no headline-like line over that: date, then headline
    "len_ok": 1.29,  # 4-22 words (CJK: 8-44 characters)
    "len_3": -0.65,
    "len_2": -0.93,
    "len_1": -2.54,
    "len_long": -1.61,  # 23-45 words
    "len_huge": -4.00,
    "ends_period": -1.80,  # a sentence, not a headline
    "ends_colon": -2.50,  # a label or an introduction (':', ',', ';')
    "ends_ellipsis": -0.33,
    "lower_start": -1.51,
    "separators": -1.01,  # ' | ' or ' · ' inside: a page title with the site's name, or links
    "label": -2.64,  # 'Press Statement', 'Commentary', '보도자료'
    "bare_name": -0.81,  # looks like a person's name: a byline without 'By'
    "overlap": 2.38,  # x share of content words (CJK: character pairs) with the first paragraph
    "prefix": 1.86,  # the first paragraph starts with it (a headline cut with '...')
    "hint": 4.24,  # it is the HTML page's title / og:title / JSON-LD headline (or that with the site's name added)
    "hint_part": 1.44,
    "repeat_near": 0.59,  # printed twice in the header (a headline over its own copy: two templates, or h1 and title)
    "repeat_far": -1.16,  # also in the footer, or three times and more: a site name
    "dek": -0.84,  # right under another headline-like line: the standfirst (headline first, whatever the lengths)
    "bracketed": -2.03,  # wholly in brackets: '(EDITORIAL from the Korea Herald on March 30)', a note or credit
    "fragment": -0.40,  # part of a longer headline-like line on the page: a short variant (breadcrumb, related link)
    "variant": -2.16,  # most of its words are in a longer headline-like line a few lines over it (a video's title)
    "caps": 0.03,  # ALL CAPS
    "under_byline": -1.03,  # right under a byline: the publication's name ('By X' / 'The New York Sun')
    "numbered": -1.64,  # '1. ...', 'II. ...': a section heading of the text
    "no_function": -1.36,
    "place": -2.08,
    "name_list": -2.00,  # one of a column of names and titles (a letter's addressees)
    "self_repeat": -2.07,
    "meta_value": -2.00,
    "points": -1.57,  # a long line of several points run together ('A···B···C'): a standfirst's summary
    "len_6": 1.65,  # 6-22 words, on top of len_ok: a headline is seldom shorter ('Club statement')
    "overlap_zero": -0.84,  # four words or more, and none shared with the first paragraph
    "overlap_best": 0.82,  # the candidate above the text that shares most of its words (0.2 and more)
    "alone": 1.38,  # the one line of three words or more over the text, this side of any menu
}
POS_ABOVE = 6  # pos_above_0 .. pos_above_5
THRESHOLD = 1.22  # below: the page states no headline, and the first words of the text stand in for it
# How sure a chosen headline is: sigmoid(a + b (score - THRESHOLD) + c (score - runner-up's)), a logistic regression
# of "the chosen line is the headline" on the same pages (bench/fit_header.py prints it with W).
CONFIDENCE = (-1.11, 0.41, 0.42)
SKIP = ("ui", "credit", "marker", "prompt")  # neither content nor a boundary between header and body
FURNITURE = ("menu", "breadcrumb", "legal", "stop", "comments")
ABOVE, BELOW = 40, 10  # lines looked at above and under the body


@dataclass
class Meta:
    """What one header line states."""

    date: str | None = None
    date_labelled: bool = False
    author: str | None = None
    role: str | None = None
    how: str = ""  # how the author was found: by, labelled, ko, name+role, bare, signature
    source: str | None = None
    consumed: bool = False  # a byline's second line (role), a contact's details: not a headline either


@dataclass
class Header:
    title: str | None = None
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    date: str | None = None
    confidence: dict = field(default_factory=dict)  # field -> 0..1


def furniture(items: list[Line], j: int) -> bool:
    """A boundary of the header: a footer, breadcrumb or section list, or a menu of two lines and more (one line with
    separators may be the page's 'Headline | Site' title bar)."""
    kind = items[j].kind
    if kind != "menu":
        return kind in FURNITURE
    return any(0 <= k < len(items) and items[k].kind == "menu" for k in (j - 1, j + 1))


def today_banner(items: list[Line], i: int) -> bool:
    """Date line I is the site's "today" banner: the line under it is a widget (a weather reading, a clock's label)."""
    under = items[i + 1] if i + 1 < len(items) else None
    # (a paragraph under it that mentions 'local time' is the text, not a clock's label)
    return bool(under and under.kind not in ("prose", "sentence")
                and (WEATHER.search(under.text) or CLOCK_LABEL.search(under.text)))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def content_words(text: str) -> set[str]:
    """Words that carry meaning (Latin/Cyrillic: not function words, 3+ letters; CJK: pairs of characters)."""
    latin = {w.casefold().strip("'’.-") for w in words(text)} - STOPWORDS
    out = {w for w in latin if len(w) >= 3 and not CJK.search(w)}
    cjk = "".join(CJK.findall(text))
    return out | {cjk[i:i + 2] for i in range(len(cjk) - 1)}


def size(text: str) -> float:
    """Length in words; a CJK character counts as half a word (a Korean/Chinese headline of 20 characters is ~10)."""
    return sum(1 for t in CJK.sub(" ", text).split() if any(c.isalnum() for c in t)) + len(CJK.findall(text)) / 2


def ko_byline(text: str) -> Byline | None:
    """'이영일 전 국회의원 | 기사입력 2024/03/04 [08:52]', '홍길동 기자': a Hangul name, a title, maybe a date."""
    text = re.sub(r"(?<=[\uac00-\ud7a3])\s+l\s+", " | ", text)  # ('김정환 기자 l 기사입력 ...': a letter l for the bar)
    text = re.sub(r"^[(\[]\s*([^()\[\]]{2,30}?)\s*[)\]]$", r"\1", text)  # ('(유춘식 기자)' under the text)
    text = re.sub(r"^(?:글\s*[·/]\s*)?사진\s+(?=[\uac00-\ud7a3]{2,4}\s)", "", text)  # ('사진 설원태 선임기자': the label)
    head = re.split(r"\s*[|·/]\s*", text)[0].strip()  # ('최선경 기자 / 기사승인 : 2025-05-22')
    head = re.sub(r"\s*[\[(]?\S+@\S+[\])]?$", "", head)  # '최지원 기자 (jiwoner@yna.co.kr)'
    if (glued := re.fullmatch(r"([\uac00-\ud7a3]{3})(기자|특파원|선임기자|객원기자|인턴기자)", head)) and ko_name(glued[1]):
        head = f"{glued[1]} {glued[2]}"  # '정자형기자': the name glued to its title
    toks = head.split()
    if not 2 <= len(toks) <= 4 or not re.fullmatch(r"[\uac00-\ud7a3]{2,4}", toks[0]):
        return None
    if not all(HANGUL.match(t) for t in toks[1:]) or not KO_ROLES.search(toks[-1]):
        return None
    rest = text[len(re.split(r"\s*[|·/]\s*", text)[0]):]
    iso = find_date(rest)[0] if find_date(rest) else None
    return Byline(toks[0], " ".join(toks[1:]), iso)


def line_meta(items: list[Line], i: int, day_first: bool) -> Meta | None:
    """What line I states as header metadata (date, byline, labels, source), or None."""
    text, kind = items[i].text, items[i].kind
    text = FIELD_GLYPH.sub("", text)  # a template's list glyph before each field ('• 이주호 기자', '• 등록 ...')
    if m := SOURCE_LINE.match(text):
        return Meta(source=m["src"].strip())
    if kind == "meta" and (lab := labelled(text, day_first)):
        return Meta(date=lab.get("date"), date_labelled=bool(lab.get("date")), author=lab.get("author"),
                    role=lab.get("author_role"), how="labelled" if lab.get("author") else "", source=lab.get("source"))
    if (m := REPORTED_BY.match(text)) and name_like(m["name"]) and len(text) < 200:
        return Meta(author=m["name"], how="by")
    if m := RELEASE_BY.match(text):
        return Meta(author=m["org"], how="labelled")
    if m := OPINION_FROM.match(text):
        return Meta(source=("The " if m["the"] else "") + m["src"])
    if (m := BRACKET_CREDIT.match(text)) and (iso := date_line(m["date"], day_first)):
        return Meta(source=m["src"].strip(), date=iso)
    if (m := POSTED_ON.match(text)) and len(text) > 60 and (iso := date_line(m["date"], day_first)):
        # 'Posted by on 2015/11/17. Filed under ...': the date of a post's meta line, and its author when it names one
        # ('Published on March 12, 2024 by Jane Doe | Updated March 14, 2024')
        return by if (by := dated_byline(text, day_first)) and by.author and by.date == iso else Meta(date=iso)
    if (m := WIRE_CREDIT.match(text)) and (iso := date_line(m["rest"], day_first)):
        return Meta(source=m["src"], date=iso)  # 'Xinhua, October 29, 2016': the wire's credit line
    if iso := date_line(text, day_first):
        if (by := dated_byline(text, day_first)) and by.author:  # '이종윤 2023. 5. 5.': the one word is a name
            return by
        return Meta(date=iso, date_labelled=bool(DATE_LABEL.search(text)))
    if by := ko_byline(text):
        return Meta(author=by.author, role=by.role, how="ko", date=by.date, date_labelled=bool(by.date))
    if who := delivered_by(text):
        return Meta(author=who[0], role=who[1], how="by")
    if (m := WITH_AGENCY.match(text)) and (re.fullmatch(r"(?:[A-Z]\.\s?){1,3}", m["name"]) or name_like(m["name"])):
        return Meta(author=m["name"].strip(), how="by")  # 'H.G. avec AFP': the writer, the wire beside
    if by := parse_byline(text, day_first):
        return Meta(author=by.author, role=by.role, how="by", date=by.date)
    if by := dash_byline(text):
        return Meta(author=by.author, how="by")
    if m := REPRINT.search(text):
        return Meta(source=reprint_source(m))
    if m := DISTRIBUTED.match(text):  # '聯合ニュース 6月29日(水)14時27分配信': the agency a portal carries
        return Meta(source=m["src"])
    if m := ZH_BYLINE.match(text):  # '即時中心/李昶毅報導'
        return Meta(author=m["name"], how="by")
    return dated_byline(text, day_first)


def dated_byline(text: str, day_first: bool) -> Meta | None:
    """A date and a byline on one line, in either order ('이종윤 2023. 5. 5. 14:51', '2024.08.05 구병삼 대변인',
    'November 26, 2019, by Victor Cha—'): what is left once the date (and a time) is cut reads as a byline."""
    found = find_date(text, day_first)
    if not found or len(text) > 120:
        return None
    iso, m = found
    rest = re.sub(r"\b\d{1,2}:\d{2}(?::\d{2})?\b", " ", text[:m.start()] + " " + text[m.end():])
    rest = re.sub(EMAIL, " ", rest)  # ('김은지 kimej@... | 2024.03.01': the writer's e-mail)
    rest = rest.strip(" ,|·—–-\t")
    if (by := re.search(r"\bby\s", rest, re.I)) and not DATE_FILLER.sub(" ", rest[:by.start()]).strip(" ,|·—–-\t"):
        rest = rest[by.start():]  # 'Monday November 18, 2019 7:45 am PST by Joe Rossignol': the weekday and zone are filler
        rest = re.sub(r"\s+in\s+[A-Z].*$", "", rest)  # ('... by Jane Doe in Housing, Politics': the post's categories)
    label = STAMP_LABEL.search(rest) if rest.casefold().startswith("by ") else None
    stamp = STAMP_LABEL.search(text) if label else None
    after = text[stamp.end():] if stamp else ""
    if stamp and (dated := find_date(after, day_first)) and after[:dated[1].start()].strip(" :").casefold() in ("", "on", "at"):
        rest = rest[:label.start()].strip(" ,|·—–-/\t")  # the label with its date right after it: no name's word
    if not rest:
        return None
    if (by := ko_byline(rest)) or (by := ko_byline(" ".join(DATE_FILLER.sub(" ", rest).split()))):
        # ('최지호 기자 입력 2013-10-16 00:00:00 조회수 0': the date's label and a view count around the byline)
        return Meta(author=by.author, role=by.role, how="ko", date=iso)
    # (the name alone, or once the date's filler is cut: '입력 2013년09월15일 19시21분 백수현')
    if name := next((t for t in (rest, " ".join(DATE_FILLER.sub(" ", rest).split())) if ko_name(t)), None):
        return Meta(author=name, how="ko", date=iso)
    # '- 국제 / 윤선영 / 2017-09-03 18:55:50': a section, the name and the date between slashes
    parts = [p for p in re.split(r"\s*[/|·]\s*", rest.strip(" /")) if p]
    if 2 <= len(parts) <= 3 and all(len(p) <= 6 for p in parts) and len(names := [p for p in parts if ko_name(p)]) == 1:
        return Meta(author=names[0], how="ko", date=iso)
    if (by := parse_byline(rest, day_first)) and rest.casefold().startswith("by "):
        return Meta(author=by.author, role=by.role, how="by", date=iso)
    return None


def zones(items: list[Line], start: int, end: int) -> tuple[list[int], list[int]]:
    """Indices of the lines above the body (nearest first) and under it (nearest first), controls left out.

    A short question, exclamation or cut line opening the body ('Whither North Korea?', '... сообщает...') is also a
    candidate above it: a headline shaped like a sentence joins the body's window when nothing stands between them.
    """
    above = [i for i in range(start - 1, max(-1, start - 1 - ABOVE), -1) if items[i].kind not in SKIP]
    below = [i for i in range(end, min(len(items), end + BELOW)) if items[i].kind not in SKIP]
    lead = norm(items[start].text) if start < len(items) else ""
    # A line the page repeats is text, or furniture, not its headline; but a copy right under it is its alt text or
    # its twin, and copies under the text are the footer's 'now reading' bar.
    copies = [i for i, ln in enumerate(items) if norm(ln.text) == lead and i not in (start, start + 1)]
    # A long line with no end mark at all opening the text, with no headline-like line over it, its words capitalised
    # as a headline's are: a long headline ('Congratulatory message from the Ambassador of the Russian Federation
    # ... on the occasion of Korea's Founding Day'). Under a headline, it is more likely a caption ('... Credit: 20th
    # Century Fox'); in sentence case, a paragraph that lost its stop.
    first = items[start] if start < len(items) else Line("")
    long_words = [w for w in words(first.text) if len(w) >= 3]
    unmarked = (first.kind == "prose" and size(first.text) <= 30 and not full_stop(first.text)
                and not re.search(r"[?!…]['\"”’)»]*$", first.text) and bool(long_words)
                and sum(w[0].isupper() for w in long_words) >= 0.4 * len(long_words)
                and not any(headline_shaped(items[i]) for i in above))
    if end - start >= 2 and (sentence_headline(items[start]) or unmarked) and all(i >= end for i in copies):
        above.insert(0, start)
    return above, below


def sentence_headline(ln: Line) -> bool:
    """A short line shaped like a sentence that may be a headline: a question, an exclamation, a cut line, or one
    ending in an abbreviation's stop ('... at Embassy of Pakistan Washington D.C.')."""
    return (ln.kind in ("sentence", "prose") and size(ln.text) <= 15
            and bool(re.search(r"(?:[?!]|\.\.\.|…)['\"”’)»]*$", ln.text) or ABBREV_END.search(ln.text)))


def read_header(items: list[Line], start: int, end: int, paras: list[str], *, day_first: bool = False,
                hints: tuple[str, ...] = ()) -> Header:
    """The header fields around the body (lines START..END): each line near it read for what it says (`header_metas`),
    then the headline chosen, then the author, date and source, each knowing where the headline is."""
    above, below = zones(items, start, end)
    metas = header_metas(items, above, below, paras, day_first)
    pair_names(items, above, metas)
    source_labels(items, above + below, metas)
    head = Header()
    title_i, head.title, head.confidence["title"] = choose_title(items, start, above, below, metas, paras, hints)
    read_author(items, above, below, metas, title_i, paras, head)
    read_date(items, start, above, below, metas, title_i, head, day_first)
    if not head.date and head.title and (m := re.search(r"[,–—-]\s*([^,–—-]+)$", head.title)):
        # 'Points de presse, 24 février 2012': a briefing's headline that carries its date
        head.date = date_line(m[1], day_first)
        head.confidence["date"] = 0.6
    if not head.date and head.title and (d := find_date(head.title, day_first)) and (
            len(head.title[:d[1].start()].split()) <= 3  # 'No: 149, 22 May 2017, Press Release Regarding ...'
            or not head.title[d[1].end():].strip(" .)") and re.search(r"[,:–—|-]\s*$", head.title[:d[1].start()])
            or BRIEFING.search(head.title[:d[1].start()]) and re.search(r"\(\s*$", head.title[:d[1].start()])
            and head.title[d[1].end():].strip() == ")"):
        # or at its end after a separator ('News From Across the Nation - Jan. 21, 2019'), or in brackets after a
        # briefing's name ('Extrait du point presse (07 novembre 2024)'; 'Remembering the Gwangju Uprising (May 18,
        # 1980)' names an event's date)
        head.date = d[0]
        head.confidence["date"] = 0.6
    read_source(items, above, below, metas, title_i, head)
    return head


def header_metas(items: list[Line], above: list[int], below: list[int], paras: list[str], day_first: bool
                 ) -> dict[int, Meta]:
    """What each line above and below the body says (byline, date, source...), by line index. A press contact's
    heading and the name, e-mail and phone under it are consumed: they are not the author."""
    metas: dict[int, Meta] = {}
    contact = None
    for zone in (above[::-1], below):  # top-down, so a contact heading precedes the names under it
        for k, i in enumerate(zone):
            text = items[i].text
            if CONTACT.match(text) and items[i].kind != "menu":  # a heading, not the menu's 'Contact' link
                contact = k
                metas[i] = Meta(consumed=True)
                continue
            if contact is not None and 0 < k - contact <= 4 and (
                    parse_byline(text, day_first) or "@" in text or re.search(r"\d{3}\W*\d{4}$|\d[\d ()-]{7,}\d$", text)):
                metas[i] = Meta(consumed=True)  # the press contact's name, e-mail and phone: not the author
                continue
            if (meta := line_meta(items, i, day_first)) is not None:
                if meta.author and i > 0 and items[i - 1].text.endswith(",") and i - 1 not in metas:
                    continue  # 'Kofi Annan, Says ...' under '... Envoy for Syria,': a headline's second line
                metas[i] = meta
        contact = None
    # The same name with two wordings of one role on two lines in a row ('Marzuki Darusman, Special Rapporteur on
    # North Korea' / 'Marzuki Darusman, UN Special Rapporteur ...'): a photo's alt text and caption, not a byline
    # ('Anna Berg, Opinion Contributor' over her bio is one).
    for i in [i for i in metas if metas[i].author and (m := metas.get(i + 1)) and m.author == metas[i].author
              and metas[i].role and m.role and metas[i].role != m.role and not BYLINE_PREFIX.match(items[i].text)
              and not BYLINE_PREFIX.match(items[i + 1].text)
              and (set(words(metas[i].role)) <= set(words(m.role)) or set(words(m.role)) <= set(words(metas[i].role)))]:
        metas[i] = metas[i + 1] = Meta(consumed=True)
    # A line the first paragraph starts with is the text's first words standing in for a missing headline (as
    # Article.to_text writes it), not a byline, date or reprint note that the paragraph happens to contain.
    lead = norm(paras[0]) if paras else ""
    for i in [i for i in metas if len(items[i].text) >= 12 and lead.startswith(norm(items[i].text))]:
        del metas[i]
    return metas


def name_list(items: list[Line], i: int) -> bool:
    """Whether line I is in a column of three or more names and titles ('President Yoon Suk-yeol' / 'CC. Prime
    Minister Han Duck-soo' / ...): the addressees of a letter or a list of people, none of them the author."""

    def named(j: int) -> bool:
        if not 0 <= j < len(items) or items[j].kind != "other":
            return False
        text = items[j].text
        toks = text.split()
        return (2 <= len(toks) <= 8 and all(t[:1].isupper() for t in toks) and not CJK.search(text)
                and not parse_byline(text) and not date_line(text)
                and text.casefold() not in DOC_LABELS and not PLACE.match(text))  # 'Press Statement', 'Washington, DC'

    return named(i) and (named(i - 1) and (named(i - 2) or named(i + 1)) or named(i + 1) and named(i + 2))


def pair_names(items: list[Line], above: list[int], metas: dict[int, Meta]) -> None:
    """'Robert R. King' over 'Special Envoy for North Korean Human Rights Issues': a byline printed on two lines."""
    top_down = above[::-1]
    for a, b in zip(top_down, top_down[1:]):
        if name_list(items, a):
            continue
        m = metas.get(a)
        if m and m.author and not m.role and b == a + 1 and b not in metas and role_line(items[b].text):
            m.role = items[b].text  # 'By Tom Okafor' / 'Asia correspondent'
            metas[b] = Meta(consumed=True)
            continue
        if (a not in metas and b == a + 1 and metas.get(b) and metas[b].date and not metas[b].author
                and FIELD_GLYPH.match(items[a].text) and FIELD_GLYPH.match(items[b].text)
                and (bare_name(name := FIELD_GLYPH.sub("", items[a].text)) or ko_name(name))):
            # '• Lee Kyung-sik' / '• 승인 2018.04.20 13:26': a template's fields, the writer's name over the date
            metas[a] = Meta(author=name, how="name+role")
            continue
        if a in metas or b in metas:
            continue
        name, role = HONORIFIC.sub("", items[a].text), items[b].text  # ('Ambassador Kelly Craft')
        if b != a + 1 or items[a].kind != "other" or name.casefold() in DOC_LABELS:
            continue
        if (bare_name(name) and (role_words(role) or role_line(role)) and not bare_name(role) and not date_line(role)
                and "," not in role):
            metas[a] = Meta(author=name, role=role, how="name+role")
            metas[b] = Meta(consumed=True)


def source_labels(items: list[Line], lines: list[int], metas: dict[int, Meta]) -> None:
    """'ソース' on one line and '新華網日本語' on the next: a source label whose value is printed under it."""
    for a, b in zip(lines, lines[1:]):
        if b == a + 1 and items[a].text.strip(" :：").casefold() in SOURCE_WORDS and len(words(items[b].text)) <= 8:
            metas[a] = Meta(consumed=True)
            metas[b] = Meta(source=items[b].text.strip())


# --- headline -----------------------------------------------------------------------------------------------------


def sentence_like(text: str) -> bool:
    """A headline written as a clause: six words or more, some of them function words (not a section's name like
    'Letters to the Editor', nor a line of tags)."""
    toks = text.split()
    return len(toks) >= 6 and not CJK.search(text) and any(t.casefold() in STOPWORDS for t in toks)


def headline_text(text: str) -> str:
    """The headline a line states: the line itself, or the original headline a reprint's note gives ('(原标题:...)').
    A separator at either edge ('Headline |', a title bar whose site name was lost), or a button after it, is not
    part of it."""
    m = ORIGINAL_TITLE.match(text)
    if m:
        return m["t"]
    text = TITLE_FIELD.sub("", text)
    # A print or share button glued after it ('... ミサイル発射 印刷', '... | Share'), when a headline's length is left.
    if (m := TRAILING_BUTTON.search(text)) and size(text[:m.start()]) >= 4:
        text = text[:m.start()]
    return re.sub(r"^(?:\s*\|)+\s*(?=\S)|(?<=\S)\s*(?:\|\s*)+$", "", text)


def section_label(text: str) -> bool:
    """A line made only of generic section words, whatever its case and separators: 'PRESS RELEASES AND NEWS',
    'Press Releases|', 'News & Events'. It names a section of the site, not the article."""
    toks = [t for t in re.split(r"[\s|/,·•:]+", text.casefold()) if t]
    return (bool(toks) and len(toks) <= 6 and all(t in SECTION_WORDS or t in CONNECTORS for t in toks)
            and any(t in SECTION_WORDS for t in toks))


def dateline_like(text: str) -> bool:
    """A date with a place and an agency around it, in short comma-separated parts, and nothing else: 'date 2025-05
    Bakou, 1er mai, AZERTAC'. A dateline, not a headline (a headline states what happened)."""
    if "," not in text or len(text) > 80 or not re.search(r"\d", text):
        return False
    dated = [m for m in DATELINE_DATE.finditer(text)
             if m[0][:1] in "12" and "-" in m[0] or re.fullmatch(MONTHS, m[0].split()[-1].rstrip("."), re.I)
             or foreign_month(m[0].split()[-1].rstrip(".")) is not None]
    if not dated:
        return False
    rest = text
    for m in reversed(dated):
        rest = rest[:m.start()] + " " + rest[m.end():]
    rest_words = DATE_FILLER.sub(" ", rest).split()
    return len(rest_words) <= 4 and all(w[:1].isupper() for w in rest_words)


def headline_shaped(ln: Line) -> bool:
    """A line that can be a headline at all: not furniture, not a sentence with its full stop, not a paragraph, and
    with a word in it ('///' is a divider)."""
    return (ln.kind in ("other", "sentence", "repeat", "prose") and not is_menu(ln.text) and size(ln.text) <= 30
            and bool(re.search(r"[^\W\d_]", ln.text))
            and not full_stop(ln.text) and not section_label(ln.text) and not dateline_like(ln.text))


def candidate(items: list[Line], i: int, metas: dict[int, Meta]) -> bool:
    """Lines that may be the headline: not metadata, not furniture, and not ending in a full stop or a colon (a
    headline has neither; such a line written above the text by Article.to_text would read back as text)."""
    ln = items[i]
    if i in metas or ln.kind not in ("other", "sentence", "repeat", "prose") or is_menu(ln.text) or dateline_like(ln.text):
        return False
    if not re.search(r"[^\W\d_]", ln.text):
        return False  # no letter: '///', a bar of years ('2006 - 2005 - 2004 ...')
    if stamp(ln.text) or EDITOR_NOTE.search(ln.text) or counters(ln.text):
        return False
    under = items[i + 1] if i + 1 < len(items) else None
    # A photo's alt text, a sentence, over its caption, which starts with the same words (a headline has no full stop:
    # a caption under it may repeat it).
    if (under and under.kind == "credit" and len(ln.text) >= 10 and ln.text.rstrip().endswith(".")
            and norm(under.text).startswith(norm(ln.text).rstrip(". "))):
        return False
    # '...' is a cut headline; '.', '..' end a sentence (unless in Title Case), ':', ',', ';' a label or an introduction
    return not full_stop(ln.text) or ln.text.rstrip("\"'”’)»").endswith(".") and title_case(ln.text)


def stamp(text: str) -> bool:
    """A date with its clock time right after it and at most four other words: a page's stamp ('Bruxelles,
    21/04/2018 - 11:16, UNIQUE ID: 180421_3'), not a headline that names a time ('Public meeting ..., 12 March 2024,
    7:00 pm')."""
    found = find_date(text) if len(text) <= 100 else None
    if not found or not (t := re.match(r"[\s,–—-]{0,5}\d{1,2}:\d{2}(?::\d{2})?\b", text[found[1].end():])):
        return False
    rest = text[:found[1].start()] + " " + text[found[1].end() + t.end():]
    return len(DATE_FILLER.sub(" ", rest).split()) <= 4


def full_stop(text: str) -> bool:
    """Whether TEXT ends like a sentence or a label ('.', ':', ',', ';'), not like a headline: a cut '...' and an
    abbreviation's stop ('... on the D.P.R.K.') are a headline's."""
    return bool(re.search(r"(?<!\.\.)[.。]['\"”’)»]*$|[:,;：]$", text)) and not ABBREV_END.search(text)


def features(items: list[Line], i: int, dist: int, under: bool, start: int, end: int, metas: dict[int, Meta],
             paras: list[str], hints: tuple[str, ...], counts: dict[str, list[int]], values: set[str]) -> dict[str, float]:
    """The raw features of candidate line I (an indicator is 1.0; `overlap` a share, `below_dist` a count of lines), by
    name: its score is `score(f)`, the sum of each value times its weight in `W`."""
    text = headline_text(items[i].text)
    f: dict[str, float] = {}
    just_above = False
    mine, lead = content_words(text), content_words(paras[0]) if paras else set()
    shared = (lambda ws: len(ws & lead) / len(ws) if ws else 0.0)  # of these words, the share the text starts with
    if under:
        f["below"] = 1.0
        if dist:
            f["below_dist"] = float(dist)
        if any(furniture(items, j) for j in range(end, i)):
            f["crossed_furniture"] = 1.0  # under 'Related', a footer: another page's headline
        if any(metas.get(j) and (metas[j].date or metas[j].author) for j in range(i - 3, i + 4) if j >= end):
            f["meta_between"] = 1.0  # a header printed under the text keeps its byline and date
    else:
        between = range(i + 1, start)
        # (a blog's '« Previous | Main | Next »' between a line and the text: the line is the blog's, not the post's)
        if any(furniture(items, j) or NAV_STEP.match(items[j].text) for j in between):
            f["crossed_furniture"] = 1.0
        # (a date under the blog's '« Previous | Next »' is its post's, not the blog name's over it)
        nav = next((j for j in between if NAV_STEP.match(items[j].text)), start)
        meta_below = [j for j in between if j - i <= 4 and j < nav and metas.get(j) and (metas[j].date or metas[j].author)]
        if meta_below:
            f["meta_between"] = 1.0
            # Headline, then byline and date: its place is next to them, whatever stands between them and the text
            # (controls, captions, a live blog's 'Key events').
            dist = sum(1 for j in range(i + 1, meta_below[0]) if items[j].kind not in SKIP and j not in metas)
        else:
            # A byline or date right above it, with another headline-like line above that: headline, byline, then
            # this line under them (a standfirst or a caption).
            for j in range(i - 1, max(-1, i - 7), -1):
                if furniture(items, j):
                    break
                if metas.get(j) and (metas[j].date or metas[j].author):
                    over = next((k for k in range(j - 1, max(-1, j - 6), -1)
                                 if items[k].kind not in SKIP and k not in metas), None)
                    # (unless the line right over the date shares few of the text's words and this one many: 'An
                    # official website of ...' / date / headline, a banner over a date over the headline)
                    banner = (over is not None and mine and shared(mine) >= 0.4 and size(text) >= 4
                              and all(items[k].kind in SKIP for k in range(j + 1, i))
                              and all(items[k].kind in SKIP for k in range(over + 1, j))
                              and shared(content_words(items[over].text)) < min(0.25, shared(mine) / 2))
                    if over is not None and candidate(items, over, metas) and size(items[over].text) >= 3 and not banner:
                        f["meta_above_only"] = 1.0
                    elif j == i - 1 or all(items[k].kind in SKIP for k in range(j + 1, i)):
                        # Date (or byline), then this line, with nothing headline-like over the date ('SC/15387',
                        # a menu): a page that prints its date above its headline (if it shares the text's words).
                        just_above = True
                    break
        f[f"pos_above_{dist}" if dist < POS_ABOVE else "pos_far"] = 1.0
    n = size(text)
    f["len_1" if n < 1.5 else "len_2" if n < 2.5 else "len_3" if n < 3.5 else
      "len_ok" if n <= 22 else "len_long" if n <= 45 else "len_huge"] = 1.0
    end_ = text.rstrip("\"'”’)»]")
    if end_.endswith(("...", "…")):
        f["ends_ellipsis"] = 1.0
    elif end_.endswith((".", "。")) and not ABBREV_END.search(text):
        f["ends_period"] = 1.0
    elif end_.endswith((":", ",", ";", "：")):
        f["ends_colon"] = 1.0
    if text[:1].islower():
        f["lower_start"] = 1.0
    if re.search(r"\s[|·•]\s", text):
        f["separators"] = 1.0
    head_, dash, tail = text.partition(" - ")
    if text.strip(" :").casefold() in DOC_LABELS or section_label(text) or (
            dash and section_label(head_) and publication_like(tail)):  # 'Analysis & Opinions - The Washington Post'
        f["label"] = 1.0
    if bare_name(text) or ko_name(text):
        f["bare_name"] = 1.0
    if PLACE.match(text):
        f["place"] = 1.0  # 'Washington, DC': a release's dateline place
    if name_list(items, i):
        f["name_list"] = 1.0
    if SECTION_NUMBER.match(text):
        f["numbered"] = 1.0
    if re.fullmatch(r"[(\[（【].*[)\]）】]", text):
        f["bracketed"] = 1.0
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(words(text)) >= 4 and len(cased) >= 8 and text.upper() == text:  # (an acronym in Hangul text is not caps)
        f["caps"] = 1.0
    toks = text.split()
    if len(toks) >= 8 and not CJK.search(text) and not any(t.casefold() in STOPWORDS for t in toks):
        f["no_function"] = 1.0  # a keyword or tag line: a headline of 8+ words has a function word
    half = len(toks) // 2
    squeezed = "".join(toks)
    trigrams = [tuple(toks[k:k + 3]) for k in range(len(toks) - 2)]
    bigrams = [tuple(toks[k:k + 2]) for k in range(len(toks) - 1)]  # ('View All Events View All Announcements')
    if len(toks) <= 8 and len(set(bigrams)) < len(bigrams) and all(t[:1].isupper() for t in text.split()):
        f["self_repeat"] = 1.0
    if half >= 2 and toks[:half] == toks[half:2 * half] or len(set(trigrams)) < len(trigrams) or (
            len(squeezed) >= 4 and len(squeezed) % 2 == 0 and squeezed[:len(squeezed) // 2] == squeezed[len(squeezed) // 2:]):
        # 'A B C A B C' (tags printed twice, or again cut short), '통일부 로고통일부 로고' (a logo's alt text)
        f["self_repeat"] = 1.0
    if paras:
        if mine:
            f["overlap"] = shared(mine)
        if just_above and f.get("overlap", 0) >= 0.4:
            f["meta_just_above"] = 1.0
        stem = norm(text).rstrip(".… ")
        if len(stem) >= 12 and norm(paras[0]).startswith(stem):
            f["prefix"] = 1.0
    t = norm(text)
    if hints and any(t == h or h.startswith(t) and re.match(r"\s*[-|–—:·]", h[len(t):]) for h in hints):
        f["hint"] = 1.0
    elif hints and any(len(t) >= 8 and (t in h or h in t) for h in hints):
        f["hint_part"] = 1.0
    elif len(t) >= 8 and any(h != t and h.startswith(t) and re.match(r"\s+[|–—-]\s", h[len(t):]) for h in counts):
        f["hint_part"] = 1.0  # the page also prints 'Headline | Section | Site' (its title bar)
    where = counts.get(norm(text), [])
    if len(where) >= 3 or any(abs(j - i) > 3 for j in where):
        f["repeat_far"] = 1.0
    elif len(where) == 2 and max(where) - min(where) == 1:
        f["repeat_near"] = 1.0  # printed twice, one copy right under the other (a teaser's copies have 'Video' between)
    prev = next((j for j in range(i - 1, max(-1, i - 3), -1) if items[j].kind not in SKIP), None)
    if prev is not None and metas.get(prev) and metas[prev].author:
        f["under_byline"] = 1.0
    if (prev is not None and prev not in metas and items[prev].kind in ("other", "repeat", "sentence")
            and 4 <= size(items[prev].text) and not items[prev].text.endswith(".") and candidate(items, prev, metas)
            and n >= 4 and not any(v in norm(items[prev].text) for v in values)
            and not t.startswith(norm(items[prev].text) + " ")):  # (over it its own cut copy, not a headline)
        f["dek"] = 1.0
    if 6 <= n <= 22 and not UNSPACED.search(text):
        f["len_6"] = 1.0  # (fitted on English and Korean: Chinese and Japanese captions run longer than their headlines)
    if n > 22 and len(JOINED_POINTS.findall(text)) >= 2:
        f["points"] = 1.0
    if t in values:
        f["meta_value"] = 1.0  # the name a 'Source:' or byline states elsewhere on the page
    return f


def stems(text: str) -> set[str]:
    """Content words cut to five letters ('kidnapped', 'kidnapping' -> 'kidna'); CJK pairs as they are."""
    return {w[:5] for w in content_words(text)}


def variant(items: list[Line], i: int, cands: list[int]) -> bool:
    """Line I is a shorter wording of a longer headline-like line a few lines over it: a video's or a teaser's title
    ('Video shows dramatic rescue of kidnapped girl' under 'Video shows dramatic rescue of 8-year-old kidnapping
    victim: "We got her!"'). A headline comes first; its variants follow it."""
    mine = stems(LABEL_PREFIX.sub("", items[i].text))  # ('[SBS 뉴스토리] 동요하는 탈북자': a programme's label)
    if len(mine) < 3:
        return False
    for j in cands:
        if i - VARIANT_SPAN <= j < i and size(items[j].text) > size(items[i].text) \
                and not any(furniture(items, k) for k in range(j + 1, i)):  # (a tagline over the menu)
            theirs = stems(items[j].text)
            shared = len(mine & theirs)
            # Each mostly the other's words, or all of its words in the longer line: a caption or a site's tagline
            # over the headline shares only some.
            if shared >= 0.6 * len(mine) and shared >= 0.5 * len(theirs) or shared >= 0.9 * len(mine):
                return True
    return False


LABEL_PREFIX = re.compile(r"^\s*[\[【(（][^\]】)）]{1,20}[\]】)）]\s*")


VARIANT_SPAN = 2  # lines over a candidate where its longer wording may stand (a tagline further up is none)


def score(f: dict[str, float]) -> float:
    """A headline candidate's score: its features' values times their weights (`W`)."""
    return sum(W[k] * v for k, v in f.items())


def title_candidates(items: list[Line], start: int, above: list[int], below: list[int], metas: dict[int, Meta],
                     paras: list[str], hints: tuple[str, ...]) -> list[tuple[int, dict[str, float]]]:
    """Every headline candidate around the body (lines START.. and the zones ABOVE and BELOW) with its raw features,
    as (line index, features); bench/fit_header.py reads them to fit `W`."""
    end = below[0] if below else len(items)
    counts: dict[str, list[int]] = {}
    for j, ln in enumerate(items):
        counts.setdefault(norm(ln.text), []).append(j)
    hints = tuple(norm(h) for h in hints if h and h.strip())
    values = {norm(v) for m in metas.values() for v in (m.source, m.author) if v}
    crumbs = [norm(ln.text) for ln in items if ln.kind == "breadcrumb"]
    out: list[tuple[int, dict[str, float]]] = []
    pairs: list[tuple[int, int]] = []  # (standfirst, the headline over it)
    cands = [i for i in above + below if candidate(items, i, metas) and not re.search(r"\s[|·•>»]\s", items[i].text)]
    for under, zone in ((False, above), (True, below)):
        dist = 0
        for i in zone:
            if candidate(items, i, metas):
                f = features(items, i, dist, under, start, end, metas, paras, hints, counts, values)
                t = norm(items[i].text)
                fuller = (norm(items[j].text) for j in cands)
                nxt = next((j for j in range(i + 1, min(len(items), i + 3)) if items[j].kind not in SKIP), None)
                if size(t) >= 3 and nxt in cands and norm(items[nxt].text).startswith(t + " "):
                    f["variant"] = 1.0  # the line under it goes on where it stops: its cut copy (a short title)
                elif size(t) >= 3 and any(len(u) > len(t) + 5 and t in u for u in fuller):
                    f["fragment"] = 1.0
                elif variant(items, i, cands):
                    f["variant"] = 1.0
                if len(t) >= 8 and any(c.endswith(t) and re.search(r"[»>/|›]\s*$", c[:-len(t)])
                                       or c.startswith(t) and re.fullmatch(r"\s*[»>|›]\s*\S[^»>|›]{0,30}", c[len(t):])
                                       for c in crumbs):
                    # The breadcrumb's last step names the page ('Home » <headline>'), or a board's title bar does
                    # ('<headline> > 언론보도': the post, then its board).
                    f["hint_part"] = 1.0
                out.append((i, f))
                up = next((j for j in range(i - 1, max(-1, i - 3), -1) if items[j].kind not in SKIP), None)
                # (not under a line the page prints twice: a teaser's or a video's title, not this line's headline)
                if f.get("dek") and up is not None and sentence_like(items[up].text) and items[up].kind != "repeat":
                    # A standfirst stands between headline and text as a byline does, and it shares the text's words
                    # because it sums the text up: its overlap is no evidence over the headline's.
                    pairs.append((i, up))
                    continue
            if items[i].kind not in ("date",) and i not in metas and not name_list(items, i):
                dist += 1  # bylines, dates and a column of names stand between headline and text
    feats = dict(out)
    for dek, up in pairs:
        if up in feats and "overlap" in feats[dek]:
            feats[dek]["overlap"] = min(feats[dek]["overlap"], feats[up].get("overlap", 0.0))
    for i, f in out:
        if f.get("overlap") == 0.0 and size(headline_text(items[i].text)) >= 4:
            f["overlap_zero"] = 1.0  # a headline-long line that shares no word with the text (a short one may well)
    # Two features that compare a candidate with the others over the text.
    over = [(i, f) for i, f in out if not f.get("below")]
    top = max((f.get("overlap", 0.0) for _, f in over), default=0.0)
    near = [i for i, f in over if not f.get("crossed_furniture") and size(headline_text(items[i].text)) >= 3]
    for i, f in over:
        if top >= 0.2 and f.get("overlap", 0.0) == top:
            f["overlap_best"] = 1.0
        if near == [i]:
            f["alone"] = 1.0  # the one line of three words or more over the text, this side of any menu
    return out


def choose_title(items: list[Line], start: int, above: list[int], below: list[int], metas: dict[int, Meta],
                 paras: list[str], hints: tuple[str, ...]) -> tuple[int | None, str | None, float]:
    """(index, headline, confidence); no headline when no line scores above THRESHOLD. A field block that names the
    title ('[Title] ...' over '[Date] ...') decides: the page states it, as HTML's <title> would."""
    field = [i for i in above[:12] if TITLE_FIELD.match(items[i].text) and candidate(items, i, metas)
             and any(metas.get(j) and metas[j].date for j in range(i + 1, i + 5))]
    # (A table of fields flattened without colons: 'Title Kyungnam University ...' over 'Date 2019.01.10'.)
    bare = [i for i in above[:12] if BARE_FIELD.match(items[i].text) and candidate(items, i, metas) and any(
        metas.get(j) and metas[j].date and BARE_DATE_FIELD.match(items[j].text) for j in range(i + 1, i + 4))]
    if len(field) + len(bare) == 1:
        i = (field + bare)[0]
        return i, headline_text(BARE_FIELD.sub("", items[i].text)), 0.9
    scored = [(score(f), i) for i, f in title_candidates(items, start, above, below, metas, paras, hints)]
    if not scored:
        return None, None, 0.3
    scored.sort(reverse=True)
    best, i = scored[0]
    second = scored[1][0] if len(scored) > 1 else THRESHOLD - 1.0
    if best < THRESHOLD:
        return None, None, round(0.5 * sigmoid(2 * (THRESHOLD - best)), 2)  # sure only that no line reads as one
    a, b, c = CONFIDENCE
    confidence = sigmoid(a + b * (best - THRESHOLD) + c * (best - second))
    # A headline cut short ('... and the new piers...') over its whole wording a few lines down (under the board's
    # fields): the whole one.
    if cut := CUT_HEADLINE.match(items[i].text.strip()):
        whole = [j for j in above[:8] if j > i + 1 and items[j].text.startswith(cut[1]) and headline_shaped(items[j])
                 and len(items[j].text) > len(cut[1]) + 5 and any(
                     k in metas and (metas[k].how == "labelled" or metas[k].date_labelled) for k in range(i + 1, j))]
        # (only across a board's labelled fields: under a byline, a longer line is the standfirst that goes on)
        if whole:
            i = whole[0]
    return i, wrapped_headline(items, i, metas), round(confidence, 2)


def wrapped_headline(items: list[Line], i: int, metas: dict[int, Meta]) -> str:
    """Line I's headline, with the next line when the headline was wrapped there: it stops on a joining word ('...
    PERMANENT MISSION OF') and the next line has its case ('THE DEMOCRATIC PEOPLE'S REPUBLIC ...')."""
    text = headline_text(items[i].text)
    nxt = items[i + 1].text.strip() if i + 1 < len(items) else ""
    if (not nxt or i + 1 in metas or items[i + 1].kind not in ("other", "sentence", "repeat")
            or not re.search(r"\s(?:of|the|and|a|an)$", text, re.I) or len(nxt.split()) < 3):
        return text  # ('... Kim Is Betting On' / 'North Korea': a headline may end on a preposition, not on 'of')
    if text.isupper() and nxt.isupper() or title_case(text + " " + nxt) and not full_stop(nxt):
        return f"{text} {nxt}"
    return text


# --- byline, date, publication ------------------------------------------------------------------------------------

AUTHOR_TRUST = {"by": 0.9, "labelled": 0.9, "ko": 0.9, "name+role": 0.8, "signature": 0.75, "reporter": 0.8,
                "bare": 0.6}


def read_author(items: list[Line], above: list[int], below: list[int], metas: dict[int, Meta], title_i: int | None,
                paras: list[str], head: Header) -> None:
    near = [i for i in above[:14] if i in metas and metas[i].author]
    if near:  # the byline nearest the body; a second byline further up is still not the title
        m = metas[near[0]]
        head.author, head.author_role = m.author, m.role
        head.confidence["author"] = AUTHOR_TRUST.get(m.how, 0.8)
        return
    if below and (m := metas.get(below[0])) and m.author and (m.how == "by" or m.how == "ko" and not re.match(
            r"(?:사진|영상|그래픽)\s", items[below[0]].text)):  # ('사진 김철수 기자' under the text took the photo)
        head.author, head.author_role = m.author, m.role  # a signature under the text (letters, op-eds, '(유춘식 기자)')
        head.confidence["author"] = AUTHOR_TRUST["signature"]
        return
    letter = paras and (LETTER_OPENING.match(paras[0]) or any(
        LETTERS_LABEL.match(items[j].text) or LETTER_OPENING.fullmatch(items[j].text.strip())
        or LETTER_HEADLINE.match(items[j].text) for j in above[:12]))
    # 'To the editor: ...' signed 'Leonard Parsons', maybe under a closing ('God Bless America,'): a letter's signature
    closing = below and VALEDICTION.match(items[below[0]].text.strip())
    signer = below[1] if closing and len(below) > 1 else below[0] if below else None
    if letter and signer is not None and signer not in metas and bare_name(NAME_SUFFIX.sub(" ", items[signer].text).strip()):
        head.author = items[signer].text
        head.confidence["author"] = AUTHOR_TRUST["signature"]
        return
    for i in above[:14] + below[:6]:
        if (m := KO_REPORTER.search(items[i].text)) and len(items[i].text) < 40:
            head.author, head.author_role = reporter(m)  # '보도에 이승윤 기자입니다'
            head.confidence["author"] = AUTHOR_TRUST["reporter"]
            return
    for p in paras[:2]:
        if m := KO_REPORTER.search(p):
            head.author, head.author_role = reporter(m)
            head.confidence["author"] = AUTHOR_TRUST["reporter"]
            return
    # A bare name next to the headline or the date line: a byline printed without 'By' ('Lena Müller', '나세웅').
    # A Hangul name is also found by the headline: a Korean byline line may carry no date.
    # Under the text only when the header is printed there (the headline was found there).
    lines = above[:14] + (below if title_i is not None and below and title_i >= below[0] else [])
    dates = {i for i in lines if metas.get(i) and metas[i].date and not today_banner(items, i)}
    for i in lines:
        handled = bool(HANDLE.search(items[i].text))
        text = HANDLE.sub("", items[i].text)
        if (i == title_i or i in metas or text.casefold() in DOC_LABELS or items[i].kind not in ("other", "repeat")
                or name_list(items, i) or CLOCK_LABEL.search(text)):
            continue
        # A Hangul name, or a name with a middle initial ('Eric R. Terzuolo': a tag line has none), is read by the
        # headline too.
        initial = re.fullmatch(r"[A-Z][^\W\d_]+(?:\s+[A-Z]\.)+\s+[A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)*", text)
        anchors = dates | ({title_i} if title_i is not None and (ko_name(text) or initial and i > title_i) else set())
        if handled:  # (a name with a handle only over its stamp: under a date it may head an embedded post)
            anchors = {a for a in dates if a == i + 1}
        if (bare_name(text) or ko_name(text)) and any(abs(i - a) <= 1 for a in anchors):
            head.author = text
            head.confidence["author"] = AUTHOR_TRUST["bare"]
            return
    # With no byline found: a Chinese reporter's label a few lines under the text ('记者:刘晓琰' under '来源:...'); not
    # an interview's turns ('记者:谢谢您' after other '记者:' lines)
    turns = sum(1 for ln in items if re.match(r"(?:记者|記者)\s*[:：]", ln.text))
    if turns == 1 and (k := next((k for k in below[:4] if (m := metas.get(k)) and m.author and m.how == "labelled"
                                  and m.role in ("记者", "記者")), None)) is not None:
        head.author, head.author_role = metas[k].author, metas[k].role
        head.confidence["author"] = AUTHOR_TRUST["signature"]
        return
    head.confidence["author"] = 0.7


def read_date(items: list[Line], start: int, above: list[int], below: list[int], metas: dict[int, Meta],
              title_i: int | None, head: Header, day_first: bool = False) -> None:
    """The publication date among the header's date lines: labelled ('Date:', '입력', 'Published') and near the
    headline beats a banner ('today's date') further up; a date under the body counts when there is none above."""
    anchor = title_i if title_i is not None and title_i < start else start
    scored = []
    for rank, i in enumerate(above[:20]):
        m = metas.get(i)
        if not m or not m.date or (not m.date_labelled and not m.author and today_banner(items, i)):
            continue
        s = 1.0 + (1.5 if m.date_labelled else 0.0) + (1.0 if m.author else 0.0)
        s += max(0.0, 2.0 - 0.5 * abs(sum(1 for j in above[:20] if min(i, anchor) < j < max(i, anchor))))
        if any(furniture(items, j) for j in range(i + 1, anchor)):
            s -= 2.0  # a date above the site's menu: the page's "today" banner
        scored.append((s, -rank, m.date))
    # Several dates under the text are a list's (related stories, episodes), not the article's.
    listed = sum(1 for i in below[:8] if metas.get(i) and metas[i].date and not metas[i].date_labelled) >= 2
    for rank, i in enumerate(below[:8]):
        m = metas.get(i)
        if listed and m and not m.date_labelled:
            continue
        # Under the text only a date that says it is the publication's ('입력', 'Published'), or one beside a
        # headline printed there too; 'last updated' and copyright years are footers.
        beside_title = title_i is not None and title_i >= start and abs(i - title_i) <= 3
        if m and m.date and (m.date_labelled or beside_title):
            scored.append((0.5 + (1.5 if m.date_labelled else 0.0) + (1.0 if m.author else 0.0) - 0.2 * rank, -rank, m.date))
    if scored:
        s, _, head.date = max(scored)
        head.confidence["date"] = round(min(0.95, sigmoid(s - 1.0)), 2)
    elif title_i is not None and title_i < start:
        # No date line: a short line right under the headline with a date among other words ('Bruxelles,
        # 21/04/2018 - 11:16, UNIQUE ID: 180421_3'), where the header's date stands.
        for i in range(title_i + 1, min(start, title_i + 3)):
            if items[i].kind not in ("prose", "sentence", "credit") and len(items[i].text) <= 100 and (
                    d := find_date(items[i].text, day_first)) and not AMBIGUOUS_SLASH.search(d[1][0]):
                head.date, head.confidence["date"] = d[0], 0.55  # (03/05/2018 could be either: none rather than wrong)
                break


def read_source(items: list[Line], above: list[int], below: list[int], metas: dict[int, Meta], title_i: int | None,
                head: Header) -> None:
    for i in above[:14]:
        if (m := metas.get(i)) and m.source:
            head.source = m.source
            head.confidence["source"] = 0.9
            return
    for i in below[:6]:  # a source label printed under the text ('ソース' / '新華網日本語')
        if (m := metas.get(i)) and m.source and i - 1 in metas and metas[i - 1].consumed:
            head.source = m.source
            head.confidence["source"] = 0.7
            return
    # A short name under the headline, by the byline ('By X' / 'The New York Sun'): the publication.
    if title_i is not None:
        near = [i for i in above if title_i < i]
        bylines = [i for i in near if metas.get(i) and (metas[i].author or metas[i].date)]
        for i in near:
            text = items[i].text
            if (i not in metas and text != head.author and any(abs(i - b) == 1 for b in bylines) and len(words(text)) <= 8
                    and not CJK.search(text) and not name_list(items, i)
                    and publication_like(text) and "," not in text and i > title_i and masthead_shaped(items[i])):
                head.source = text
                head.confidence["source"] = 0.6
                return


def masthead_shaped(ln: Line) -> bool:
    """A publication's name as printed under a byline ('The New York Sun'): two words or more of two letters or more,
    no digits or slashes (a document number), not a page label ('Press Briefing') or a control ('A A', 'Skip to
    content'), not starting with a preposition ('Before the House ...': a line of a testimony's heading)."""
    toks = ln.text.split()
    first = toks[0].casefold() if toks else ""
    return (ln.kind not in ("ui", "menu", "breadcrumb") and len(toks) >= 2 and all(len(t) >= 2 for t in toks)
            and not re.search(r"[\d/]", ln.text) and ln.text.casefold() not in DOC_LABELS
            and (first not in STOPWORDS or first in ARTICLES))
