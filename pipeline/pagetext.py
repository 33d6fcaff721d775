"""Flattened page text (what a browser's "select all, copy" or a text dump gives) -> header fields + body paragraphs.

No extractor library reads this shape (they all want HTML), so the rules are ours. They are general, not fitted to
one site: each line gets a *kind* from its shape (prose, short sentence, menu, breadcrumb, UI control, legal footer,
date, byline...), the body is the densest run of prose lines (a maximum-sum window, so a stray "Advertisement" or
photo credit inside the article does not cut it, while menus and footers around it never join it), and the header
(title, byline, publication, date) is read from the few lines right above the body. See docs/clean.md.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pipeline.pageheader import (
    dated_byline,
    dateline_like,
    full_stop,
    headline_shaped,
    headline_text,
    line_meta,
    norm,
    read_header,
    sentence_headline,
    size,
)
from pipeline.pagelines import (  # noqa: F401 - also read here by article.py and the tests
    Line,
    author_bio,
    bare_name,
    classify,
    columns,
    date_line,
    email_byline,
    end_marks,
    find_date,
    is_prose,
    is_ui,
    delivered_by,
    is_sentence,
    labelled,
    lead_dateline,
    parse_byline,
    publication_like,
    name_like,
    rejoin,
    reprint_source,
    signoff,
    soft_join,
    title_like,
    tidy,
    unglue,
    unwrap,
    words,
)
from pipeline.pagewords import (
    BRACKET_DATELINE,
    DATE_FILLER,
    EDITORIAL_SIGN,
    KO_BRACKET_BYLINE,
    KO_REPRINT_MARK,
    KO_TRAILING_BYLINE,
    ZH_LEAD_REPORTER,
    ZH_OTHER_ROLES,
    KO_BOARD_AUTHOR,
    BYLINE_PREFIX,
    KO_WIRE,
    SITE_WORD,
    POST_META,
    KO_WIRE_LINE,
    UPDATED,
    DATELINE,
    PLACE_DATE,
    PLACE_DATE_ANY,
    COMMENT_WORD,
    READ_MORE_LEAD,
    DATE_LABEL,
    PAGER,
    STAFF_NOTE,
    BLOGGER_LISTING,
    TAG_HEADING,
    EDITOR_NOTE,
    EDITOR_SALUTATION,
    CUT_HEADLINE,
    LOAD_MORE,
    REPORTED_BY,
    CJK,
    TAXONOMY,
    BULLET,
    ARCHIVE_HEADING,
    FOLLOW,
    FOOTNOTE,
    READ_MORE,
    RELEASE,
    REPRINT,
    SOURCE_LINE,
    STOPWORDS,
    TERMINAL,
    TRUNCATED,
)


BOX_LINES = 6  # headlines an inline related-stories box holds at most
BOX_KINDS = ("other", "sentence", "credit", "ui", "marker")  # its headlines, a photo's credit, a button


def inline_boxes(items: list[Line]) -> set[int]:
    """Lines of related-stories boxes printed inside the text ('Related' and two headlines between two paragraphs):
    the heading and two headlines or more, when a paragraph stands right over the heading and the text goes on under
    them (a paragraph first, and another within the next few lines). A box at the text's end is none, nor a list of
    teasers (a summary under each headline: paragraph, one line, paragraph; or summaries set apart by a repeated
    mark), nor one that reaches a comment section: its heading still ends the text."""
    box: set[int] = set()
    for i, ln in enumerate(items):
        if ln.kind != "stop":
            continue
        j = i - 1  # (a photo's credit or a 'READ MORE: <headline>' pointer may stand between it and the paragraph)
        while j >= 0 and i - j <= 2 and (items[j].kind in ("credit", "ui", "marker") or READ_MORE_LEAD.match(items[j].text)):
            j -= 1
        if j < 0 or items[j].kind != "prose":
            continue
        j = i + 1
        while j < len(items) and j - i <= BOX_LINES and (items[j].kind in BOX_KINDS or items[j].kind == "stop"):
            j += 1
        after = [ln.kind for ln in items[j:j + 4]]
        heads = sum(1 for k in range(i + 1, j) if items[k].kind in ("other", "sentence"))
        teasers = after[:3] in (["prose", "other", "prose"], ["prose", "sentence", "prose"])
        talk = any(COMMENT_WORD.search(items[k].text) for k in range(i, min(len(items), j + 4)))
        if heads >= 2 and after[:1] == ["prose"] and after.count("prose") >= 2 and "repeat" not in after \
                and not teasers and not talk:
            box.update(range(i, j))
    return box


def body_window(items: list[Line], box: set[int]) -> tuple[int, int] | None:
    """[start, end) of the run of lines with the largest weight: prose counts for, furniture against. BOX: the lines
    of inline related-stories boxes (`inline_boxes`), crossed at a small cost."""
    best, best_span, run, start = 0.0, None, 0.0, 0
    for i, ln in enumerate(items):
        if i in box or READ_MORE_LEAD.match(ln.text) and ln.kind == "other":
            w = -40.0  # an inline box of related stories, a 'READ MORE: <headline>' pointer: the text goes on under it
        elif ln.kind in ("stop", "comments"):
            run, start = 0.0, i + 1
            continue
        elif ln.kind == "marker":
            w = 0.0
        elif ln.kind == "prose":  # by display width: a CJK character carries about as much as two Latin ones
            w = columns(ln.text)
        elif ln.kind in ("sentence", "item"):
            w = columns(ln.text) * 0.3
        elif ln.kind == "credit":
            w = -40.0  # a photo's caption with its credit: its length says nothing about where the text ends
        elif ln.kind == "prompt" and inline_prompt(items, i):
            w = -40.0  # a newsletter box set inside the text ('Get X in your inbox!' ...): the text goes on under it
        elif (ln.kind == "other" and 0 < i < len(items) - 1 and items[i - 1].kind == "prose"
              and items[i + 1].kind == "prose"):
            w = -40.0  # a line between two paragraphs (a subheading, a related story's link): its length says little
        else:
            w = -(40 + min(columns(ln.text), 200))
        if run <= 0:
            run, start = 0.0, i
        run += w
        if run > best:
            best, best_span = run, (start, i + 1)
    return best_span


def second_copy_header(items: list[Line], start: int, end: int, day_first: bool) -> dict:
    """The date and byline over a second copy of the text further down the page (a template that prints the story
    twice, its header only over the second): the few lines right over the copy's first paragraph."""
    first = next((i for i in range(start, end) if items[i].kind == "prose"), None)
    if first is None:
        return {}
    again = next((j for j in range(first + 1, len(items)) if items[j].text == items[first].text), None)
    found: dict = {}
    for j in range(again - 1, max(first, again - 5), -1) if again is not None else ():
        if items[j].kind == "prose":
            break
        m = line_meta(items, j, day_first)
        if m and m.author and "author" not in found and (m.how in ("by", "labelled", "ko") or publication_like(items[j].text)):
            found["author"] = m.author
        elif not m and "author" not in found and re.fullmatch(r"[A-Z]{2,6}", items[j].text):
            found["author"] = items[j].text  # 'IANS' alone in the byline's place: the agency signs
        if m and m.date and "date" not in found:
            found["date"] = m.date
    return found


