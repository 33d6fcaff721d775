"""One line of flattened page text: its shape (prose, sentence, date, byline, menu, control, legal...) and the
fields it states. Pure functions over strings; the tables they use are in pipeline/pagewords.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date as Date

from dateutil import parser as dateparser

from pipeline.pagewords import (
    KO_SURNAMES,
    KO_NOT_NAMES,
    NAME_PARTICLE,
    HEADING_GLYPH,
    WIRE_CREDIT,
    ABBREV_END,
    RELATIVE_TIME,
    AGENCY_END,
    NAV_LABEL,
    FIELD_LABEL,
    CUE,
    POSTED_ON,
    TAXONOMY,
    JA_WIRE,
    EMAIL_BYLINE,
    DOC_LABELS,
    LANGUAGE_LINK,
    LEAD_ISO_DATE,
    LINK_LEAD,
    SCRIPT_NOTICE,
    TAGLINE,
    NAME_SUFFIX,
    TEMPLATE_NAMES,
    WIRE_CAPTION,
    DISCLOSURE,
    SKIP_LINK,
    LEAD_BRACKET_CREDIT,
    KO_BRACKET_BYLINE,
    HASHTAGS,
    TAXONOMY_HEADING,
    ROLE_WORDS,
    LIST_INTRO,
    END_MARK,
    SALUTATION,
    TRAILING_LINK,
    AFTER_ARTICLE,
    BREADCRUMB,
    GLUED_DATE,
    HOME_PATH,
    HOME_WORD,
    BULLET,
    BYLINE_PREFIX,
    CJK,
    HAN_KANA,
    COLOPHON,
    COMMENTS,
    CONTACT,
    CREDIT,
    DATE_FILLER,
    DATE_PATTERNS,
    ERA_START,
    GLUED_WEEKDAY,
    DATELINE,
    FILESIZE,
    FOOTNOTE,
    HANDLE,
    HANGUL,
    KO_BYLINE,
    KO_REPRINT_MARK,
    KO_TRAILING_BYLINE,
    KO_WIRE,
    KO_SOURCE_BYLINE,
    LABEL,
    LABELS,
    LATIN_MONTHS,
    LEGAL,
    MARKER,
    MONTHS,
    NAME_TOKEN,
    PARTICLES,
    PROMPT,
    RELEASE,
    REPRINT,
    RU_MONTHS,
    SEPARATORS,
    SITE_SELF,
    SOURCE_LINE,
    STOPWORDS,
    KO_REPORTER,
    TERMINAL,
    TRAILING_CREDIT,
    ANCHOR_CUE,
    ZH_SIGNOFF,
    KO_EMAIL_NAME,
    TIMECODE,
    TRAILING_STAMP,
    FIELD_GLYPH,
    CLAUSE_WORDS,
    HOME_NAMES,
    VIEW_COUNT,
    COUNTER,
    DELIVERED_BY,
    HONORIFIC,
    UI_WORDS,
    WORD,
)


def tidy(para: str) -> str:
    """A body paragraph without its list glyph, footnote calls, an agency's end mark ('(end) amm.mt', '(完)') and a
    pointer to the full story elsewhere ('Read more at Yahoo News.')."""
    para = FOOTNOTE.sub("", ANCHOR_CUE.sub("", BULLET.sub("", para)))
    return end_marks(TRAILING_CREDIT.sub("", para)) or para


def end_marks(text: str) -> str:
    """TEXT without what ends a story but is not its text: an agency's end mark ('(end) amm.mt', '(完)'), an agency's
    name as signature ('... EFE') and a pointer to the full story ('Read more at Yahoo News.')."""
    return TRAILING_LINK.sub("", AGENCY_END.sub("", END_MARK.sub("", text)))


def ko_name(text: str) -> bool:
    """A bare Korean name: three Hangul syllables starting with a surname ('나세웅')."""
    return bool(re.fullmatch(r"[\uac00-\ud7a3]{3}", text)) and text[0] in KO_SURNAMES and text not in KO_NOT_NAMES


def reporter(m: re.Match) -> tuple[str, str]:
    """The name and role a KO_REPORTER match states, whichever of its wordings matched."""
    return m["a"] or m["b"] or m["c"], m["r"] or m["s"] or m["t"]


def signoff(para: str) -> tuple[str, tuple[str, str] | None]:
    """PARA without a reporter's closing sign-off ('... 강조했습니다. 이조은 기자가 보도합니다.', a line '보도에 이승윤
    기자입니다.'), and the (name, role) it states: who reported, not text to read out."""
    if zh := ZH_SIGNOFF.search(para):  # '...导弹。(记者姜俏梅)'
        return para[:zh.start()].rstrip(), (zh["a"], "记者")
    found = list(KO_REPORTER.finditer(para))
    m = found[-1] if found else None
    if m is None or para[m.end():].strip(" .") or len(para) - m.start() > 40:
        return para, None
    head = para[:m.start()].rstrip()
    if re.fullmatch(r"(?:지금까지\s*)?[\uac00-\ud7a3]{1,8}에서", head):
        head = ""  # '서울에서 이정은 기자가 보도합니다.': the place the reporter signs off from
    return head, reporter(m)


def lead_dateline(para: str) -> tuple[str, dict]:
    """PARA without a Korean wire dateline, and the source/author/role it states."""
    if m := KO_SOURCE_BYLINE.match(para):
        return para[m.end():], {"source": m["src"].strip(), "author": m["name"], "author_role": m["role"]}
    m = KO_WIRE.match(para)
    if not m and (by := KO_BRACKET_BYLINE.match(para)) and by.end() < len(para):
        return para[by.end():], {"author": by["name"], "author_role": by["role"]}
    if not m:
        ja = JA_WIRE.match(para)  # '【ソウル聯合ニュース】': dropped, the agency is named elsewhere on such pages
        return (para[ja.end():], {}) if ja else (para, {})
    found = {"source": m["src"].strip()}
    if m["name"]:
        found.update(author=m["name"], author_role=m["role"])
    return para[m.end():], found


