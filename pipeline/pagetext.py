"""Flattened page text (what a browser's "select all, copy" or a text dump gives) -> header fields + body paragraphs.

No extractor library reads this shape (they all want HTML), so the rules are ours. They are general, not fitted to
one site: each line gets a *kind* from its shape (prose, short sentence, menu, breadcrumb, UI control, legal footer,
date, byline...), the body is the densest run of prose lines (a maximum-sum window, so a stray "Advertisement" or
photo credit inside the article does not cut it, while menus and footers around it never join it), and the header
(title, byline, publication, date) is read from the few lines right above the body. See docs/clean.md.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date as Date

from dateutil import parser as dateparser

# --- vocabulary: shapes of page furniture common to news/government/blog templates in general -----------------

# Function words: their share tells prose from title-case menus and labels.
STOPWORDS = frozenset(
    """a an the and or but if of in on at to for from by with as is are was were be been being has have had do does
    did not no that this these those it its he she they we you i his her their our your who whom which what when where
    why how than then there here will would can could should may might must shall also into over under about after
    before between through during against without within upon so such only very more most other some any all each both
    de la le les des et du en un une est el los las y que del por para con""".split()
)

# Words of page controls: a line made only of these (plus numbers, timecodes, separators) is a UI control.
UI_WORDS = frozenset(
    """listen play pause stop resume mute unmute volume download mp3 mp4 audio video podcast embed share shares shared
    print printer printable email e-mail mail tweet facebook twitter x linkedin whatsapp telegram reddit pinterest
    copy link links url save saved bookmark now watch subscribe unsubscribe follow like likes comment comments reply replies report
    back to top skip content main navigation nav menu search home login log sign signin in out up register account
    close open toggle next previous prev more less show hide expand collapse font size text a+ a- zoom view full
    screen fullscreen transcript read minute minutes min sec seconds rss feed app apps get the this
    page article story on via send friend or and of kb mb file pdf translate language english 한국어 공유 인쇄 목록
    이메일 댓글 듣기 재생 다운로드 구독 스크랩 글자크기 맨위로 top シェア 印刷 共有 分享 打印 收藏 поделиться печать слушать partager imprimer écouter
    teilen drucken anhören compartir imprimir escuchar""".split()
)

SEPARATORS = re.compile(r"\s*(?:\||•|·|\u2022|\u00b7|\t| {2,}|/ )\s*")
BREADCRUMB = re.compile(r"\S\s*(?:>|›|»|\u203a|\u00bb|→)\s*\S")
FILESIZE = re.compile(r"\d+(?:\.\d+)?(?:kb|mb|k)")
TIMECODE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
TERMINAL = re.compile(r"[.!?…。！？]['\"”’)\]]*$|다\.?$|요\.?$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)

# Footer/legal lines: one strong marker is enough.
LEGAL = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|privacy (?:polic(?:y|ies)|notice|statement)|terms (?:of|and) "
    r"(?:use|service|conditions)|cookie|disclaimer|저작권|무단 ?전재|재배포 ?금지"
    r"|^(?:attachments?|enclosures?|붙임|첨부)\s*[:：]",
    re.I,
)
# A site's colophon: "... Website at www.x.gov maintained by the Bureau of ...".
COLOPHON = re.compile(r"\b(?:web ?site|site|portal)\b.{0,80}\b(?:maintained|managed|operated|hosted|run) by\b", re.I)
# List glyphs at a paragraph's start (Korean releases mark paragraphs with them): not text to read out.
BULLET = re.compile(r"^(?:[□■○●◦•◆◇▶▷►※∙·*]\s*|[-–]\s+)(?=\S)")
# A site speaking about itself ("this site", "our website"): with a legal marker, a disclaimer however long.
SITE_SELF = re.compile(r"\b(?:this|our|the) (?:web ?)?(?:site|portal|pages?)\b|이 사이트|본 사이트", re.I)
# Calls to act: subscribe, sign up, donate, follow us, download the app.
PROMPT = re.compile(
    r"^(?:subscribe|sign up|join (?:us|our)|support (?:us|our)|donate|follow us|get (?:our|the) (?:app|newsletter|"
    r"latest)|download (?:our|the) app|become a (?:member|subscriber)|already a subscriber|create (?:a|an|your) "
    r"(?:free )?account|enter your email|newsletter|thanks? (?:you )?for reading)\b",
    re.I,
)
# Photo/image credits and captions that name their credit.
CREDIT = re.compile(
    r"^(?:\(?(?:photo|photograph|image|picture|file photo|illustration|graphic|video|credit|source image)s?"
    r"(?: by| credit| courtesy)?\s*[:/(]|(?:photo|image)s? (?:by|courtesy of)\b|사진\s*[=:]|фото\s*:"
    r"|(?:photo|image|picture|video)\s+(?:caption|source|credit)s?\s*[,:])"
    r"|(?:/|\()\s*(?:getty images|ap|afp|reuters|epa|yonhap|xinhua|kcna|shutterstock)\)?\s*$",
    re.I,
)
# Section headings after which a page lists other content, not the article: nothing after them joins the body.
AFTER_ARTICLE = re.compile(
    r"^(?:related(?: articles| stories| posts| content| coverage| news)?|read more|more (?:from|on|in|stories|"
    r"news)\b.*|more like this|you (?:may|might) also like|recommended(?: for you| stories)?|most (?:read|popular|"
    r"viewed|shared)|trending(?: now)?|latest (?:news|stories)|see also|further reading|also read|top stories|"
    r"editor'?s picks|관련\s*기사|많이 본 기사|추천 기사|함께 보면 좋은 기사|читайте также|по теме|(?:à )?lire aussi|"
    r"lesen sie auch|mehr zum thema|lea también|te puede interesar|(?:foot|end)?notes|references|about the author"
    r"|about (?:the |us\b).*)\s*:?$"
    r"|^(?:#{3}|-30-|-\s*(?:end|ends)\s*-|ends)$",  # a release's end mark
    re.I,
)
# Start of a comment section: everything after it is readers' text.
COMMENTS = re.compile(
    r"^(?:\d+\s+(?:comments?|responses?|replies|thoughts on\b.*)|comments?\s*\(?\d*\)?|(?:leave|post|add|write) "
    r"(?:a|your) (?:comment|reply|response)|join the (?:discussion|conversation)|discussion|reader comments|"
    r"what do you think\??|댓글\s*\(?\d*\)?|댓글\s*쓰기)\s*:?$",
    re.I,
)
BYLINE_PREFIX = re.compile(r"^(?:by|par|von|por|door|av|(?:written|posted|words|story|text|reporting|reported|compiled|edited|interview) by)"
                           r"\s+", re.I)
REPRINT = re.compile(
    r"(?:originally|first)\s+(?:appeared|published|ran|was published)\s+(?:in|on|by)\s+(?:the\s+)?"
    r"(?P<src>[A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|of|the|and|for))*)",
)


# A Korean wire dateline opening the first paragraph: '(서울=연합뉴스) 홍길동 기자 = 북한이 ...' names the agency and the
# reporter; it is header, not text to read out.
KO_WIRE = re.compile(
    r"^[\[(【]\s*[\uac00-\ud7a3A-Za-z ]{1,15}=\s*(?P<src>[^\])】=]{1,20}?)\s*[\])】]\s*"
    r"(?:(?P<name>[\uac00-\ud7a3]{2,4})\s*(?P<role>기자|특파원|선임기자|객원기자)\s*)?=?\s*(?=\S)")
# Footnote calls glued to the text ('...otherwise.[1] Surveys'): not words to read out.
FOOTNOTE = re.compile(r"(?<=[^\s\[])\[\d{1,3}\]")


MARKER = re.compile(r"^[\[【〔][^\]】〕]{1,12}[\]】〕]$")


def tidy(para: str) -> str:
    """A body paragraph without its list glyph and footnote calls."""
    return FOOTNOTE.sub("", BULLET.sub("", para))


def lead_dateline(para: str) -> tuple[str, dict]:
    """PARA without a Korean wire dateline, and the source/author/role it states."""
    m = KO_WIRE.match(para)
    if not m:
        return para, {}
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
    # The note's full stop ends the sentence, not the name ('... appeared in The New York Times.').
    return m["src"].strip().rstrip(".")


# A line naming the publication outright ('Source: Yonhap', '출처: 통일부'), as releases and Article.to_text write it.
SOURCE_LINE = re.compile(r"^(?:source|출처)\s*[:：]\s*(?P<src>\S.{0,80})$", re.I)
DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.' ]{0,30})?\s*[,(][^()\n]{4,40}\)?\s*[-–—]")
# 'Released on May 5, 2008'; Korean wire footers give the release time with 송고 ('2024/01/24 09:12 송고').
RELEASE = re.compile(r"^(?:(?:released|published|issued|posted|dated|first published)\b|송고|.{0,40}\s송고\s*$)", re.I)
NAME_TOKEN = re.compile(r"^(?:[\uac00-\ud7a3]{2,5}|[^\W\d_][\w'’.-]*)$")
PARTICLES = frozenset("de da di del du van von der den la le bin ibn al y".split())
KO_BYLINE = re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<name>[\uac00-\ud7a3]{2,4})\s+(?P<role>기자|특파원|논설위원|선임기자|객원기자|"
                       r"칼럼니스트|연구원|교수|위원)(?:\s*[=\s]\s*\S+@\S+|\s*=)?\s*$")

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# dateutil reads English month names only; these are the other languages' (Russian by stem: it declines them).
LATIN_MONTHS = {
    name: i
    for names in (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    )
    for i, name in enumerate(names.split(), 1)
}
RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма[йя]", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")


def foreign_month(name: str) -> int | None:
    name = name.lower()
    return next((i for i, stem in enumerate(RU_MONTHS, 1) if re.match(stem, name)), LATIN_MONTHS.get(name))


DATE_PATTERNS = [
    re.compile(rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I),  # May 5, 2008
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+\d{{4}}\b", re.I),  # 5 May 2008
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)\.?"),  # 2008-05-05, 2008.05.05
    re.compile(r"(?P<y>\d{4})\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]"),  # 2008년 5월 5일, 2008年5月5日
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),  # 12.03.2024: always day first
    re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{4}(?!\d)"),  # 05/05/2008 (month first, as dateutil)
    # 15 марта 2023, 5 mai 2008, 5. Mai 2008, 5 de mayo de 2008
    re.compile(r"\b(?P<d>\d{1,2})\.?\s+(?:de\s+)?(?P<mn>[^\W\d_]{3,10})\.?\s+(?:de\s+)?(?P<y>\d{4})\b"),
]
# Words that may sit on a date line around the date itself.
DATE_FILLER = re.compile(
    rf"\b[ap]\.m\.|\b(?:published|updated|posted|released|issued|dated|last|modified|on|at|date|time|am|pm|{MONTHS}|"
    rf"(?-i:[A-Z]{{1,4}}T)|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"utc|gmt|kst|est|edt|pst|pdt|cst|cdt|broadcast|aired|first aired)\b"
    # a relative time next to the absolute one ('Published 3 hours ago · Updated 14:05 GMT, 12 March 2024')
    r"|\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b|\bjust now\b|\d+\s*(?:분|시간|일)\s*전"
    r"|입력|수정|발행|등록|기사입력|최종수정|송고|보도일시|일시|날짜|오전|오후|\d{1,2}\s*(?:時|시)\s*\d{1,2}\s*(?:分|분)|更新|公開|发布"
    # the same filler in French, German, Spanish and Russian ('Publié le 12 mars 2024 à 14h05')
    r"|\b(?:publié|mis à jour|le|à|veröffentlicht|aktualisiert|am|um|uhr|publicado|actualizado|el|a las|"
    r"опубликовано|обновлено|в)\b|\d{1,2}h\d{2}"
    r"|\([월화수목금토일]\)|\d{1,2}:\d{2}(?::\d{2})?|[\d():,.+\-|/·]",
    re.I,
)


def words(line: str) -> list[str]:
    return WORD.findall(line)


def spaced_words(line: str) -> int:
    """How many space-separated tokens of LINE hold a letter: text is words between spaces, so a run of symbols
    and letters with no space in it ('A"A.]') is one token, however many WORD matches it splits into."""
    return sum(1 for t in line.split() if any(c.isalpha() for c in t))


def find_date(line: str, day_first: bool = False) -> tuple[str, re.Match] | None:
    """The first date in LINE as ISO 8601 (YYYY-MM-DD) and its match, or None. DAY_FIRST reads an ambiguous slash
    date (03/12/2024) day first (`language.day_first`)."""
    for pat in DATE_PATTERNS:
        for m in pat.finditer(line):
            try:
                if "mn" in pat.groupindex:
                    month = foreign_month(m["mn"])
                    if month is None:
                        continue
                    iso = Date(int(m["y"]), month, int(m["d"])).isoformat()
                elif "y" in pat.groupindex:
                    iso = Date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
                else:
                    iso = dateparser.parse(m.group(0).replace(" of ", " "), fuzzy=False,
                                           dayfirst=day_first).date().isoformat()
            except (ValueError, OverflowError):
                continue
            if 1900 <= int(iso[:4]) <= 2100:
                return iso, m
    return None


def date_line(line: str, day_first: bool = False) -> str | None:
    """ISO date when LINE is a date line (the date plus at most a few filler words), else None."""
    found = find_date(line, day_first)
    if not found or len(line) > 80:
        return None
    iso, m = found
    rest = DATE_FILLER.sub(" ", line[: m.start()] + " " + line[m.end():])
    return iso if not rest.strip() else None


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
            and not any(t.lower() in STOPWORDS for t in toks))


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
    if not line:
        return None
    iso = None
    found = find_date(line, day_first)
    if found and not date_line(line, day_first):  # 'Posted by Anna Lee on March 3, 2022 at 9:14 am'
        iso, m = found
        tail = DATE_FILLER.sub(" ", line[m.end():]).strip()
        line = re.sub(r"[\s,|·•—–-]*(?:on|published|updated|posted)?[\s,|·•—–-]*$", "", line[: m.start()], flags=re.I)
        if tail or not line:
            return None
    parts = [p for p in re.split(r"\s+(?:\||•|·|—|–|-)\s+", line) if p]
    if len(parts) > 1:  # 'By X | date' or 'By X — Role'
        dates = [date_line(p, day_first) for p in parts]
        iso = iso or next((d for d in dates if d), None)
        parts = [p for p, d in zip(parts, dates) if not d]
        if len(parts) == 0:
            return None
    head, _, rest = parts[0].partition(",")
    prefixed = bool(BYLINE_PREFIX.match(head))
    name = BYLINE_PREFIX.sub("", head).strip()
    role = (rest.strip() or (", ".join(parts[1:]) if len(parts) > 1 else "")) or None
    if not name_like(name) or (not prefixed and not role):
        return None
    if not prefixed and HANGUL.search(name):  # '북한, 동해상으로 ...': a Hangul word before a comma is no name
        return None
    if role and (len(words(role)) > 12 or TERMINAL.search(role) or role[0].islower()):
        return None
    if name.isupper():  # 'BY JANE DOE': a shouting template, not the name's spelling
        name = " ".join(t if t.lower() in PARTICLES or t == "and" else t.capitalize() for t in name.lower().split())
    return Byline(name, role, iso)


# Labelled header fields, as many sites print them in any language ('Текст: Анна Смирнова', '来源：新华网 作者：李明',
# 'Presenter: Ruth Kim', 'Broadcast: 10 March 2024'). A label naming a job is also the author's role.
LABELS = {
    "author": r"author|writer|text|words|written by|автор|текст|作者|撰文|筆者|著者|글|필자|글쓴이|verfasser|autor|auteur",
    "role": r"presenter|host|reporter|correspondent|editor|ведущий|ведущая|корреспондент|记者|記者|主持人|진행|앵커",
    "source": r"source|sources?|источник|来源|來源|出处|出處|出典|quelle|fuente|출처|제공",
    "date": r"date|published|broadcast|aired|updated|дата|发布时间|發布時間|发布日期|时间|日期|日付|날짜|일시|방송일",
}
LABEL = re.compile(r"(?:^|(?<=\s))(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in LABELS.items())
                   + r")\s*[:：]\s*", re.I)


def labelled(line: str, day_first: bool = False) -> dict | None:
    """Header fields of a line made only of labelled fields (and maybe a date before them), else None."""
    if len(line) > 160:
        return None
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
            if len(words(value)) > 8 or TERMINAL.search(value):
                return None
            out.setdefault("source", value)
        else:  # a person: a name, or a CJK name (one unspaced word of 2-4 characters)
            cjk_name = re.fullmatch(r"[\u3400-\u9fff\uac00-\ud7a3]{2,4}", value)
            if not (name_like(value) or cjk_name):
                return None
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
    # Without separators: link labels run together, every word capitalised. A title-case headline keeps its short
    # function words ("of", "the", "in") lower case, so one lower-case word is enough to call it text.
    toks = line.split()
    lower = sum(1 for t in toks if t[:1].islower())
    amp = sum(1 for t in toks if t == "&")
    return lower == 0 and (len(toks) >= 10 or len(toks) >= 6 and amp >= 1) and not TERMINAL.search(line)


def is_ui(line: str, day_first: bool = False) -> bool:
    """A page control: 'Listen', '00:00 / 03:21', 'Download MP3', 'Share this:', 'Print | Email', 'Back to top'."""
    toks = re.findall(r"[\w+:'-]+", line.lower())
    if not toks or len(toks) > 10 or find_date(line, day_first):
        return False
    return all(t.strip(":") in UI_WORDS or TIMECODE.match(t) or t.isdigit() or FILESIZE.fullmatch(t) for t in toks)


def is_prose(line: str) -> bool:
    """A body paragraph: enough words, a share of function words (or CJK sentence length), ends like a sentence."""
    if CJK.search(line):
        return len(CJK.findall(line)) >= 25 and bool(TERMINAL.search(line))
    ws = words(line)
    if min(len(ws), spaced_words(line)) < 12:
        return False
    stop = sum(1 for w in ws if w.lower() in STOPWORDS)
    return stop / len(ws) >= 0.12 and bool(TERMINAL.search(line))


def is_sentence(line: str) -> bool:
    """A short line that still reads as a sentence ('He declined to comment.'), kept when inside the body."""
    if CJK.search(line):
        return len(CJK.findall(line)) >= 8 and bool(TERMINAL.search(line))
    starts = line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'("
    return min(len(words(line)), spaced_words(line)) >= 3 and starts and bool(TERMINAL.search(line))


@dataclass
class Line:
    text: str
    kind: str = "other"  # prose sentence date source menu ui breadcrumb legal prompt credit stop comments repeat other


def classify(lines: list[str], day_first: bool = False) -> list[Line]:
    counts = Counter(ln.casefold() for ln in lines)
    out = []
    for ln in lines:
        kind = "other"
        heading = len(words(ln)) <= 12 and not TERMINAL.search(ln)  # section headings: short, no full stop
        if SOURCE_LINE.match(ln):
            kind = "source"  # metadata whatever the name looks like ('Source: Yahoo!', 'Source: A > B')
        elif labelled(ln, day_first):
            kind = "meta"
        elif MARKER.match(ln):
            kind = "marker"
        elif heading and COMMENTS.match(ln):
            kind = "comments"
        elif heading and AFTER_ARTICLE.match(ln):
            kind = "stop"
        elif is_legal(ln):
            kind = "legal"
        elif len(ln) < 200 and PROMPT.match(ln):
            kind = "prompt"
        elif len(ln) < 250 and CREDIT.search(ln):
            kind = "credit"
        elif is_ui(ln, day_first):
            kind = "ui"
        elif BREADCRUMB.search(ln) and len(words(ln)) <= 12 and not TERMINAL.search(ln):
            kind = "breadcrumb"
        elif date_line(ln, day_first):
            kind = "date"
        elif counts[ln.casefold()] >= 2 and not is_prose(ln):
            kind = "repeat"
        elif is_menu(ln):
            kind = "menu"
        elif is_prose(ln):
            kind = "prose"
        elif is_sentence(ln):
            kind = "sentence"
        out.append(Line(ln, kind))
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
    for ln in out + [Line("", "end")]:
        if ln.kind in ("other", "ui", "repeat") and len(words(ln.text)) <= 3 and not TERMINAL.search(ln.text) \
                and len(CJK.findall(ln.text)) <= 8 and not parse_byline(ln.text, day_first):
            run.append(ln)
            continue
        labels = [r for r in run if r.kind != "ui"]  # player/share controls stay controls
        if len(labels) >= 4 or len(labels) >= 3 and all(len(words(r.text)) <= 2 for r in labels):
            for r in labels:
                r.kind = "menu"
        run = []
    return out


def unwrap(blocks: list[list[str]], day_first: bool = False) -> list[str]:
    """Lines of a hard-wrapped text (e-mailed releases, 72-column dumps) joined back into paragraphs.

    A line is a wrapped continuation when the document has a clear wrap width and the line before it nearly fills it
    (the next word did not fit); otherwise every line stays a unit of its own.
    """
    lengths = sorted(len(ln) for b in blocks for ln in b if len(ln) >= 30)
    lines = [ln for b in blocks for ln in b]
    if len(lengths) < 4 or lengths[-1] > 100 or sum(1 for b in blocks if len(b) > 1) < 2:
        return lines
    width = lengths[int(len(lengths) * 0.9)]
    out: list[str] = []
    for b in blocks:
        cur = b[0]
        for ln in b[1:]:
            if len(cur.rsplit("\n", 1)[-1]) >= 0.75 * width and ln[:1] not in "-*•" and not date_line(ln, day_first):
                cur += "\n" + ln
            else:
                out.append(cur.replace("\n", " "))
                cur = ln
        out.append(cur.replace("\n", " "))
    return out


def body_window(items: list[Line]) -> tuple[int, int] | None:
    """[start, end) of the run of lines with the largest weight: prose counts for, furniture against."""
    best, best_span, run, start = 0.0, None, 0.0, 0
    for i, ln in enumerate(items):
        if ln.kind in ("stop", "comments"):
            run, start = 0.0, i + 1
            continue
        if ln.kind == "marker":
            w = 0.0
        elif ln.kind == "prose":
            w = len(ln.text)
        elif ln.kind == "sentence":
            w = len(ln.text) * 0.3
        else:
            w = -(40 + min(len(ln.text), 200))
        if run <= 0:
            run, start = 0.0, i
        run += w
        if run > best:
            best, best_span = run, (start, i + 1)
    return best_span


@dataclass(frozen=True)
class Page:
    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    date: str | None = None


def title_like(line: str) -> bool:
    ws = words(line)
    if not ws or len(line) > 200 or line[:1].islower():
        return False
    if line.endswith((".", ":", ",", ";")) and not line.endswith("..."):
        return False
    return len(ws) <= 25 and not is_menu(line)


CONTACT = re.compile(r"^(?:(?:media|press|news) )?(?:contacts?|enquiries|inquiries)\b|^(?:문의|담당자|연락처)", re.I)


def role_line(line: str) -> bool:
    """'Asia correspondent', 'Staff writer': a short sentence-case job line (a publication name is title case)."""
    ws = line.split()
    return (1 <= len(ws) <= 5 and line[:1].isupper() and not TERMINAL.search(line) and not any(c.isdigit() for c in line)
            and any(w.islower() and w not in STOPWORDS for w in ws[1:]))


def publication_like(line: str) -> bool:
    """A publication's name: every word but short function words capitalised ('The Harbor Ledger'), or uncased."""
    return line[:1].isalpha() and all(not w[:1].islower() or w.lower() in STOPWORDS for w in line.split())