def reporter_credit(para: str) -> str | None:
    """The reporter a credit line names ('Reported in Chinese by Qiao Nong. Translated by ...', '... by Qiao Long for
    RFA Mandarin.'), when PARA is one."""
    m = REPORTED_BY.match(para) if len(para) < 200 else None
    if m and name_like(m["name"]):
        return m["name"]
    # An editor's note in brackets on who gave the statement ('(The following is a joint statement delivered by
    # Ambassador Linda Thomas-Greenfield, ...)'), or 'Delivered by Jin Lee'.
    if (para.startswith("(") and para.endswith(")") or para.casefold().startswith("delivered by")) \
            and (who := delivered_by(para)):
        return who[0]
    return None


def pull_quote(k: int, paras: list[str]) -> bool:
    """Paragraph K is a pull quote: printed bare, most of its runs of three words are inside the quotation marks of
    one longer paragraph (the text quotes them; a letter's 'Re:' line over words the text does not quote is none)."""
    def runs(text: str) -> set[tuple[str, ...]]:
        toks = re.findall(r"\w+", text.casefold())
        return {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}

    def quoted(text: str) -> str:
        return " / ".join(re.findall(r"[\"“«„]([^\"“”«»„]{10,})[\"”»“]", text))

    mine = runs(paras[k])
    if len(mine) < 8 or re.search(r"[\"“”«»„]", paras[k]):
        return False  # (a paragraph with its own quotation marks is the text's)
    return any(j != k and len(q) > len(paras[k]) and len(mine & runs(quoted(q))) >= 0.8 * len(mine)
               for j, q in enumerate(paras))


def inline_prompt(items: list[Line], i: int) -> bool:
    """Line I is one of a run of prompts with a paragraph right over the run and another within five lines under it."""
    up = i
    while up > 0 and items[up - 1].kind == "prompt":
        up -= 1
    down = i
    while down < len(items) - 1 and items[down + 1].kind == "prompt":
        down += 1
    return (up > 0 and items[up - 1].kind == "prose"
            and any(ln.kind == "prose" for ln in items[down + 1: down + 6]))


@dataclass(frozen=True)
class Page:
    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    date: str | None = None
    # 0..1 per field and for the body's first and last line (body_start, body_end): how sure the reading is.
    confidence: dict = field(default_factory=dict, compare=False)
    listing: bool = False  # the page lists teasers of several articles (a tag, category or search page)