def author_bio(para: str, author: str | None) -> bool:
    """'Jonas Hale is a senior fellow at ...' or a sign-off ('뉴스통신 김민준입니다.'): closing notes about the author,
    not the article."""
    if not author:
        return False
    signoff = len(para) <= 40 and author in para and len(para.split()) <= 4
    return signoff or re.match(re.escape(author) + r"\s+(?:is|was|has|writes|teaches|works|leads)\b", para) is not None


def reprint_source(m: re.Match) -> str:
    # The note's full stop ends the sentence, not the name ('... appeared in The New York Times.'), and a next
    # sentence is not part of it ('... in The Washington Post. Guest editorials ...'; 'U.S. News' keeps its stops).
    return re.split(r"(?<=[a-z]{2})\.\s", m["src"].strip())[0].rstrip(".")


def foreign_month(name: str) -> int | None:
    name = name.lower()
    return next((i for i, stem in enumerate(RU_MONTHS, 1) if re.match(stem, name)), LATIN_MONTHS.get(name))


def words(line: str) -> list[str]:
    return WORD.findall(line)


def spaced_words(line: str) -> int:
    """How many space-separated tokens of LINE hold a letter: text is words between spaces, so a run of symbols
    and letters with no space in it ('A"A.]') is one token, however many WORD matches it splits into."""
    return sum(1 for t in line.split() if any(c.isalpha() for c in t))


def find_date(line: str, day_first: bool = False) -> tuple[str, re.Match] | None:
    """The first date in LINE as ISO 8601 (YYYY-MM-DD) and its match, or None. DAY_FIRST reads an ambiguous slash
    date (03/12/2024) day first (`language.day_first`)."""
    if not re.search(r"\d", line):  # every date pattern has digits: most lines are done here
        return None
    for pat in DATE_PATTERNS:
        for m in pat.finditer(line):
            try:
                if "mn" in pat.groupindex:
                    month = foreign_month(m["mn"])
                    if month is None:
                        continue
                    iso = Date(int(m["y"]), month, int(m["d"])).isoformat()
                elif "era" in pat.groupindex:
                    year = ERA_START[m["era"]] + (1 if m["ey"] == "元" else int(m["ey"])) - 1
                    iso = Date(year, int(m["m"]), int(m["d"])).isoformat()
                elif "y" in pat.groupindex:
                    iso = Date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
                else:
                    iso = dateparser.parse(re.sub(r",(?=\d)", ", ", m.group(0).replace(" of ", " ")), fuzzy=False,
                                           dayfirst=day_first).date().isoformat()
            except (ValueError, OverflowError):
                continue
            if 1900 <= int(iso[:4]) <= 2100:
                return iso, m
    return None


def date_line(line: str, day_first: bool = False) -> str | None:
    """ISO date when LINE is a date line (the date plus at most a few filler words), else None."""
    line = GLUED_WEEKDAY.sub(" ", line)
    found = find_date(line, day_first)
    if not found or len(line) > 80:
        return None
    iso, m = found
    rest = DATE_FILLER.sub(" ", line[: m.start()] + " " + line[m.end():]).split()
    # One short word besides the date and its filler is a place or a label ('Seoul, May 5, 2008', '滾動 2020年...'),
    # more is a sentence that mentions a date.
    return iso if not rest or len(rest) == 1 and len(rest[0]) <= (4 if CJK.search(rest[0]) else 12) else None


def name_like(text: str) -> bool:
    """2-8 name tokens: capitalised words of any cased script, initials, particles (de, van, bin); or a Hangul name."""
    toks = text.replace(" and ", " ").replace("&", " ").split()
    if len(toks) == 1 and re.fullmatch(r"[\u3400-\u9fff]{2,4}", text):
        return True  # a Chinese name is one unspaced word ('李明')
    if not (1 if HANGUL.search(text) else 2) <= len(toks) <= 8 or any(c.isdigit() for c in text):
        return False
    if toks[0] in PARTICLES:
        return False
    return all(t in PARTICLES or NAME_TOKEN.match(t) and (t[0].isupper() or HANGUL.match(t)) for t in toks)


def bare_name(text: str) -> bool:
    """A name standing alone ('Lena Müller'): 2-4 capitalised words, no function word. Not for Hangul, where a
    name is one word that looks like any other: Korean bylines are recognised by their title (기자) instead."""
    toks = text.split()
    return (2 <= len(toks) <= 4 and name_like(text) and not HANGUL.search(text)
            and not any(t.lower() in STOPWORDS or t.casefold().strip(",.") in ROLE_WORDS for t in toks)
            and not any(t.casefold() in DOC_LABELS for t in toks))  # 'Unification Spokesperson Statement' is none


@dataclass(frozen=True)
class Byline:
    author: str
    role: str | None = None
    date: str | None = None