def read_header(items: list[Line], start: int, end: int | None = None, day_first: bool = False) -> dict:
    """Title, byline, publication and date from the lines just above the body (walking up, nearest first)."""
    group: list[Line] = []
    i = start - 1
    dek = False
    while i >= 0 and len(group) < 7:
        ln = items[i]
        i -= 1
        if ln.kind in ("ui", "credit", "prompt"):
            continue  # player controls or a photo credit between header and body
        if ln.kind == "repeat" and end and any(x.text.casefold() == ln.text.casefold() for x in items[start:end]):
            continue  # an interstitial the body repeats ('Advertisement'), not the top of the page
        if ln.kind == "prose" and not dek and len(words(ln.text)) <= 60 and any(
                x.kind in ("date", "other") for x in group):
            dek = True  # one standfirst between headline and byline: step over it
            continue
        if ln.kind in ("menu", "breadcrumb", "legal", "stop", "comments", "prose"):
            break
        if ln.kind == "repeat" and sum(1 for x in items if x.text.casefold() == ln.text.casefold()) > 2:
            break
        group.append(ln)
    group.reverse()
    head: dict = {}
    titles: list[tuple[int, str]] = []  # (position, line) of title-like lines
    first_meta = None
    contact = by_pos = -9
    for pos, ln in enumerate(group):
        if CONTACT.match(ln.text):
            contact = pos
            continue
        if pos - contact <= 4 and (parse_byline(ln.text, day_first) or "@" in ln.text or re.search(r"\d{3}\W*\d{4}$", ln.text)):
            continue  # the press contact's name, e-mail and phone: not the author
        if pos == by_pos + 1 and head.get("author") and not head.get("author_role") and role_line(ln.text):
            head["author_role"] = ln.text
            continue
        if m := SOURCE_LINE.match(ln.text):
            head.setdefault("source", m["src"].strip())
            continue
        if ln.kind == "meta":
            for k, v in labelled(ln.text, day_first).items():
                head.setdefault(k, v)
            first_meta = pos if first_meta is None else first_meta
            continue
        iso = date_line(ln.text, day_first)
        by = None if iso else parse_byline(ln.text, day_first)
        if iso or by:
            first_meta = pos if first_meta is None else first_meta
        if iso:
            head.setdefault("date", iso)
        elif by:  # the first byline is the author's; a second one is still a byline, never the title
            if "author" not in head:
                head.update(author=by.author, author_role=by.role)
                by_pos = pos
            if by.date:
                head.setdefault("date", by.date)
        elif m := REPRINT.search(ln.text):
            head.setdefault("source", reprint_source(m))
        elif title_like(ln.text) and (not is_sentence(ln.text) or HANGUL.search(ln.text) and ln.text[-1] != "."):
            # by shape, as a repeated line is never "sentence"; a Korean headline ends in -다 but has no full stop
            titles.append((pos, ln.text))
    # A bare name ('Lena Müller') right above or below the date line is the byline.
    if "author" not in head and len(titles) >= 2:
        dates = [p for p, ln in enumerate(group) if ln.kind == "date"]
        for p, t in titles:
            if any(abs(p - d) == 1 for d in dates) and bare_name(t):
                head["author"] = t
                titles.remove((p, t))
                first_meta = p if first_meta is None else min(first_meta, p)
                break
    if first_meta is None:
        # No byline or date: the longest title-like line above the body.
        if titles:
            head["title"] = max(titles, key=lambda pt: (len(words(pt[1])), -pt[0]))[1]
        return head
    if titles:
        # The headline is the longest title-like line; kickers, section labels and publication names are shorter.
        # A line right under the byline names the publication ('By X' / 'The New York Sun'), whatever its length.
        candidates = [(p, t) for p, t in titles if p != by_pos + 1] or titles
        tpos, head["title"] = max(candidates, key=lambda pt: (len(words(pt[1])), -pt[0]))
        above = [(p, t) for p, t in titles if p == tpos - 1 and len(words(t)) >= 4]
        if above:  # headline then a longer standfirst with no full stop: the first line is the headline
            tpos, head["title"] = above[0]
        after = [t for p, t in titles if p > tpos and len(words(t)) <= 8 and publication_like(t) and "," not in t]
        if after:
            head.setdefault("source", after[0])  # a short name below the headline, by the byline: the publication
    return head