def note(text: str) -> bool:
    """A reprint note ('This op-ed originally appeared in ...'), a release note ('Released on May 5, 2008') or an
    editor's note ('... 다룬다. -편집자')."""
    return bool(REPRINT.search(text) and len(text) < 200 or RELEASE.match(text) and find_date(text) and len(text) < 80
                or EDITOR_NOTE.search(text))


def listing(items: list[Line], start: int, end: int) -> bool:
    """Whether the page lists teasers of several articles (a tag, category or search page) rather than holding one.

    A teaser is a paragraph cut short ('…', '[…]') or followed by a 'Read more' link; when two paragraphs or more
    each have a date or byline of their own right above them, those are teasers too (an article has one header).
    A listing has two teasers or more, and they make up the body found."""
    texts = [i for i, ln in enumerate(items) if ln.kind in ("prose", "sentence")]

    def above(i: int) -> list[int]:
        """The two lines over line I (controls skipped), up to the paragraph before."""
        out, j = [], i - 1
        while j >= 0 and len(out) < 2 and items[j].kind not in ("prose", "sentence"):
            if items[j].kind not in ("ui", "credit", "marker"):
                out.append(j)
            j -= 1
        return out

    cut = {i for i in texts if TRUNCATED.search(items[i].text)
           or any(READ_MORE.match(ln.text) for ln in items[i + 1: i + 3])}
    dated = {i for i in texts if any(items[j].kind == "date" or parse_byline(items[j].text)
                                     or dated_byline(items[j].text, False) for j in above(i))}
    teasers = cut | (dated if len(dated) >= 2 else set())
    body = [i for i in texts if start <= i < end]
    mine = [i for i in body if i in teasers]
    if len(body) == 1 and body[0] in cut and pager(items, end):
        return True  # one teaser cut short, then the pager: a tag or category page with one entry on this page
    # Two posts or more printed whole, each as headline, its own meta line (date, byline, or 'Posted on by' with
    # its values lost) and text: a category page that shows full posts.
    posts = [j for j in range(1, len(items) - 1)
             if (items[j].kind == "date" or POST_META.match(items[j].text) or parse_byline(items[j].text))
             and items[j + 1].kind in ("prose", "sentence") and items[j - 1].kind in ("other", "repeat")
             and title_like(items[j - 1].text)
             and not parse_byline(items[j - 1].text) and items[j - 1].kind != "date"]
    # Posts of one template have meta lines of one kind; an article's own date and the byline of a box inside it (a
    # correspondent's analysis under its own heading) are two kinds.
    meta = {j: "date" if items[j].kind == "date" else "post" if POST_META.match(items[j].text) else "byline"
            for j in posts}
    for kind in set(meta.values()):
        same = [j for j in posts if meta[j] == kind]
        if len({items[j - 1].text for j in same}) >= 2 and any(start <= j < end for j in same):
            return True
    # Several stories under headlines of their own, then a pager ('Previous page / Next page'): a topic or live page
    # that prints its latest stories one after another.
    heads = [j for j in range(start + 1, end - 1) if items[j].kind == "other" and title_like(items[j].text)
             and len(words(items[j].text)) >= 4 and items[j + 1].kind == "prose" and not parse_byline(items[j].text)]
    if len(heads) >= 2 and pager(items, end):
        return True
    # Three stories or more each under a link and its heading (the same words twice), the last one over a pager: the
    # repeated lines cut the body found short, so they are looked for around it.
    linked = [j for j in range(max(1, start - 3), min(len(items) - 1, end + 12))
              if items[j].kind == "repeat" and items[j - 1].text == items[j].text and title_like(items[j].text)
              and len(words(items[j].text)) >= 4 and items[j + 1].kind == "prose"]
    if len(linked) >= 3 and pager(items, linked[-1] + 2):
        return True
    # A topic or tag page: its heading (one to three words, no person's name) with a Follow button under it, over one
    # paragraph, and no date or byline anywhere (an article's header has one; a teaser list may carry none).
    top = [j for j in range(start - 1, max(-1, start - 4), -1) if items[j].kind not in ("credit", "marker")]
    if (len(body) == 1 and len(top) >= 2 and FOLLOW.match(items[top[0]].text)
            and 1 <= len(words(items[top[1]].text)) <= 3 and not bare_name(items[top[1]].text)
            and not any(ln.kind == "date" or BYLINE_PREFIX.match(ln.text) for ln in items)):
        return True
    # A listing's own heading over the window ('Archive for the ... Category'), with two entries or more under it:
    # headlines over text, or text under a date.
    if any(ARCHIVE_HEADING.match(ln.text) and ln.kind not in ("prose", "sentence") for ln in items[max(0, start - 15):start]) \
            and len(set(heads) | set(posts)) + len(dated) >= 2:
        return True
    if any(BLOGGER_LISTING.match(ln.text) for ln in items[max(0, start - 15):start]):
        return True  # 'Showing posts with label DPRK. Show all posts': a label page even when it holds one post
    if any(TAG_HEADING.match(ln.text) for ln in items[max(0, start - 15):start]) and not any(
            ln.kind == "date" or BYLINE_PREFIX.match(ln.text) for ln in items) and (pager(items, end) or any(
            LOAD_MORE.match(ln.text) for ln in items[end:end + 4])):
        return True  # 'Tag: North Korea' over texts, a 'Load more' under them, no story's date or byline: a tag's page
    # Entries of a list of links, each printed as the link ('• <headline>') and again as its heading, with text and a
    # date of its own under both: two such entries are two stories (an article's headline is printed so once, a
    # caption has no glyph, and an accordion's questions have no date).
    entries = {norm(BULLET.sub("", items[j].text)) for j in range(max(0, start - 4), min(len(items) - 2, end + 4))
               if BULLET.match(items[j].text) and norm(BULLET.sub("", items[j].text)) == norm(items[j + 1].text)
               and len(words(items[j + 1].text)) >= 3
               and any(text_like(ln.text) or len(CJK.findall(ln.text)) >= 25 for ln in items[j + 2: j + 5])
               and any(ln.kind == "date" or find_date(ln.text) for ln in items[j + 2: j + 6])}
    if len(entries) >= 2:
        return True
    # A post's tags under each of three short texts or more ('Tags: China, North Korea'): three posts (an article has
    # one tag line under its whole text, or a few in a row).
    tagged = [j for j in range(2, len(items)) if TAXONOMY.match(items[j].text) and len(items[j].text) < 200
              and items[j - 1].kind in ("prose", "sentence") and items[j - 2].kind not in ("prose", "sentence")]
    if len(tagged) >= 3:
        return True
    # Two posts or more, each with its own taxonomy footer ('Posted in North Korea | Leave a comment'), over the
    # pager ('← Older posts'): a blog's page of whole posts (an article has one such footer).
    # (Only 'Posted in': a 'Keywords:' or 'Category:' line is an article's field too; and none past a 'Related' box,
    # whose excerpts carry their own.)
    stop = next((j for j in range(start, len(items)) if items[j].kind == "stop"), len(items))
    footers = [j for j in range(1, stop) if re.match(r"posted in\s", items[j].text, re.I) and len(items[j].text) < 200
               and items[j - 1].kind in ("prose", "sentence")]
    if len(footers) >= 2 and pager(items, footers[-1] + 1):
        return True
    if deep_pager(items, end) and len(body) <= 8:
        return True  # page 12 of a search, or ten pages of a column: a list of stories, not one story in parts
    if len(teasers) < 2 or not body or len(mine) < 0.5 * len(body):
        return False
    return len(body) >= 2 or body[0] in cut