def parse_byline(line: str, day_first: bool = False) -> Byline | None:
    """'By Jane Doe', 'Jane Doe, Staff Writer', 'By Jane Doe | May 5, 2008', '홍길동 기자' -> Byline, else None."""
    m = KO_BYLINE.match(line)
    if m:
        return Byline(m["name"], m["role"])
    line = re.sub(r"[\s|·•—–-]+$", "", line)
    line = re.sub(r"(?<=[^\W\d_]{3})\.$", "", line)  # ('May 28, 2001|By Elger Putman.': no initial's stop)
    handle = HANDLE.search(line)
    line = HANDLE.sub("", line)
    if not line:
        return None
    iso = None
    stamped = False
    found = find_date(line, day_first)
    if found and not date_line(line, day_first):  # 'Posted by Anna Lee on March 3, 2022 at 9:14 am'
        iso, m = found
        # 'Fahad Shabbir (@FahadShabbir) Published July 12, 2023': a writer's handle and the page's own stamp after
        # a name (without the handle, 'Hong Kong Published ...' is a place)
        stamped = bool(handle) and bool(re.search(r"\s(?:published|posted)(?:\s+on)?[\s:]*$", line[: m.start()], re.I))
        tail = DATE_FILLER.sub(" ", line[m.end():]).strip()
        line = re.sub(r"[\s,|·•—–-]*(?:(?:published|updated|posted)(?:\s+on)?|on)?[\s,:|·•—–-]*$", "", line[: m.start()],
                      flags=re.I)
        if tail or not line:
            return None
    parts = [p for p in re.split(r"\s+(?:\||•|·|—|–|-)\s+", line) if p]
    if len(parts) > 1:  # 'By X | date' or 'By X — Role'
        dates = [date_line(p, day_first) for p in parts]
        iso = iso or next((d for d in dates if d), None)
        parts = [p for p, d in zip(parts, dates) if not d]
        if len(parts) == 0:
            return None
        parts = parts[:1] + [p for p in parts[1:] if not re.match(r"[^:]{1,20}:\s", p)]  # 'Topics: ...' is no role
    head, _, rest = parts[0].partition(",")
    if NAME_SUFFIX.fullmatch(rest):
        rest = ""  # 'By Michael H. Markovitch, Esq.': a suffix of the name, no role
    prefixed = bool(BYLINE_PREFIX.match(head))
    name = BYLINE_PREFIX.sub("", head).strip()
    if prefixed and (paper := re.search(r"\s+(?:[Ff]or\s+)?The(?:\s+[A-Z][\w.'’-]*)+$", name)) and name_like(name[:paper.start()]):
        name = name[:paper.start()]  # 'By Corbin Vanderby and Lindsey Treffry The Spokesman-Review': the paper after it
    role = (rest.strip() or (", ".join(parts[1:]) if len(parts) > 1 else "")) or None
    # 'By U.S. Department of State': an organisation signs, its name capitalised like a publication's.
    org = prefixed and (2 <= len(name.split()) <= 8 and publication_like(name) and not re.search(r"\d", name)
                        or bool(re.fullmatch(r"[A-Z]{2,6}", name)))  # ('By IANS': an agency signs)
    # 'written by Regan': a blog's author by one name, only after a verb ('By Monday' is none)
    alone = (re.match(r"(?:written|posted) by\s", head, re.I) and re.fullmatch(r"[^\W\d_][^\W\d_'’-]{2,}", name)
             and name[0].isupper() and name.casefold() not in STOPWORDS and name.casefold() not in TEMPLATE_NAMES)
    # ('By H.G.': a desk's writer by initials; 'U.S.' and the like are places)
    initials = prefixed and re.fullmatch(r"(?:[A-Z]\.\s?){2,3}", name) and name.replace(" ", "") not in ("U.S.", "U.K.", "U.N.", "E.U.")
    if not (name_like(name) or org or alone or initials) or (not prefixed and not role and not (stamped and bare_name(name))):
        return None
    if not prefixed and role and role.casefold() == name.casefold():
        return None  # 'New York, New York': a place, not a name and its role
    if not prefixed and HANGUL.search(name):  # '북한, 동해상으로 ...': a Hangul word before a comma is no name
        return None
    if not prefixed and re.search(r"[?!]", parts[0]):
        return None  # 'Next Stop, Pyongyang? Obama's ...': a name and a job title ask and exclaim nothing
    if not prefixed and rest.strip() and role and any(w in CLAUSE_WORDS for w in words(role)):
        return None  # 'South Korea, Japan also condemn launch': a clause, not a job ('Lecturer in Korean studies at ...')
    if role and (len(words(role)) > 12 or TERMINAL.search(role) or role[0].islower()):
        return None
    if name.isupper() and " " in name:  # 'BY JANE DOE': a shouting template, not the name's spelling ('By IANS' is)
        name = " ".join(t if t.lower() in PARTICLES or t == "and" else t.capitalize() for t in name.lower().split())
    timed = bool(role and iso and re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?", role, re.I))
    if timed:
        return Byline(name, None, iso)  # 'Claudia Rosett | 12:41 AM on May 06, 2008': the time is no role
    if role and not prefixed and (len(words(role)) > 8 or re.search(r"\d", role)):
        return None  # 'Corée du Nord – Nouvelles désignations par le comité 1718 ...': a headline, not 'Name – Role'
    if role and not prefixed and not rest.strip() and not (
            role_words(role) or role_line(role) and not any(w.casefold() in STOPWORDS for w in words(role))):
        return None  # 'Name – Role' after a dash or pipe: the role reads as a job ('Asia correspondent')
    return Byline(name, role, iso)


def email_byline(text: str) -> Byline | None:
    """'이선아 [leesa@ytn.co.kr]', 'Jane Doe (jane.doe@example.org)': a name and an e-mail address, the reporter's."""
    m = EMAIL_BYLINE.match(text)
    if not m:
        return None
    name = m["name"].strip(" ,|·-–—")
    if re.fullmatch(r"[\uac00-\ud7a3]{2,4}", name) or bare_name(name):
        return Byline(name)
    if ko := KO_EMAIL_NAME.match(name):  # '포항·박정출기자': place, name and role glued
        return Byline(ko["name"], ko["role"])
    return None


def role_words(text: str) -> bool:
    """'Special Envoy for North Korean Human Rights Issues': a short job title, not a sentence."""
    toks = [t.casefold().strip(",.") for t in text.split()]
    return 1 <= len(toks) <= 10 and any(t in ROLE_WORDS for t in toks) and not text.endswith(".") and text[:1].isupper()


def dash_byline(text: str) -> Byline | None:
    """'- Nicholas D. Kristof He writes for the New York Times.': a name after a dash, then a note about it."""
    m = re.match(r"^(?:--|[-–—])\s*(\S.*)$", text)  # ('--Gabrielle Gurian')
    if not m:
        return None
    toks = m[1].split()
    name = []
    for t in toks:
        if t.casefold() in STOPWORDS or not (t[:1].isupper() or re.fullmatch(r"[A-Z]\.", t)):
            break
        name.append(t)
    while name and name[-1].casefold() in ("he", "she"):
        name.pop()
    return Byline(" ".join(name)) if 2 <= len(name) <= 4 and name_like(" ".join(name)) else None


def labelled(line: str, day_first: bool = False) -> dict | None:
    """Header fields of a line made only of labelled fields (and maybe a date before them), else None."""
    glyph = FIELD_GLYPH.match(line.strip())
    line = FIELD_GLYPH.sub("", line.strip())  # a board's fields, each behind a list glyph ('• 글쓴이 : ...')
    if glyph and not re.match(r"[\uac00-\ud7a3]", line):
        return None  # ('• Author: Han Kang' is a list item of a text about books, not the page's field)
    if len(line) > 160:
        return None
    # Parts between pipes that carry no label are links or controls ('Date: 09/09/2024 | Source: X | Read original').
    parts = [p for p in re.split(r"\s+\|\s+", line) if p.strip()]
    if len(parts) > 1 and any(LABEL.search(p) for p in parts):
        line = " ".join(p for p in parts if LABEL.search(p) or date_line(p, day_first))
    found = list(LABEL.finditer(line))
    if not found or (line[: found[0].start()].strip() and not date_line(line[: found[0].start()], day_first)):
        return None
    out: dict = {}
    if lead := line[: found[0].start()].strip():
        out["date"] = date_line(lead, day_first)
    for m, nxt in zip(found, found[1:] + [None]):
        value = line[m.end(): nxt.start() if nxt else len(line)].strip(" ,;|·")
        if not value:
            return None
        if m["date"]:
            if not (iso := find_date(value, day_first)):
                return None
            out.setdefault("date", iso[0])
        elif m["source"]:
            if CJK.match(value):  # a CJK name has no space: what follows is the page's controls ('新华社 说两句 分享到:')
                value = value.split()[0]
            if len(words(value)) > 8 or TERMINAL.search(value):
                return None
            out.setdefault("source", value)
        else:  # a person: a name, or a CJK name (one unspaced word of 2-4 characters)
            cjk_name = re.fullmatch(r"[\u3400-\u9fff\uac00-\ud7a3]{2,4}", value)
            # ('From: The Royal New Zealand Foundation for the Blind': a release service names the issuing body)
            org = m["label"].casefold() == "from" and len(words(value)) <= 10 and publication_like(value)
            if not (name_like(value) or cjk_name or org) or CJK.search(value) and TERMINAL.search(value):
                return None  # ('앵커 : 북한이 ... 밝혔습니다.': a speaker's words, no name)
            out.setdefault("author", value)
            if m["role"]:
                out.setdefault("author_role", m["label"][:1].upper() + m["label"][1:])
    return out


def is_legal(line: str) -> bool:
    """A footer's legal line. Prose that merely mentions a privacy policy or cookies stays text unless it speaks
    about the site itself or carries two legal markers ('Copyright ... All rights reserved.')."""
    if len(line) > 600:
        return False
    if COLOPHON.search(line):
        return True
    if not LEGAL.search(line):
        return False
    return not is_prose(line) or bool(SITE_SELF.search(line)) or len(LEGAL.findall(line)) >= 2


def is_menu(line: str) -> bool:
    """Many short link labels on one line: 'Home | News | Sport' or 'Home Issues & Press Travel & Business ...'."""
    items = [i for i in SEPARATORS.split(line) if i.strip()]
    if len(items) >= 3 and all(len(words(i)) <= 5 for i in items) and not TERMINAL.search(line):
        return True
    # A ticker of headlines ('U.S. stocks extend losses after GDP report  • UN agency raises alarm ...'): links too,
    # however long each; a list glyph between spaces, no item a sentence.
    ticker = [i.strip() for i in re.split(r"\s+•\s+", line)]  # (a bar between names is a list in a sentence)
    if len(ticker) >= 4 and all(2 <= len(words(i)) <= 16 and not TERMINAL.search(i) for i in ticker):
        return True
    # Without separators: link labels run together, every word capitalised. A title-case headline keeps its short
    # function words ("of", "the", "in") lower case, so one lower-case word is enough to call it text.
    # A Title Case headline ('North Korea Fires Missile Over Japan, Says It Is a Warning') still reads as a sentence:
    # function words ('Over', 'It', 'A') and punctuation inside; link labels have neither. Uncased scripts (Hangul,
    # Han) have no case to tell by, so this shape never applies to them.
    toks = line.split()
    cased = [t for t in toks if t != "&"]
    if not cased or not all(t[:1].isupper() for t in cased):
        return False
    amp = len(toks) - len(cased)
    function = sum(1 for t in cased if t.casefold() in STOPWORDS)
    if function >= 2 or re.search(r"[,:;?!'’\"]", line):
        return False
    return (len(toks) >= 10 or len(toks) >= 6 and amp >= 1) and not TERMINAL.search(line)


def counters(line: str) -> bool:
    """A board's or a blog's counter line ('댓글 0건 조회 41회 작성일 25-11-01 15:07'): a view count and nothing but
    counters and dates ('KOSPI hits 3,000' is a headline)."""
    return bool(VIEW_COUNT.search(line)) and not re.search(r"[^\W\d_]", COUNTER.sub("", line))


def delivered_by(text: str) -> tuple[str, str | None] | None:
    """(name, role) of who gave a statement ('(The following is a joint statement delivered by Ambassador Linda
    Thomas-Greenfield, Representative of ...)', 'Delivered byJin Lee'), a title before the name dropped."""
    if len(text) <= 400 and (m := DELIVERED_BY.search(text)) and name_like(name := HONORIFIC.sub("", m["who"]).strip()):
        return name, m["role"]
    return None


def is_ui(line: str, day_first: bool = False) -> bool:
    """A page control: 'Listen', '00:00 / 03:21', 'Download MP3', 'Share this:', 'Print | Email', 'Back to top'."""
    toks = re.findall(r"[\w+:'-]+", line.lower())
    if not toks or len(toks) > 10 or find_date(line, day_first):
        return False
    return all(t.strip(":") in UI_WORDS or TIMECODE.match(t) or t.isdigit() or FILESIZE.fullmatch(t) for t in toks)


def unsigned(line: str) -> str:
    """LINE without a closing credit or a reporter's sign-off in brackets (what a sentence may end with)."""
    if KO_REPRINT_MARK.search(line):
        return KO_REPRINT_MARK.sub("", line)
    if (by := KO_TRAILING_BYLINE.search(line)) and ("@" not in by.group()
                                                    or len(re.findall(r"[.!?]\s", line[:by.start()] + " ")) >= 2):
        return line[:by.start()]  # (with an e-mail, after two sentences or more: a photo's caption is one, and credited so)
    return TRAILING_CREDIT.sub("", ZH_SIGNOFF.sub("", line)) if line.endswith((")", "）", "]")) else line


def is_prose(line: str) -> bool:
    """A body paragraph: enough words, a share of function words (or CJK sentence length), ends like a sentence."""
    if CJK.search(line):
        return len(CJK.findall(line)) >= 25 and bool(TERMINAL.search(unsigned(line)))
    ws = words(line)
    if min(len(ws), spaced_words(line)) < 12:
        return False
    stop = sum(1 for w in ws if w.lower() in STOPWORDS)
    # A long sentence ending in a colon introduces what follows ('... issued the following statement on Sunday:');
    # a long line full of function words is text even without its full stop (a letter's 'Re: ...' line), unless
    # it is in Title Case: a long headline.
    if len(ws) >= 20 and stop / len(ws) >= 0.2 and not title_case(line):
        return True
    return stop / len(ws) >= 0.12 and (bool(TERMINAL.search(unsigned(line))) or line.endswith(":"))


def is_sentence(line: str) -> bool:
    """A short line that still reads as a sentence ('He declined to comment.'), kept when inside the body."""
    if CJK.search(line):
        return len(CJK.findall(line)) >= 8 and bool(TERMINAL.search(unsigned(line)))
    if SALUTATION.match(line):
        return True  # 'Dear President Yoon Suk-yeol,': a letter's first line
    if re.search(r"(?:^|[|·])\s*by\s+[A-Z]", line, re.I) and len(line) < 80 and find_date(line):
        return False  # 'May 28, 2001|By Elger Putman.': a dated byline, whatever its stop
    if len(line) < 120 and re.search(r"\d\s*[ap]\.\s?m\.$", line) and (by := parse_byline(line)) and by.role and by.date:
        return False  # ('KIM TONG-HYUNG, Associated Press June 18, 2021 Updated: ... 9:32 p.m.': its stop is the time's)
    if re.search(r"\s(?:Jr|Sr)\.$", line) and bare_name(line[:-4].strip()):
        return False  # 'George Coyle Sr.': a name with its suffix's stop
    starts = line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'(«„¿¡"
    # ('The Foreign Secretary said:': a quotation's lead-in, its own line over the words it introduces)
    ends = bool(TERMINAL.search(line)) or bool(re.search(r"\b(?:said|says|added|adds|stated|states|continued|"
                                                        r"explained|wrote|writes|told \w+(?: \w+)?)\s*:$", line))
    return min(len(words(line)), spaced_words(line)) >= 3 and starts and ends


@dataclass
class Line:
    text: str
    kind: str = "other"  # prose sentence item date source menu ui breadcrumb legal prompt credit stop comments repeat other


def classify(lines: list[str], day_first: bool = False) -> list[Line]:
    counts = Counter(ln.casefold() for ln in lines)
    out = []
    bracket_dates = sum(1 for ln in lines if MARKER.match(ln) and find_date(ln, day_first))
    for ln in lines:
        kind = "other"
        heading = len(words(ln)) <= 12 and not TERMINAL.search(ln)  # section headings: short, no full stop
        if SOURCE_LINE.match(ln):
            kind = "source"  # metadata whatever the name looks like ('Source: Yahoo!', 'Source: A > B')
        elif labelled(ln, day_first):
            kind = "meta"
        elif (MARKER.match(ln) or CUE.match(ln) and not is_prose(CUE.sub("", ln).strip())) \
                and not (bracket_dates == 1 and date_line(ln.strip("[]【】〔〕"), day_first)):
            # ('[2019-08-02]' alone on a page is its date line; several are a chronology's entries)
            kind = "marker"  # ('◀INT▶ 홍길동 \\/ 시민': an interview cue names who speaks next, in a clip)
        elif heading and COMMENTS.match(ln):
            kind = "comments"
        elif (heading or len(words(ln)) <= 6 and re.search(r"(?:\.\.\.|…)$", ln)) and AFTER_ARTICLE.match(ln):
            kind = "stop"  # ('À lire aussi...': a heading may end in dots)
        elif (len(ln) < 250 and CREDIT.search(ln) or len(ln) < 500 and WIRE_CAPTION.search(ln)) and not (
                (wire := KO_WIRE.match(ln)) and wire["name"]):  # (a wire story's lead with a photo credit glued on)
            kind = "credit"  # (before the legal lines: a caption may end in '© 2017 Reuters/Aly Song')
        elif is_legal(ln):
            kind = "legal"
        elif len(ln) < 200 and (PROMPT.match(ln) or LINK_LEAD.match(ln)):
            kind = "prompt"
        elif FIELD_LABEL.match(ln):
            kind = "ui"  # 'Date' / 'Body' with their values lost
        elif len(ln) < 40 and NAV_LABEL.match(ln) and not TERMINAL.search(ln):
            kind = "ui"  # 'SBS 뉴스 상단 메뉴': a menu's label
        elif SKIP_LINK.match(ln):
            kind = "ui"  # a skip link for screen readers (a paragraph of its own when not known: round 5 then read
            # the headline under it as a subheading between two paragraphs)
        elif RELATIVE_TIME.match(ln):
            kind = "ui"  # 'Published 22 hours ago': the stamp of a page's copy time, no date of the article
        elif len(ln) < 200 and SCRIPT_NOTICE.match(ln) or len(ln) < 300 and DISCLOSURE.search(ln) \
                or len(ln) < 100 and TAGLINE.search(ln):
            kind = "ui"  # 'Please enable JavaScript ...', an affiliate notice, a tagline: the page's own lines
        elif is_ui(ln, day_first):
            kind = "ui"
        elif len(ln) < 200 and (TAXONOMY.match(ln) or HASHTAGS.match(ln)):
            kind = "menu"  # 'Categories: In the News, North Korea': the post's tags, links to other pages
        elif BREADCRUMB.search(unquoted := re.sub(r"«[^«»]*»", "«»", ln)) \
                and (len(words(ln)) <= 12 or len(BREADCRUMB.findall(unquoted)) >= 2) \
                and not TERMINAL.search(ln) or HOME_PATH.match(ln) and not is_menu(ln):
            kind = "breadcrumb"
        elif date_line(ln, day_first) or len(ln) < 400 and (m := POSTED_ON.match(ln)) and date_line(m["date"], day_first):
            kind = "date"  # ('Posted by on 2015/11/17. Filed under News. You can follow ...': a post's meta line)
        elif counts[ln.casefold()] >= 2 and not is_prose(ln):
            kind = "repeat"
        elif is_menu(ln):
            kind = "menu"
        elif is_prose(ln):
            kind = "prose"
        elif is_sentence(ln):
            kind = "sentence"
        elif (BULLET.match(ln) and min(len(words(ln)), spaced_words(ln)) >= 3 and not dash_byline(ln)
              or LIST_INTRO.search(ln) and len(words(ln)) >= 5):
            kind = "item"  # a list item of the text ('• Torture and Inhumane Treatment – ...'), or the line before a list
        out.append(Line(ln, kind))
    # A clip under a script's interview cue ('◀INT▶ 홍길동 \\/ 시민' / '"참 좋았어요.."'): the speaker's words as
    # broadcast, cut and quoted in the script, not the report's text.
    for prev, ln in zip(out, out[1:]):
        if CUE.match(prev.text) and CUE.sub("", prev.text).strip() and re.fullmatch(r"[\"“'‘].{1,200}[\"”'’]", ln.text):
            ln.kind = "marker"
    # A short Korean or Japanese line under a heavy glyph, alone between other lines ('■학생들과의 진솔한 소통'): the
    # text's subheading, not one of its list items (two such lines in a row are a list: '■ 청년 월세 지원 ... 인상').
    glyphed = [bool(HEADING_GLYPH.match(ln.text)) for ln in out]
    for k, ln in enumerate(out):
        if (glyphed[k] and CJK.search(ln.text) and len(ln.text) <= 60 and not TERMINAL.search(ln.text)
                and not (k > 0 and glyphed[k - 1]) and not (k + 1 < len(out) and glyphed[k + 1])):
            ln.kind = "other"
    # A long line without a full stop over a short dated line, before any text: the headline over its date line
    # ('Statement by High Representative ... missile programmes' / 'Bruxelles, 21/04/2018 - 11:16, ...').
    first = next((k for k, ln in enumerate(out) if ln.kind == "prose"), None)
    if first is not None and first + 1 < len(out) and not TERMINAL.search(unsigned(out[first].text)) \
            and not out[first].text.endswith(":") and out[first + 1].kind not in ("prose", "sentence") \
            and len(out[first + 1].text) <= 100 and find_date(out[first + 1].text, day_first):
        out[first].kind = "other"
    # A breadcrumb whose separators the copy lost ('Home Natural & Eco-FriendlyBabywearing Hiking the Boulder Flat
    # Irons'): the home page's name, then the path, ending in a headline of three words or more the page prints within
    # the next few lines (which stays the headline, not a part of a longer line).
    for k, ln in enumerate(out):
        if HOME_WORD.match(ln.text) and ln.kind in ("other", "repeat") and any(
                len(words(nxt.text)) >= 3 and ln.text.casefold().endswith(" " + nxt.text.casefold())
                for nxt in out[k + 1:k + 6]):
            ln.kind = "breadcrumb"
    # The line under a taxonomy heading alone on its line ('Etiquetas' / 'Corea del Norte ONU Derechos Humanos'):
    # the post's tags, run together when the copy lost their separators.
    for prev, ln in zip(out, out[1:]):
        if TAXONOMY_HEADING.match(prev.text) and ln.kind in ("other", "repeat") and len(words(ln.text)) <= 12 \
                and not TERMINAL.search(ln.text):
            prev.kind = ln.kind = "menu"
    # A list without glyphs: a line ending in a colon ('Other highlights include:'), then two short lines or more
    # that are no sentences, then the text again (prose). Its lines are the article's list items. The list is inside
    # the text: some prose comes before its intro (at the top of a page a line ending in a colon is no list's intro).
    k = 0
    seen_prose = False
    while k < len(out):
        seen_prose = seen_prose or any(ln.kind == "prose" for ln in out[:k])
        if seen_prose and out[k].kind in ("other", "item") and LIST_INTRO.search(out[k].text) \
                and len(words(out[k].text)) >= 2:
            j = k + 1
            while j < len(out) and out[j].kind == "other" and 2 <= len(words(out[j].text)) <= 25 \
                    and not LIST_INTRO.search(out[j].text):
                j += 1
            if j - k - 1 >= 2 and j < len(out) and out[j].kind == "prose":
                for ln in out[k:j]:
                    ln.kind = "item"
            k = j
        else:
            k += 1
    # 'Comments' / '댓글' with no count among share and print controls is one more control, not the comment section.
    for i, ln in enumerate(out):
        near = out[max(i - 1, 0): i] + out[i + 1: i + 2]
        if ln.kind == "comments" and not re.search(r"\d", ln.text) and any(x.kind == "ui" for x in near):
            ln.kind = "ui"
    # A short label between two controls is one more control ('Share / Font size / Print').
    for prev, ln, nxt in zip(out, out[1:], out[2:]):
        if prev.kind == nxt.kind == "ui" and ln.kind == "other" and len(words(ln.text)) <= 3:
            ln.kind = "ui"
    # A column of short labels (a vertical menu or tag list) is navigation, wherever it stands: 4+ labels of up to
    # three words, or 3+ of up to two. A byline breaks the column (a short title, byline and site name are a header).
    run: list[Line] = []
    for k, ln in enumerate(out + [Line("", "end")]):
        named = k + 1 < len(out) and bare_name(ln.text) and role_words(out[k + 1].text)  # 'Robert R. King' / 'Special Envoy ...'
        if ln.kind in ("other", "ui", "repeat") and len(words(ln.text)) <= 3 and not TERMINAL.search(ln.text) \
                and len(CJK.findall(ln.text)) <= 8 and not parse_byline(ln.text, day_first) and not named \
                and not find_date(ln.text, day_first):  # (a dated line is a header's, not a menu label)
            run.append(ln)
            continue
        labels = [r for r in run if r.kind != "ui"]  # player/share controls stay controls
        if len(labels) >= 4 or len(labels) >= 3 and all(len(words(r.text)) <= 2 for r in labels):
            for r in labels:
                r.kind = "menu"
        run = []
    return out


def soft_join(blocks: list[list[str]], day_first: bool = False) -> list[list[str]]:
    """Blocks of a soft-wrapped text (a broadcast script, a text typed with line breaks inside its paragraphs)
    joined back into one paragraph each: in a block of short lines only the last ends a sentence, and joined they
    read as text. A script's cue lines ('◀ANC▶', '◀INT▶ ...') stand apart. Only when three blocks or more are
    shaped so (a page-wide habit, not one headline over a paragraph)."""
    parts: list[list[str]] = []
    for b in blocks:
        cur: list[str] = []
        for ln in b:
            if MARKER.match(ln) or CUE.match(ln):
                parts += [p for p in (cur, [ln]) if p]
                cur = []
            else:
                cur.append(ln)
        if cur:
            parts.append(cur)

    def joined(p: list[str]) -> str | None:
        if len(p) < 2 or any(TERMINAL.search(ln) for ln in p[:-1]) or not TERMINAL.search(p[-1]):
            return None
        if any(columns(ln) > 100 or BULLET.match(ln) or date_line(ln, day_first) or parse_byline(ln, day_first)
               for ln in p):
            return None
        text = p[0]
        for ln in p[1:]:
            text += ("" if HAN_KANA.match(text[-1:]) and HAN_KANA.match(ln[:1]) else " ") + ln
        return text if is_prose(text) or is_sentence(text) else None

    found = [joined(p) for p in parts]
    if sum(1 for t in found if t) < 3:
        return blocks
    return [[t] if t else p for p, t in zip(parts, found)]


def rejoin(blocks: list[list[str]]) -> list[list[str]]:
    """Blocks split inside a sentence (a copy that put a blank line where the source wrapped: '... To mark the 46th
    Anniversary of' / '' / 'Independence and National Day, ...') joined again: a line of five words or more that ends
    inside its sentence, and a block that goes on in lower case, one of them with a function word where they meet."""
    out: list[list[str]] = []
    for b in blocks:
        if out and out[-1] and b and len(words(out[-1][-1])) >= 5 and not TERMINAL.search(out[-1][-1]) \
                and not out[-1][-1].endswith(":") and b[0][:1].islower() and len(words(b[0])) >= 5 \
                and (out[-1][-1].endswith(",") or words(out[-1][-1])[-1].casefold() in STOPWORDS
                     or words(b[0])[0].casefold() in STOPWORDS and not NAME_PARTICLE.match(b[0])):
            # (a headline over a copy's junk, 'cossio eeuuThe', or over a name: 'de Blasio administration's ...')
            out[-1] = out[-1][:-1] + [out[-1][-1] + " " + b[0]] + b[1:]
        else:
            out.append(list(b))
    return out


def unwrap(blocks: list[list[str]], day_first: bool = False) -> list[str]:
    """Lines of a hard-wrapped text (e-mailed releases, 72-column dumps) joined back into paragraphs.

    A line is a wrapped continuation when the document has a clear wrap width and the line before it nearly fills it
    (the next word did not fit); otherwise every line stays a unit of its own.
    """
    lengths = sorted(columns(ln) for b in blocks for ln in b if columns(ln) >= 30)
    lines = [ln for b in blocks for ln in b]
    if len(lengths) < 4 or lengths[-1] > 100:
        return lines
    width = lengths[int(len(lengths) * 0.9)]
    # A clear width: several lines end near it. A page whose lines are all short units (menus, captions) has none;
    # a single block (no blank lines) counts only then.
    full = [ln for ln in lines if columns(ln) >= 0.85 * width]
    # a wrapped line ends inside a sentence ('... 결과다. /연합뉴스' ends one: the agency's mark follows it)
    mid_sentence = sum(1 for ln in full if not TERMINAL.search(unsigned(ln)))
    if not mid_sentence:
        return lines  # every full line ends a sentence: lines of one sentence each, nothing wrapped
    if sum(1 for b in blocks if len(b) > 1) < 2 and (len(full) < 4 or len(full) < 0.25 * len(lengths)
                                                     or mid_sentence < 0.5 * len(full)):
        return lines
    out: list[str] = []
    for b in blocks:
        cur, last = b[0], b[0]
        for ln in b[1:]:
            # (or it is shorter, but its sentence goes on in lower case: the next word was a long one)
            wrapped = columns(last) >= 0.75 * width or (
                columns(last) >= 0.5 * width and not TERMINAL.search(last) and ln[:1].islower())
            if wrapped and ln[:1] not in "-*•" and not date_line(ln, day_first) \
                    and not (BYLINE_PREFIX.match(ln) and parse_byline(ln, day_first)):  # ('By Hwang Doo-hyong')
                # Wrapped CJK text is joined without a space: the script puts none between words.
                cur += ("" if CJK.match(cur[-1:]) and CJK.match(ln[:1]) else " ") + ln
            else:
                out.append(cur)
                cur = ln
            last = ln
        out.append(cur)
    return out


def unglue(line: str) -> list[str]:
    """A short line holding a date glued to a label ('MAY 27, 2022Share') as the separate lines the page showed;
    prose is left alone. A link to the page in another language after a headline ('[ja]') is dropped."""
    if len(line) <= 200:
        line = LANGUAGE_LINK.sub("", line) or line
    if (m := LEAD_ISO_DATE.match(line)) and len(words(line[m.end():])) >= 3:
        return [m["date"], *unglue(line[m.end():])]  # 'date 2022-11-17 Seoul: North Korea fires ...'
    if len(line) <= 200 and (m := re.match(rf"(?i:{HOME_NAMES})(?:[A-Z][a-z]+)+(?=[A-Z][a-z]+\s)", line)):
        # ('HomeNewsMedia groups call for ...': the breadcrumb's steps glued to the headline, no space between)
        return [" > ".join(re.findall(r"[A-Z][a-z]+", m.group())), *unglue(line[m.end():])]
    if len(line) <= 250 and not re.search(r"(?<![ap]\.m)\.$", line) and (m := capitals_byline(line)):
        # '<headline> KIM TONG-HYUNG, Associated Press June 18, 2021': a byline in capitals and its date glued on
        return [*unglue(line[:m]), line[m:].strip()]
    if (m := LEAD_BRACKET_CREDIT.match(line)) and len(line) <= 200 and not is_prose(line):
        return [m["credit"], *unglue(line[m.end():])]  # '[문화일보 2024-01-25] 북한, ...': a repost's credit, headline
    if len(line) <= 200 and (stamp := re.search(r"\s(?:Published|Updated|Posted|입력|등록|수정)\b", line)) \
            and len(words(line[:stamp.start()])) >= 3 and date_line(line[stamp.start():].strip()):
        return [*unglue(line[:stamp.start()].strip()), line[stamp.start():].strip()]  # '<headline> Published 12:53 pm ...'
    if (len(line) <= 200 and (m := TRAILING_STAMP.search(line)) and len(head := words(line[:m.start()])) >= 4
            and head[-1].casefold() not in STOPWORDS):
        return [*unglue(line[:m.start()].strip()), m.group().strip()]
    if (m := re.match(r"(?P<head>.{10,200}?)\s+(?P<by>(?P<name>[\uac00-\ud7a3]{3})(?:\s*기자)?\s+\d{4}[-./]\d{1,2}[-./]\d{1,2}"
                      r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)$", line)) and ko_name(m["name"]):
        return [*unglue(m["head"]), m["by"]]  # '<headline> 김은미 2021-09-02 14:18:57': the byline and date glued on
    if len(line) > 100:
        return [line]
    if (m := WIRE_CREDIT.match(line)) and (d := find_date(m["rest"])) and is_ui(tail := m["rest"][d[1].end():].strip().rstrip(":")):
        return [line[:m.start("rest") + d[1].end()], tail]  # 'Xinhua, October 29, 2016 Adjust font size:'
    return [part.strip() for part in GLUED_DATE.split(line) if part.strip()]


def capitals_byline(line: str) -> int | None:
    """Where a byline in capitals with its date starts in LINE, after a headline in sentence case: two or three names
    of letters with a vowel, a comma, a role or agency and a date; not after a function word ('... given by DR. SUE MI
    TERRY, Senior Fellow ..., on June 18, 2021.' is a sentence) nor in an acronym ('KORUS FTA, Trade Ministry ...')."""
    for m in reversed(list(re.finditer(r"(?<=[a-z0-9’'\"”?!])\s+(?=((?:[A-Z][A-Z'’-]+\s+){1,2}[A-Z][A-Z'’-]+),\s)", line))):
        head, names = line[:m.start()], m[1].split()
        if len(words(head)) >= 4 and words(head)[-1].casefold() not in STOPWORDS \
                and all(len(n) >= 2 and re.search(r"[AEIOUY]", n) for n in names) \
                and (by := parse_byline(line[m.end():])) and by.date and by.role:
            return m.end()
    return None


def columns(line: str) -> int:
    """Display width of LINE: CJK characters take two columns (a wrapped CJK text is wrapped by width)."""
    return len(line) + len(CJK.findall(line))


def title_like(line: str) -> bool:
    ws = words(line)
    if not ws or len(line) > 200 or line[:1].islower():
        return False
    if line.endswith((".", ":", ",", ";")) and not line.endswith("...") and not ABBREV_END.search(line):
        return False
    return len(ws) <= 25 and not is_menu(line)


def title_case(line: str) -> bool:
    """A headline in Title Case however it ends ('... After Its Earnings Release. Why You Shouldn't Worry.'): five
    words and more, and every word of three letters and more capitalised but a few joining words ('and', 'the',
    'for'). A sentence full of names still has a verb in lower case ('President Joe Biden met Prime Minister ...')."""
    ws = [w for w in words(line)[1:] if len(w) >= 3 and w[:1].isalpha()]
    return len(words(line)) >= 5 and len(ws) >= 3 and not CJK.search(line) and line.upper() != line \
        and all(w[:1].isupper() or w.casefold() in TITLE_LOWER for w in ws)


TITLE_LOWER = frozenset("and the for but nor yet with from into onto over upon than via".split())


def role_line(line: str) -> bool:
    """'Asia correspondent', 'Staff writer': a short sentence-case job line (a publication name is title case)."""
    ws = line.split()
    return (1 <= len(ws) <= 5 and line[:1].isupper() and not TERMINAL.search(line) and not any(c.isdigit() for c in line)
            and any(w.islower() and w not in STOPWORDS for w in ws[1:]))


def publication_like(line: str) -> bool:
    """A publication's name: every word but short function words capitalised ('The Harbor Ledger'), or uncased."""
    return line[:1].isalpha() and all(not w[:1].islower() or w.lower() in STOPWORDS for w in line.split())