def after_body(items: list[Line], end: int, day_first: bool = False) -> dict:
    """What the lines right after the body state about it.

    A release note ('Released on May 5, 2008') or a reprint note gives the date/source. A signature (a byline as the
    first line after the body, as under letters and op-eds) gives the author, and a date line right below it the date.
    """
    found: dict = {}
    after = [ln for ln in items[end: end + 5] if ln.kind not in ("ui", "credit")]
    for k, ln in enumerate(after[:4]):
        # A release's boilerplate heading 'About the Open Waves Foundation' names who issued it.
        m = re.match(r"^about (?:the )?(?!us\b)(?P<org>\S.{2,80})$", ln.text, re.I)
        if ln.kind == "stop" and m and publication_like(m["org"]) and len(words(m["org"])) <= 8:
            found.setdefault("source", m["org"].rstrip(":"))
        if ln.kind in ("menu", "legal", "comments", "stop", "breadcrumb"):
            break
        if RELEASE.match(ln.text) and (d := find_date(ln.text, day_first)):
            found.setdefault("date", d[0])
        if m := REPRINT.search(ln.text):
            found.setdefault("source", reprint_source(m))
        if k == 0 and ln.kind != "date" and (by := parse_byline(ln.text, day_first)):
            found.update(author=by.author, author_role=by.role)
            if len(after) > 1 and after[1].kind == "date":
                found.setdefault("date", date_line(after[1].text, day_first))
    return found