def pager(items: list[Line], end: int) -> bool:
    """Page links just under the text ('« Previous', 'Next page', '1 2 3'). A ranked list's numbers are none: '1', a
    headline, '2' ('Most popular' / '1' / <headline> / '2' / <headline>)."""
    def entry(k: int, n: int) -> bool:  # line K is number N and the line after it a headline
        return (0 <= k < len(items) - 1 and items[k].text.strip() == str(n) and items[k + 1].kind in ("other", "repeat")
                and len(words(items[k + 1].text)) >= 3)

    for k in range(end, min(len(items), end + 4)):
        if PAGER.match(items[k].text):
            num = items[k].text.strip()
            n = int(num) if num.isdigit() else -1
            if not (entry(k, n) and (entry(k + 2, n + 1) or entry(k - 2, n - 1))):
                return True
    return False


def deep_pager(items: list[Line], end: int) -> bool:
    """Page links just under the text that skip pages ('« 1 … 10 11 12 13 14 … »') or show a board's ten ('1 2 3 4 5 6
    7 8 9 10 다음'): an archive's or a search's pages (an article in parts has fewer: '1 2 3 4 5 6 7 8 Next »')."""
    for ln in items[end:end + 4]:
        nums = [int(n) for n in re.findall(r"\d+", ln.text)]
        run = any(nums[k + 1] == nums[k] + 1 == nums[k + 2] - 1 for k in range(len(nums) - 2))  # (no phone number)
        skipped = max(nums, default=0) >= 8 and re.search(r"\d\s*(?:…|\.\.\.)\s*\d", ln.text)
        if PAGER.match(ln.text) and run and (skipped or nums[:10] == list(range(nums[0], nums[0] + 10))):
            return True
    return False


def roundup_start(items: list[Line], start: int, end: int) -> int:
    """Where a roundup's text starts: a post that lists items, each a headline-shaped line over its text, opens with
    an introduction. The window found starts at the first item's text (the item headlines weigh against it); when
    the window holds two item headlines or more and the line over it is shaped like them, with text over that, the
    introduction is the text's start and the first item's headline is no page headline."""
    subheads = [j for j in range(start + 1, end - 1) if items[j].kind == "other" and headline_shaped(items[j])
                and items[j + 1].kind == "prose"]
    if len(subheads) < 2 or start < 2 or items[start - 1].kind != "other" or not headline_shaped(items[start - 1]):
        return start
    top, k = start, start - 2
    while k >= 0 and (items[k].kind in ("prose", "sentence", "item") or items[k].kind == "other" and text_like(items[k].text)):
        top, k = k, k - 1
    if not any(items[j].kind == "prose" for j in range(top, start - 1)):
        return start
    for ln in items[top:start - 1]:
        if ln.kind == "other":
            ln.kind = "prose"  # (an introduction's sentence that lost its full stop in the copy)
    return top


def text_like(text: str) -> bool:
    """A long line of running text that lost its end mark: 12 words and more, a fifth of them function words."""
    ws = words(text)
    return len(ws) >= 12 and sum(1 for w in ws if w.casefold() in STOPWORDS) >= 0.2 * len(ws)


def edge_confidence(items: list[Line], start: int, end: int, n_paras: int) -> tuple[float, float]:
    """How sure the body's first and last lines are: sure when the line beyond is furniture, a header line or
    nothing; unsure when it reads as text that was left out (a long sentence) or the body is one paragraph."""

    def beyond(indices) -> float:
        for j in indices:
            ln = items[j]
            if ln.kind in ("ui", "credit", "marker"):
                continue
            if ln.kind == "prose":
                return 0.35
            if ln.kind == "sentence":
                return 0.6
            return 0.95
        return 0.95

    first, last = beyond(range(start - 1, -1, -1)), beyond(range(end, len(items)))
    if n_paras == 1:
        first, last = min(first, 0.6), min(last, 0.6)
    return first, last


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
        if m := SOURCE_LINE.match(ln.text):  # 'Source: AFP.' under a wire story
            found.setdefault("source", m["src"].strip().rstrip("."))
        if m := KO_WIRE_LINE.match(ln.text):  # '【서울=뉴시스】' under a wire story
            found.setdefault("source", m["src"].strip())
        if k <= 1 and (m := EDITORIAL_SIGN.match(ln.text)):  # '워싱턴 포스트 사설' signing a reprinted editorial
            found.setdefault("source", (m["src"] or m["en"]).strip())
        if (ln.kind == "date" and UPDATED.search(ln.text) and not SITE_WORD.search(ln.text)
                and (d := date_line(ln.text, day_first))):
            found.setdefault("date", d)  # 'dernière modification le 23/10/2018': used when no other date is stated
        if k <= 1 and (d := find_date(ln.text, day_first)) and len(ln.text) < 60:
            # '20 июля 2012 г., РИА Новости' closing the text: the agency's signature and its date
            rest = (ln.text[:d[1].start()] + " " + ln.text[d[1].end():]).strip(" ,.;|–—-")
            rest = re.sub(r"^(?:г|гг|y|年)\.?[\s,]*", "", rest).strip(" ,.;|–—-")
            # (a name shaped like a person's is an agency's only with an acronym in it: 'РИА Новости', not 'Jo Lee')
            # (no time, no date label: '입력 2024.03.05 10:12' names no agency)
            if rest and not re.search(r"\d", rest) and not DATE_LABEL.search(rest) and len(words(rest)) <= 4 and publication_like(rest) and (
                    not bare_name(rest) or any(t.isupper() and len(t) >= 2 for t in rest.split())):
                found.setdefault("date", d[0])
                found.setdefault("source", rest)
        if k == 0 and ln.kind == "date" and (d := find_date(ln.text, day_first)) and not DATE_FILLER.sub(
                "", ln.text[:d[1].start()] + ln.text[d[1].end():]).strip(" ,.;|–—-") and not re.search(r"\d:\d\d", ln.text):
            # A bare day right under the text ('28 October 2011'), the way a release is signed off: its date. (With a
            # clock time, '2024/01/24 09:12' is a time stamp of the page or a comment, not a release note.)
            found.setdefault("date", d[0])
        if k <= 1 and (m := KO_BRACKET_BYLINE.match(ln.text)) and m.end() == len(ln.text):
            found.setdefault("author", m["name"])  # '[ 신문 / 지역 = 홍길동 기자 ]' closing a report
        if k <= 1 and (by := email_byline(ln.text)):  # '이선아 [leesa@ytn.co.kr]' closing a report
            found.setdefault("author", by.author)
        if k == 0 and ln.kind != "date" and (by := parse_byline(ln.text, day_first)):
            found.update(author=by.author, author_role=by.role)
            if len(after) > 1 and after[1].kind == "date":
                found.setdefault("date", date_line(after[1].text, day_first))
    return found