def read_page(text: str, *, day_first: bool = False) -> Page:
    """Header fields and body paragraphs of flattened page text (already decoded and repaired). DAY_FIRST: how the
    page's language reads an ambiguous slash date (`language.day_first`)."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        ln = FOOTNOTE.sub("", " ".join(raw.split()))  # a footnote call must not hide a sentence's end
        if ln:
            blocks[-1].append(ln)
        elif blocks[-1]:
            blocks.append([])
    items = classify(unwrap([b for b in blocks if b], day_first), day_first)
    # Readers' comments follow the article: a comment heading cuts the page, once some prose came before it.
    first_prose = next((i for i, ln in enumerate(items) if ln.kind == "prose"), len(items))
    cut = next((i for i, ln in enumerate(items) if ln.kind == "comments" and i > first_prose), len(items))
    span = body_window(items[:cut])
    if span is None:
        return Page(())
    start, end = span
    body = items[start:end]
    # A reprint note inside the body window ("This article first appeared in ...") is metadata, not text.
    paras: list[str] = []
    found: dict = {}
    for ln in body:
        if ln.kind not in ("prose", "sentence"):
            continue
        m = REPRINT.search(ln.text)
        if m and len(ln.text) < 200:
            found.setdefault("source", reprint_source(m))
            if d := find_date(ln.text, day_first):
                found.setdefault("date", d[0])
            continue
        if RELEASE.match(ln.text) and (d := find_date(ln.text, day_first)) and len(ln.text) < 80:
            found.setdefault("date", d[0])
            continue
        paras.append(tidy(ln.text))
    head = read_header(items, start, end, day_first)
    if paras:
        paras[0], wire = lead_dateline(paras[0])
        for k, v in wire.items():
            head.setdefault(k, v)
    if paras and "date" not in head and (m := DATELINE.match(paras[0])) and (d := find_date(m.group(0), day_first)):
        head["date"] = d[0]  # 'GENEVA (14 June 2022) - ...': the dateline of a release or wire story
    for k, v in {**after_body(items, end, day_first), **found}.items():
        head.setdefault(k, v)
    if head.get("title") in paras:
        paras.remove(head["title"])
    if len(paras) > 1 and author_bio(paras[-1], head.get("author")):
        paras.pop()
    return Page(tuple(paras), **{k: head.get(k) for k in ("title", "author", "author_role", "source", "date")})