def dateline_date(para: str, day_first: bool, strict: bool = False) -> str | None:
    """The date in a paragraph's dateline ('GENEVA (14 June 2022) - ...', 'VIENNA, April 10, 2012 (WAFA) – ...',
    'SEOUL, Oct 21, 2019, Yonhap. ...')."""
    if (d := find_date(para[:30], day_first)) and d[1].start() == 0 and re.match(r"\s*[–—-]\s", para[d[1].end():]):
        return d[0]  # '27.01.2016 – So far, ...'
    if m := DATELINE.match(para):
        return (d := find_date(m.group(0), day_first)) and d[0]
    if (m := BRACKET_DATELINE.match(para)) and (d := find_date(m["date"], day_first)):
        return d[0]

    def after(place: re.Match | None):  # the date that starts right where the place ends
        d = find_date(para[:place.end() + 30], day_first) if place else None
        return d if d and d[1].start() == place.end() else None

    if d := after(PLACE_DATE.match(para)):
        return d[0]
    # ('United States, Feb. 4, 2023: ...', 'Washington D.C, March 23, 2023 (PPI-OT): ...': a place in any case, the date,
    # maybe the agency, then a colon or a dash; STRICT wants the agency: 'Washington, January 6, 2021: that was the day
    # ...' opens a retrospective the same way)
    if (d := after(PLACE_DATE_ANY.match(para))) and re.match(
            r"\s*\([^()]{1,30}\)\s*[:–—-]" if strict else r"\s*(?:\([^()]{1,30}\))?\s*[:–—-]", para[d[1].end():]):
        return d[0]
    return None


def plain_layout(blocks: list[list[str]], day_first: bool) -> Page | None:
    """A plain article: a first block of a headline and a few byline, source and date lines, then one paragraph a
    block, every one of them text (what Article.to_text writes, or an article typed in an editor). Read as laid
    out; None when the text is not shaped so."""
    head, body = blocks[0] if blocks else [], [b[0] for b in blocks[1:]]
    if not body or len(head) > 4 or any(len(b) != 1 for b in blocks[1:]):
        return None
    lines = classify(head + body, day_first)
    # (Article.to_text writes a paragraph that is none of these as a list item, '• ...', however short)
    if any(ln.kind not in ("prose", "sentence", "item") and not ln.text.startswith("• ") for ln in lines[len(head):]):
        return None
    metas = [line_meta(lines, i, day_first) for i in range(len(head))]
    # The text's first words standing in for a missing headline (Article.clean's fallback), whatever they say.
    derived = bool(head) and 12 <= len(head[0]) <= 60 < len(body[0]) and body[0].casefold().startswith(head[0].casefold())
    if derived:
        metas[0] = None
    title = headline_text(head[0]) if head and metas[0] is None else None
    # (A headline with its section or site after a separator, as an HTML <title> gives it, is one: a menu's first
    # label is no headline's length.)
    bar = re.split(r"\s+[|>»›]\s+", title or "")
    titled = (len(bar) > 1 and size(bar[0]) >= 4 and size(title) <= 30 and not full_stop(title) and not dateline_like(title)
              and all(len(part.split()) <= 3 and not is_ui(part) for part in bar[1:]))  # ('... | Donate | Subscribe')
    if title and not (derived or headline_shaped(lines[0]) or titled):
        return None  # a first line that is text or furniture, not a headline: a page to read the usual way
    if any(m is None for m in metas[1 if title else 0:]):
        return None
    fields: dict = {"title": title}
    for m in metas:
        if m is not None:
            for k, v in (("author", m.author), ("author_role", m.role), ("source", m.source), ("date", m.date)):
                if v and not fields.get(k):
                    fields[k] = v
    paras = []
    for p in body:
        if p.startswith("• "):  # a list item as Article.to_text writes one ('• 이승현 기자'): text, whatever it says
            paras.append(tidy(p))
        elif note(p):  # 'This op-ed first appeared in ...', 'Released on ...': the source or date, not text
            if m := REPRINT.search(p):
                fields["source"] = fields.get("source") or reprint_source(m)
            if (d := find_date(p, day_first)) and not fields.get("date"):
                fields["date"] = d[0]
        else:
            text, who = signoff(tidy(p))  # ('...없다고 밝혔습니다. 이조은 기자가 보도합니다.', '...。(记者王晓明)')
            if who and not fields.get("author"):
                fields["author"], fields["author_role"] = who
            if text:
                paras.append(text)
    if not paras:
        return None
    paras[0], wire = lead_dateline(paras[0])
    for k, v in wire.items():
        fields[k] = fields.get(k) or v
    fields["date"] = fields.get("date") or dateline_date(paras[0], day_first)
    if len(paras) > 1 and author_bio(paras[-1], fields.get("author")):
        paras.pop()
    sure = {k: 0.9 for k in ("title", "author", "source", "date", "body_start", "body_end")}
    if not title:
        sure["title"] = 0.4
    return Page(tuple(paras), **fields, confidence=sure)


def read_page(text: str, *, day_first: bool = False, hints: tuple[str, ...] = ()) -> Page:
    """Header fields and body paragraphs of flattened page text (already decoded and repaired). DAY_FIRST: how the
    page's language reads an ambiguous slash date (`language.day_first`). HINTS: headlines the page's markup states
    (`<title>`, `og:title`, JSON-LD, `<h1>`), one feature among others for the headline."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        # Footnote calls, an agency's end mark and a 'Read more at ...' pointer must not hide a sentence's end.
        ln = FOOTNOTE.sub("", " ".join(raw.split()))
        ln = end_marks(ln).strip() or ln
        if ln:
            blocks[-1].extend(unglue(ln))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if (page := plain_layout(blocks, day_first)) is not None:
        return page
    items = classify(unwrap(soft_join(rejoin(blocks), day_first), day_first), day_first)
    # Readers' comments follow the article: a comment heading cuts the page, once some prose came before it.
    first_prose = next((i for i, ln in enumerate(items) if ln.kind == "prose"), len(items))
    cut = next((i for i, ln in enumerate(items) if ln.kind == "comments" and i > first_prose), len(items))
    box = inline_boxes(items[:cut])
    span = body_window(items[:cut], box)
    if span is None:
        return Page(())
    start, end = span
    # A reprint or release note opening the window is header, not the body's first line; so is a letter's salutation
    # ('Dear Editor,': the letter's text follows it).
    while start < end - 1 and (note(items[start].text) or EDITOR_SALUTATION.fullmatch(items[start].text.strip())):
        start += 1
    # A sentence-shaped headline ('Whither North Korea?') with header lines (source, byline, date) under it: the
    # window reached up over them; the body starts after them.
    text_kinds = ("prose", "sentence", "marker")
    if start + 1 < end and items[start + 1].kind not in text_kinds and sentence_headline(items[start]):
        nxt = next((i for i in range(start + 1, end) if items[i].kind in ("prose", "sentence")), end)
        start = nxt if nxt < end else start
    # A byline among the window's first lines ('Par Pascal Fleury' under a photo caption): the header ends there.
    by = next((i for i in range(start + 1, min(start + 4, end - 1)) if items[i].kind == "other"
               and BYLINE_PREFIX.match(items[i].text) and parse_byline(items[i].text, day_first)), None)
    if by is not None and any(ln.kind == "prose" for ln in items[by + 1:end]):
        start = by + 1
    # So does a date line there under a photo's caption and its credit ('August 12, 2017 - 6:00 AM').
    dated = next((i for i in range(start + 1, min(start + 4, end - 1)) if items[i].kind == "date"
                  and any(items[j].kind == "credit" for j in range(start, i))), None)
    if dated is not None and sum(ln.kind == "prose" for ln in items[dated + 1:end]) >= 2:
        start = dated + 1
    # A wire story starts at its dateline ('SEOUL (THE KOREA HERALD/ASIA NEWS NETWORK) - ...'): text lines over it in
    # the window are a standfirst or a caption.
    lead = [i for i in range(start, min(end, start + 8)) if items[i].kind in ("prose", "sentence")][:3]
    wire = next((i for i in lead[1:] if DATELINE.match(items[i].text) or KO_WIRE.match(items[i].text)), None)
    if wire is not None and not any(DATELINE.match(items[i].text) for i in lead if i < wire):
        start = wire
    start = roundup_start(items, start, end)
    if listing(items, start, end):
        return Page((), listing=True)
    # A reprint note inside the body window ("This article first appeared in ...") is metadata, not text.
    paras: list[str] = []
    found: dict = {}
    window = items[start:end]
    for k, ln in enumerate(window):
        if ln.kind not in ("prose", "sentence", "item") or start + k in box:
            continue
        # A line printed twice in a row is a photo's alt text and caption; a paragraph seen before is the page
        # repeating its text (a player transcript, a print view): read once.
        twin = any(0 <= j < len(window) and (window[j].text == ln.text or len(ln.text) >= 40 and (
            window[j].text.startswith(ln.text) or ln.text.startswith(window[j].text))) for j in (k - 1, k + 1))
        if twin and end - start > 3 or tidy(ln.text) in paras:
            continue
        if note(ln.text):
            if m := REPRINT.search(ln.text):
                found.setdefault("source", reprint_source(m))
            if d := find_date(ln.text, day_first):
                found.setdefault("date", d[0])
            continue
        text, who = signoff(tidy(ln.text))
        if who:
            found.setdefault("author", who[0])
            found.setdefault("author_role", who[1])
        if text:
            paras.append(text)
    paras = [p for k, p in enumerate(paras) if not pull_quote(k, paras)]
    for k, p in enumerate(paras):  # ('... 결과다. /연합뉴스' closing the text or a paragraph: its source)
        if mark := KO_REPRINT_MARK.search(p):
            found.setdefault("source", mark["src"])
            paras[k] = p[:mark.start()]
    if paras and (by := KO_TRAILING_BYLINE.search(paras[-1])) and by.start() > 0:  # ('... 분석했다. 조동석 기자/dscho@')
        found.setdefault("author", by["name"])
        found.setdefault("author_role", by["role"])
        paras[-1] = paras[-1][:by.start()]
    head = read_header(items, start, end, paras, day_first=day_first, hints=hints)
    fields = {k: getattr(head, k) for k in ("title", "author", "author_role", "source", "date")}
    confidence = dict(head.confidence)
    for k, v in second_copy_header(items, start, end, day_first).items():
        if not fields.get(k):  # the page prints its text twice, the byline and date only over the second copy
            fields[k], confidence[k] = v, 0.8
    for k in (0, -1):  # a credit line over or under the text names its reporter, and is no text
        if len(paras) > 1 and (name := reporter_credit(paras[k])):
            paras.pop(k)
            if not fields.get("author") or confidence.get("author", 0) < 0.9:
                fields["author"], fields["author_role"], confidence["author"] = name, None, 0.9
    if len(paras) > 2 and len(paras[0]) < 300 and lead_dateline(paras[1])[1] and not lead_dateline(paras[0])[1]:
        paras.pop(0)  # the wire's dateline or the reporter's bracket opens the text: the line over it is a standfirst
    if paras:
        paras[0], wire = lead_dateline(paras[0])
        for k, v in wire.items():
            # (a reporter the dateline names beats a bare word the header took for a name: '상태바')
            if not fields.get(k) or k in ("author", "author_role") and confidence.get("author", 1) < 0.7:
                fields[k] = v
                confidence[k] = 0.9
    if paras and (not fields.get("author") or confidence.get("author", 1) < 0.7) \
            and (zh := ZH_LEAD_REPORTER.match(paras[0])):
        names = list(itertools.takewhile(lambda n: n not in ZH_OTHER_ROLES, re.split(r"[、，,\s]+", zh["names"])))
        fields["author"], fields["author_role"] = ", ".join(names), "记者"
        confidence["author"] = 0.9
    # A headline cut short ('... discuss the reunification...') over its whole wording opening the window, with no
    # full stop: that line is the headline, not text.
    cut = CUT_HEADLINE.match(fields["title"] or "")
    if cut and len(paras) > 1 and paras[0].startswith(cut[1]) and len(paras[0]) > len(cut[1]) + 5 \
            and items[start - 1].text.strip() != fields["title"] \
            and not TERMINAL.search(paras[0]) and size(paras[0]) <= 45:
        fields["title"] = paras.pop(0)
    lead = [p for p in paras[:2] if p != fields["title"]][:1]  # (the headline may open the window: 'Whither ...?')
    # The text's own dateline beats a header date that neither a label nor a byline vouches for (a "today" banner
    # over the headline): they differ only when the header's is not the article's.
    if lead and (d := dateline_date(lead[0], day_first, strict=bool(fields["date"]))) and (
            not fields["date"] or confidence.get("date", 0) < 0.9):
        fields["date"] = d
        confidence["date"] = 0.75
    for k, v in {**after_body(items, end, day_first), **found}.items():
        if not fields.get(k):
            fields[k] = v
            confidence[k] = 0.6
    if not fields["author"] and (board := [m["a"] for ln in items if (m := KO_BOARD_AUTHOR.match(ln.text))]):
        fields["author"] = board[0]
        confidence["author"] = 0.6
    if fields["title"] in paras:
        # The headline printed again as the text's first line is not text to read twice (and Article.to_text, which
        # leaves out a headline equal to the first paragraph, must read back the same).
        rest = [p for p in paras if p != fields["title"]] if paras[0] == fields["title"] else paras
        if paras[0] != fields["title"]:
            paras.remove(fields["title"])
        elif rest:
            paras = rest
        else:
            fields["title"] = None
    if len(paras) > 2 and not fields["author"] and (staff := STAFF_NOTE.match(paras[-1])) and name_like(staff["name"]):
        fields["author"], confidence["author"] = staff["name"], 0.75  # 'Bear Steadman, a student at ..., is working as
        paras.pop()  # a fall intern for the Craig Daily Press.': the closing note on who wrote it
    elif len(paras) > 1 and author_bio(paras[-1], fields["author"]):
        paras.pop()
    confidence["body_start"], confidence["body_end"] = edge_confidence(items, start, end, len(paras))
    for k in ("source", "date"):
        confidence.setdefault(k, 0.6)  # none found: most pages without one state none
    return Page(tuple(paras), **fields, confidence={k: round(v, 2) for k, v in confidence.items()})
