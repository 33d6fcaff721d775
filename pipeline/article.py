"""Clean stage: scraped page (flattened text or HTML, as str or bytes) -> Article.

`clean` is pure; `clean_source` reads a path, stdin or a URL and calls it. Rules and their reasons: docs/clean.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from pipeline.errors import PipelineError
from pipeline.language import day_first, detect_language

MAX_BYTES = 50 * 1024 * 1024
URL_TIMEOUT = 15  # seconds
# A field is worth a producer's check under these confidences. The headline's is calibrated (a chosen headline at 0.6 is
# right about 6 times in 10 on sites left out of the fit) and it names the file, the feed item and the programme's
# first words, so it is checked sooner; the others are fixed by how they were read (docs/clean.md).
WARN_BELOW = {"title": 0.6}
WARN_DEFAULT = 0.5

SAVE_FIX = "save the page from a browser (File > Save Page As) and pass the saved file instead"


@dataclass(frozen=True)
class Confidence:
    """How sure the clean stage is of each field (0..1): the headline, byline, publication, date, and the body's first
    and last paragraph (whether text was left out or furniture let in at either edge)."""

    title: float = 1.0
    author: float = 1.0
    source: float = 1.0
    date: float = 1.0
    body_start: float = 1.0
    body_end: float = 1.0

    def uncertain(self) -> tuple[str, ...]:
        """The fields whose confidence is under their warning level (`WARN_BELOW`)."""
        return tuple(k for k, v in asdict(self).items() if v < WARN_BELOW.get(k, WARN_DEFAULT))


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    date: str | None = None  # ISO 8601
    language: str = "en"
    # How the fields were read, not what they are: two cleanings of the same article are equal whatever it says.
    confidence: Confidence = field(default_factory=Confidence, compare=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["paragraphs"] = list(self.paragraphs)
        return d

    def to_text(self) -> str:
        # The byline as one line ("By Name, Role") so that clean() reads this text back to the same Article.
        byline = f"By {self.author}" + (f", {self.author_role}" if self.author_role else "") if self.author else None
        from pipeline.pagewords import KO_BYLINE

        if self.author_role and KO_BYLINE.match(korean := f"{self.author} {self.author_role}"):
            byline = korean  # ('김민서, 김진명 기자': 'By' and a comma before the title would part the two names)
        # A title that is the whole first paragraph, as clean() derives it when the page has none: printing it twice
        # would read back as a repeated line, which the cleaner drops as page furniture. (A stated headline equal to
        # the paragraph, ending in '?' say, is printed: left out, it would read back without its end mark.)
        derived = bool(self.paragraphs) and self.title == self.paragraphs[0] == first_words(self.paragraphs[0])
        title = None if derived else self.title
        source = f"Source: {self.source}" if self.source else None  # labelled: a bare name could read as a title
        head = [x for x in (title, byline, source, self.date) if x]
        return "\n".join(head) + "\n\n" + "\n\n".join(map(list_item, self.paragraphs)) + "\n"


def first_words(paragraph: str) -> str:
    """The title of a page without one: its text's first words, without their end punctuation."""
    # (up to 60 characters, whole words: a word that ends at the 60th character is whole)
    return re.sub(r"[\s.!?…;:,]+$", "", paragraph if len(paragraph) <= 60 else paragraph[:61].rsplit(" ", 1)[0]) \
        or paragraph[:60]


def list_item(paragraph: str) -> str:
    """A paragraph that is not a sentence (a list item such as 'Torture and Inhumane Treatment – ...;') written as
    one ('• ...'): read back, it is text of the article again, not a heading to drop."""
    from pipeline.pagelines import classify

    return paragraph if classify([paragraph])[0].kind in ("prose", "sentence", "item") else f"• {paragraph}"


# --- bytes -> text ----------------------------------------------------------------------------------------------

BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"ID3": "an MP3 file",
    b"RIFF": "a RIFF (WAV/AVI/WebP) file",
}
# Labels declared by pages -> the codec that really decodes them (browsers do the same: WHATWG encoding spec).
SUPERSETS = {"euc-kr": "cp949", "ks_c_5601-1987": "cp949", "iso-8859-1": "cp1252", "latin1": "cp1252",
             "ascii": "cp1252", "us-ascii": "cp1252", "shift_jis": "cp932", "sjis": "cp932", "gb2312": "gb18030",
             "gbk": "gb18030"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w:.-]+)""", re.I)


def decode(data: bytes) -> str:
    """Text of DATA: BOM first, then strict UTF-8, then the page's declared charset, then charset-normalizer."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise PipelineError(f"the input is {what}, not a web page or text", "convert it to text or HTML first")
    if b"\x00" in data[:65536]:
        raise PipelineError("the input is a binary file, not a web page or text", "pass a .txt or .html file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = META_CHARSET.search(data[:8192])
    if m:
        label = m.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(SUPERSETS.get(label, label))
        except (LookupError, UnicodeDecodeError):
            pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:2_000_000]).best()
    if best is None:
        raise PipelineError("the input is a binary file or an unknown encoding", "pass a .txt or .html file")
    return data.decode(best.encoding, errors="replace")


def check_text(text: str) -> None:
    """Refuse what is not a page: empty, whitespace only, or mostly control characters."""
    if not text.strip():
        raise PipelineError("the input is empty", "pass a file that holds the article's text or HTML")
    sample = text[:100_000]
    # C0 controls and U+FFFD only: C1 controls (U+0080-U+009F) are ordinary in mojibake that ftfy repairs.
    bad = sum(1 for c in sample if c < " " and c not in "\t\n\r\f" or c in "\x7f\ufffd")
    if bad > max(3, len(sample) // 100):
        raise PipelineError("the input looks binary (many control characters)", "pass a .txt or .html file")


SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Unicode noncharacters (U+FDD0-FDEF, U+xFFFE/xFFFF of every plane): no engine speaks them, XML (feeds) forbids
# U+FFFE/FFFF, and a review PO carrying one is refused when read back. ftfy keeps them.
NONCHARACTERS = re.compile("[\ufdd0-\ufdef" + "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(17))
                           + "]")


# Text made only of these, with no '&' starting an entity, has no mojibake, entity, control character or odd width
# for ftfy to fix, only quotes to straighten (tests/test_clean_properties.py checks that ftfy agrees): importing
# ftfy costs 50-80 ms, a quarter of a plain-text page's cleaning in a one-sentence edit.
PLAIN = frozenset(map(chr, range(0x20, 0x7F))) | frozenset("\n\t\u00a0\u2013\u2014\u2026\u2018\u2019\u201c\u201d")
ENTITY_START = re.compile(r"&[#0-9A-Za-z]")
UNCURL = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def plain(text: str) -> bool:
    return PLAIN.issuperset(text) and not ENTITY_START.search(text)


def fix_text(text: str, html: bool = False) -> str:
    import ftfy

    return ftfy.fix_text(text, unescape_html=False if html else "auto", uncurl_quotes=True, fix_character_width=True,
                         normalization="NFC")


def repair(text: str, *, html: bool = False) -> str:
    """Mojibake fixed (ftfy), quotes straightened, odd spaces made plain, line ends made '\\n'.

    Quote rule: every quote with an ASCII twin becomes it (curly, low-9 and prime quotes -> ' and "), so a sentence
    reads and hashes the same whatever the site's typography; dashes (— –), ellipses and guillemets/CJK brackets
    are kept: they carry meaning (and pauses) for speech.
    """
    def once(text: str) -> str:
        text = text.translate(UNCURL) if plain(text) else fix_text(text, html)
        text = NONCHARACTERS.sub("", INVISIBLE.sub("", SPACES.sub(" ", text)))
        return text.translate(str.maketrans({"\u2032": "'", "\u2033": '"', "\u201b": "'", "\u201f": '"'}))

    # Until nothing changes: one fix can uncover another (' Â\x80' -> ' Â€', read again -> ' €'), and text written
    # by to_text() is repaired again when read back, so repair must give the same text twice.
    for _ in range(4):
        fixed = once(text)
        if fixed == text:
            break
        text = fixed
    return text


# --- HTML ---------------------------------------------------------------------------------------------------------

HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
HTML_TAGS = re.compile(r"<(?:p|div|br|a|span|h[1-6]|article|section|li|title|meta|script)\b[^>]*>", re.I)
# Two breaks in a row, or one after a sentence's end: the copy's line breaks ('<br> every day' quotes the tag).
LITERAL_BREAK = re.compile(r"(?:<br\s*/?>\s*){2,}|(?<=[.!?。…\"”’)])\s*<br\s*/?>", re.I)
DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>|<!ENTITY[^>]*>", re.I | re.S)


def looks_like_html(text: str) -> bool:
    return bool(HTML_START.match(text)) or len(HTML_TAGS.findall(text[:65536])) >= 5


def parse_html(text: str):
    """An lxml tree that cannot reach the network or the disk: no DTD, no entity expansion, no XInclude."""
    from lxml import html as lxml_html

    text = DOCTYPE_SUBSET.sub("", text)  # entity declarations (XXE, "billion laughs") never reach a parser
    # Bytes with the encoding named: lxml refuses a str that carries an XML declaration naming an encoding (XHTML),
    # and the text is already decoded, so a declaration or <meta charset> must not decide again.
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                                  default_doctype=False, encoding="utf-8")
    try:
        return lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except Exception as exc:  # lxml raises ParserError/ValueError on documents it cannot read at all
        raise PipelineError(f"the HTML could not be parsed ({exc})", "pass the page as saved by a browser") from None


BLOCK_TAGS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol tr td th br hr header footer section article aside nav main "
                       "table figure figcaption blockquote dd dt dl pre form address time".split())


def flatten(tree) -> str:
    """The page body as flattened text, one line per block element (what a browser's copy-paste gives)."""
    import copy

    body = copy.deepcopy(tree.body if tree.find("body") is not None else tree)
    for el in [e for e in body.iter() if e.tag in ("script", "style", "noscript", "template", "svg", "iframe")]:
        el.drop_tree()
    for el in body.iter():
        if el.tag in BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return body.text_content()


def from_html(text: str, url: str | None) -> dict:
    import trafilatura
    from trafilatura.settings import set_date_params

    from pipeline import pagetext

    tree = parse_html(text)
    # Our flattened-text header reader fills what the page's markup does not say (a byline in a plain <div>); the
    # headlines the markup states are one of its features for choosing the headline line.
    hints = headline_hints(tree)
    flat = flatten(tree)
    dayfirst = day_first(detect_language(flat))
    page = pagetext.read_page(flat, day_first=dayfirst, hints=hints)
    if page.listing:
        # The flattened page holds every teaser of its sidebars and footers; a page whose markup says it is one
        # article (og:type, JSON-LD) is read as one (9 of 101 real articles were refused without this).
        if not declares_article(tree):
            return {"paragraphs": (), "listing": True}
        page = pagetext.Page(())
    # Dates only from the page's markup (meta tags, <time>, JSON-LD, URL): htmldate's extensive search would guess
    # from any date in the text, footers included.
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, include_images=False, include_links=True,
                                      deduplicate=False, date_extraction_params=set_date_params(extensive=False))
    body = getattr(doc, "body", None)
    doc = doc.as_dict() if doc is not None else {}
    blocks = markup_blocks(body) if body is not None else \
        [Block("p", ln) for ln in (doc.get("text") or "").split("\n") if ln.strip()]
    paras = []
    for block, ln in zip(blocks, pagetext.classify([b.text for b in blocks])):
        if block.role == "row":  # a table's row, whatever its cells look like alone (a short list reads as a menu)
            if ln.kind not in ("ui", "legal", "prompt", "credit"):
                paras.append(ln.text)
            continue
        if ln.kind in ("ui", "legal", "prompt", "credit", "menu", "breadcrumb", "source", "meta"):
            continue
        if block.role in ("item", "line"):
            # A list's entries are the article's text however short ('June 17 -- Bridgestone Arena, Nashville',
            # 'Jane Doe, Ambassador'); a date or a 'By ...' line on its own is header.
            if ln.kind != "date" and not (pagetext.BYLINE_PREFIX.match(ln.text) and pagetext.parse_byline(ln.text)):
                paras.append(ln.text)
        elif pagetext.is_prose(ln.text) or pagetext.is_sentence(ln.text) or len(pagetext.words(ln.text)) >= 8:
            paras.append(ln.text)  # a paragraph or subheading that reads as text; short headings are not read out
    author, role = markup_author(doc.get("author") or "", url)
    # trafilatura drops the byline's punctuation and may cut it ('U S Department' for 'By U.S. Department of State'):
    # the line the page shows wins when it holds the same words.
    if author and page.author and page.author != author and letters(page.author).startswith(letters(author)):
        author, role = page.author, page.author_role
    title = doc.get("title")
    date = doc.get("date")
    if date:
        date = (pagetext.find_date(date, dayfirst) or (None,))[0]
    if not paras and page.paragraphs:
        # trafilatura found no main text (tiny or unusual pages): the text rules read the flattened page instead.
        return {**{k: getattr(page, k) for k in FIELDS}, "confidence": page.confidence}
    confidence = dict(page.confidence)
    if printed := printed_headline(tree):
        # The page's <h1> that its <title> names ('Headline - Site'): the headline as printed, without the site's
        # name that trafilatura's title keeps, and not an SEO variant in og:title.
        confidence["title"] = 0.95
        title = printed
    elif page.title and (not title or page.confidence.get("title", 0) >= 0.5):
        # The headline line the page shows; the markup's title often carries the site's name or an SEO variant.
        agree = title and " ".join(title.split()).casefold() == " ".join(page.title.split()).casefold()
        confidence["title"] = max(confidence.get("title", 0), 0.9 if agree else 0)
        title = page.title
    elif title:
        confidence["title"] = 0.8 if title in hints else 0.6
        title = without_site(title, tree, url)
    # The source is only what the page's text labels as one ('Source: AFP', a reprint note, a Korean wire dateline),
    # read by the text rules below; the site's own name (og:site_name, the <title>'s suffix, a masthead) is not.
    fields = {"title": title, "author": author, "author_role": role, "source": None, "date": date,
              "paragraphs": tuple(paras), "confidence": confidence}
    for k in ("author", "date", "source"):  # stated by the page's markup
        if fields[k]:
            confidence[k] = 0.9
    same = not title or (page.title and " ".join(page.title.split()).casefold() == " ".join(title.split()).casefold())
    if same:  # the text header belongs to the article trafilatura found: use it for what is missing
        if not author and page.author:
            fields.update(author=page.author, author_role=page.author_role)
        for k in ("title", "date", "source"):
            fields[k] = fields[k] or getattr(page, k)
    paras = [pagetext.tidy(p) for p in fields["paragraphs"]]
    if paras and fields["title"] and letters(paras[0]) == letters(fields["title"]):
        paras = paras[1:]  # the headline as the main text's first block
    if paras:
        paras[0], wire = pagetext.lead_dateline(paras[0])
        for k, v in wire.items():
            fields[k] = fields[k] or v
    if len(paras) > 1 and pagetext.author_bio(paras[-1], fields["author"]):
        paras.pop()
    fields["paragraphs"] = tuple(paras)
    return fields


@dataclass(frozen=True)
class Block:
    role: str  # p, line (one line of a <p> split by <br>), item, row, head
    text: str


BREAK = "\u2028"  # an <lb/>: the text's own newlines are only whitespace in HTML
LINKED = 0.8  # share of a block's characters inside links from which it is navigation (related stories, menus)
BLOCKS = frozenset(("p", "head", "list", "item", "table", "row", "cell", "quote", "code", "div", "section"))
INLINE = frozenset(("hi", "ref", "lb", "graphic", "del"))


def inline_text(el) -> tuple[str, float]:
    """EL's text with <lb/> as BREAK and a space between block children (a cell's paragraphs), and the share of its
    characters inside links (outermost <ref> only: a <hi> in a <ref> is not counted twice)."""
    parts: list[str] = [el.text or ""]
    linked = 0

    def walk(node, in_ref: bool) -> None:
        nonlocal linked
        for child in node:
            if child.tag == "lb":
                parts.append(BREAK)
            else:
                if child.tag not in INLINE:
                    parts.append(" ")
                start = len(parts)
                parts.append(child.text or "")
                walk(child, in_ref or child.tag == "ref")
                if child.tag == "ref" and not in_ref:
                    linked += sum(len("".join(x.split())) for x in parts[start:])
                if child.tag not in INLINE:
                    parts.append(" ")
            parts.append(child.tail or "")

    walk(el, False)
    joined = "".join(parts)
    size = len("".join(joined.split()))
    return joined, (linked / size if size else 0.0)


def bare_date(line: str) -> bool:
    from pipeline import pagetext

    return len(line.split()) <= 6 and pagetext.find_date(line) is not None


def markup_blocks(body) -> list[Block]:
    """trafilatura's main text (its XML: p, head, list/item, table/row/cell, quote, lb, ref; <div>s its fallback
    extractors keep) as blocks, in order. Blocks that are mostly link text are left out: a teaser or menu that
    trafilatura kept in the main text."""
    out: list[Block] = []

    def add(role: str, el) -> None:
        value, linked = inline_text(el)
        lines = [" ".join(ln.split()) for ln in value.split(BREAK)]
        lines = [ln for ln in lines if ln]
        if linked >= LINKED or not lines:
            return
        # A paragraph split by <br> into three lines and more is a list (tour dates, results, a poem), unless one line
        # is a bare date (a header block); two lines ('For more information, please contact:<br>UNICEF Media') are
        # read line by line as text would be.
        listed = role == "p" and len(lines) >= 3 and not any(bare_date(ln) for ln in lines)
        for ln in lines:
            out.append(Block("line" if listed else role, ln))

    def tail(el, role: str = "p") -> None:
        if (el.tail or "").strip():
            out.append(Block(role, " ".join(el.tail.split())))

    def container(el) -> None:
        if not any(child.tag in BLOCKS for child in el):
            add("p", el)  # only inline children: one paragraph
            return
        if (el.text or "").strip():
            out.append(Block("p", " ".join(el.text.split())))
        for child in el:
            visit(child)
            tail(child)

    def visit(el) -> None:
        tag = el.tag
        if tag == "list":
            for item in el:
                if item.tag == "item":
                    nested = [c for c in item if c.tag in ("list", "table")]
                    add("item", item) if not nested else container_item(item)
        elif tag == "table":
            for row in el.iter("row"):
                cells = [c for c in row if c.tag == "cell"]
                if any(g.tag in BLOCKS for c in cells for g in c):
                    for c in cells:  # a layout table: its cells hold paragraphs, not values
                        container(c)
                    continue
                values = [inline_text(c) for c in cells]
                text = ", ".join(v for v in (" ".join(t.replace(BREAK, " ").split()) for t, _ in values) if v)
                if text and not all(share >= LINKED for t, share in values if t.strip()):
                    out.append(Block("row", text))
        elif tag in ("p", "head", "code"):
            if any(child.tag in ("list", "table") for child in el):
                container(el)
            else:
                add("head" if tag == "head" else "p", el)
        elif tag not in INLINE:
            container(el)  # a quote, or a container trafilatura kept as it found it

    def container_item(item) -> None:
        """A list item holding a nested list: its own words, the nested entries, then the words after them."""
        if (item.text or "").strip():
            out.append(Block("item", " ".join(item.text.split())))
        for child in item:
            if child.tag in INLINE:
                continue
            visit(child)
            tail(child, "item")

    for el in body:
        visit(el)
    return out


def meta_contents(tree, *keys: str) -> list[str]:
    """The content of the page's <meta> tags whose property or name is one of KEYS ('og:type', 'og:site_name')."""
    return [m.get("content") or "" for m in tree.iter("meta") if (m.get("property") or m.get("name") or "").lower() in keys]


def host_label(url: str | None) -> str:
    """The first label of the address's host, without 'www.': 'cleveland' for https://www.cleveland.com/x."""
    from urllib.parse import urlparse

    return urlparse(url or "").netloc.lower().removeprefix("www.").split(".")[0]


def jsonld_nodes(tree):
    """The dict nodes of the page's JSON-LD (through @graph, mainEntity, mainEntityOfPage); a script that does not
    parse, or nests too deep to parse, is skipped."""
    import json

    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            stack = [json.loads(script.text or "")]
        except (ValueError, RecursionError):
            continue
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack += node
            elif isinstance(node, dict):
                yield node
                stack += [v for k, v in node.items() if k in ("@graph", "mainEntity", "mainEntityOfPage")]


def declares_article(tree) -> bool:
    """The page's markup says it holds one article: og:type article, or a JSON-LD node of an article type."""
    from pipeline.pagewords import ARTICLE_TYPE

    if any(c.strip().lower() == "article" for c in meta_contents(tree, "og:type")):
        return True
    for node in jsonld_nodes(tree):
        kinds = node.get("@type")
        if any(isinstance(k, str) and ARTICLE_TYPE.search(k) for k in (kinds if isinstance(kinds, list) else [kinds])):
            return True
    return False


AUTHOR_PARTS = 20  # names read from one field at most (a page may repeat its author meta many times)


def author_part(part: str) -> str:
    from pipeline.pagewords import AUTHOR_DATE, AUTHOR_DAY

    part = AUTHOR_DATE.sub("", " " + " ".join(part.split())).strip(" ,|")  # (a part that is only a date goes too)
    if m := AUTHOR_DAY.match(part):
        part = m[1] or ""
    # '표현모 기자 Hmpyo Com': trafilatura leaves a Korean byline's e-mail address as Latin words after it
    part = re.sub(r"^([\uac00-\ud7a3][\uac00-\ud7a3\s,·]*[\uac00-\ud7a3])\s+[A-Za-z][A-Za-z\s.]*$", r"\1", part)
    return re.sub(r"^[A-Z][a-z]+ by\s+", "", part)  # 'Analysis by Chris Cillizza'


def markup_author(raw: str, url: str | None) -> tuple[str | None, str | None]:
    """(author, role) from trafilatura's author field, which joins the markup's names with ';' and keeps what stood
    near them: 'Troy Smith; Troy L Smith; Cleveland com', 'Mike Wuerthele; Malcolm Owen Monday; November',
    'STEVE PEOPLES; AP National Political Writer', 'Tom Gillespie News reporter'. Names are joined with 'and'."""
    from pipeline import pagelines

    site = host_label(url)
    names: list[str] = []
    role = None
    for part in re.split(r";|\s+and\s+(?=[A-Z])", raw)[:AUTHOR_PARTS]:
        part = author_part(part)
        squeezed = letters(part).replace(" ", "")
        if not part or site and re.fullmatch(rf"{re.escape(site)}(?:com|net|org|co|uk|kr)?", squeezed) \
                and not person(part):
            continue  # 'Cleveland com': the site's name and its domain ('Paul Graham' on paulgraham.com is a person)
        if names and pagelines.role_words(part):
            role = role or part  # 'AP National Political Writer' after the names
            continue
        acronyms = part.isupper() and any(not re.search(r"[AEIOUY]", w) for w in part.split())
        by = None if acronyms else pagelines.parse_byline(part) or pagelines.parse_byline(f"By {part}")
        name, found_role = (by.author, by.role) if by else (part, None)  # ('이지은 기자', 'Name, Role'; 'CBS NEWS' as is)
        caps = re.match(r"^((?:[A-Z][A-Z'.-]+\s+){1,3}[A-Z][A-Z'.-]+)\s+([A-Z][a-z].*)$", part)
        if caps:  # 'ERIC TUCKER Associated Press': the name in capitals, then the agency or job
            name, found_role = caps[1], caps[2]
        elif not by and pagelines.role_words(part):
            ws = part.split()  # 'Tom Gillespie News reporter': a name, then the job
            cut = next((i for i in range(2, len(ws)) if pagelines.role_words(" ".join(ws[i:]))
                        and all(w[:1].isupper() for w in ws[:i])), None)
            name, found_role = (" ".join(ws[:cut]), " ".join(ws[cut:])) if cut else (part, None)
        if sum(1 for w in name.split() if w.islower() and w not in pagelines.STOPWORDS) >= 2 \
                or re.match(r"(?i)(?:the|a|an)\s+\S+$", name):
            continue  # 'The Russian; Syrian defense ministries': words of the text, not a name
        ws = name.split()
        if len(ws) >= 4 and len(ws) % 2 == 0 and ws[:len(ws) // 2] == ws[len(ws) // 2:]:
            name = " ".join(ws[:len(ws) // 2])  # 'Sean Martin Sean Martin'
        if name.isupper() and len(name.split()) >= 2 and all(re.search(r"[AEIOUY].*[A-Z]|[A-Z].*[AEIOUY]", w)
                                                              and len(w) >= 3 for w in name.split()):
            name = name.title()  # 'LISA MASCARO': a name, not an acronym to spell out ('CNN' has no vowel)
        first = re.split(r"[\s-]", name)[0].casefold()
        if any(first == re.split(r"[\s-]", n)[0].casefold() and (name.split()[-1] == n.split()[-1] or " " not in name)
               for n in names):
            continue  # 'Troy L Smith' after 'Troy Smith', 'Kevin-R' after 'Kevin Rebong'
        names.append(name)
        role = role or found_role
    persons = [n for n in names if person(n)]
    if persons and len(persons) < len(names):
        # 'Victor Tangermann; Futurism', 'Sandee LaMotte; CNN': the people are the authors, the rest publishes them
        role = role or next(n for n in names if not person(n))
        names = persons
    return (" and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names) or None), role


def person(name: str) -> bool:
    """A person's name, not an organisation's: two to four capitalised words, none of an organisation's name, the
    first no acronym ('NJ Advance Media', 'CNN Business')."""
    from pipeline.pagelines import name_like
    from pipeline.pagewords import ORG_WORDS

    ws = name.split()
    return 2 <= len(ws) <= 4 and name_like(name) and not any(w.casefold() in ORG_WORDS for w in ws) \
        and not (ws[0].isupper() and len(ws[0]) >= 2)  # ('May Bulman': a name, though 'may' is a function word)


def letters(text: str) -> str:
    """TEXT's words without punctuation or case: 'U.S. Department' -> 'u s department'."""
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def headline_hints(tree) -> tuple[str, ...]:
    """Headlines the markup states: <title>, og:/twitter:title, JSON-LD headline/name, <h1>."""
    found = [tree.findtext(".//title") or ""] + meta_contents(tree, "og:title", "twitter:title")
    for node in jsonld_nodes(tree):
        found += [v for k, v in node.items() if k in ("headline", "alternativeHeadline") and isinstance(v, str)]
    found += [h.text_content() for h in tree.iter("h1")]
    return tuple(dict.fromkeys(" ".join(h.split()) for h in found if h and h.strip()))


def printed_headline(tree) -> str | None:
    """The <h1> whose text the page's <title> is, alone or with the site's name before or after it behind a separator
    ('Julian Assange: Sweden drops rape investigation - BBC News'); None when no <h1> is so named (a logo's <h1>,
    a <title> that is another wording) or when it is a section's name of under four words."""
    from pipeline.pageheader import size
    from pipeline.pagewords import SITE_SEPARATOR

    page_title = " ".join((tree.findtext(".//title") or "").split())
    folded = page_title.casefold()
    site = {" ".join(c.split()).casefold() for c in meta_contents(tree, "og:site_name")}
    found = []
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        head = text.casefold()
        if size(text) < 4 or head in site:
            continue  # a section's, a blog's or the site's name ('Ambassador's Blog | Embassy of Japan')
        rest_after, rest_before = page_title[len(text):], page_title[:len(page_title) - len(text)]
        if folded == head or folded.startswith(head) and SITE_SEPARATOR.match(rest_after) \
                or folded.endswith(head) and SITE_SEPARATOR.match(rest_before[::-1]):
            found.append(text)
    # Of a logo's <h1> and the story's, both named by 'Headline - The New York Times', the story's is the longer.
    return max(found, key=len) if found else None


def without_site(title: str, tree, url: str | None) -> str:
    """TITLE without the site's name at either end behind a separator ('Headline - News Nation', 'my6sense |
    Headline'): the name og:site_name states, or one whose letters are the address's host name. What is left must
    still read as a headline: not empty, not starting in lower case ('BBC - the inside story' keeps its 'BBC')."""
    names = {letters(c) for c in meta_contents(tree, "og:site_name", "application-name")}
    host = host_label(url).replace("-", "")

    def site(edge: str) -> bool:
        name = letters(edge)
        return bool(name) and (name in names or len(host) >= 3 and name.replace(" ", "") == host)

    while True:
        tail = re.match(r"^(.+?)\s+[-|–—·»]\s+([^-|–—·»]+)$", title)
        head = re.match(r"^([^-|–—·»]+?)\s+[-|–—·»]\s+(.+)$", title)
        if tail and site(tail[2]) and (tail[1][:1].isupper() or not tail[1][:1].isalpha()):
            title = tail[1]
        elif head and site(head[1]) and head[2][:1].isupper():
            title = head[2]
        else:
            return title


FIELDS = ("title", "author", "author_role", "source", "date", "paragraphs")

# --- the stage ----------------------------------------------------------------------------------------------------

Kind = Literal["auto", "text", "html"]


def clean(data: str | bytes, *, kind: Kind = "auto", url: str | None = None) -> Article:
    """The article in DATA (flattened page text or HTML; bytes in any common encoding).

    Raises PipelineError when DATA is empty, binary or holds no article.
    """
    from pipeline import pagetext

    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise PipelineError(f"the input is over the {MAX_BYTES // 2**20} MB limit", "pass the article page alone")
        data = decode(data)
    check_text(data)
    if kind == "auto":
        kind = "html" if looks_like_html(data) else "text"
    if kind == "html":
        fields = from_html(repair(data, html=True), url)
        fields["paragraphs"] = tuple(repair(p).strip() for p in fields["paragraphs"])
    else:
        # A copy that shows the page's line breaks as markup ('...강화<br /><br />정부가 ...', a video page's
        # description): line breaks, not words to read out.
        text = LITERAL_BREAK.sub("\n", repair(data))
        page = pagetext.read_page(text, day_first=day_first(detect_language(text)))
        fields = {**{k: getattr(page, k) for k in FIELDS}, "listing": page.listing, "confidence": page.confidence}
    if fields.get("listing"):
        raise PipelineError("the page lists several articles (teasers with 'Read more' links or their own dates), "
                            "not one article", "open the article itself and pass that page")
    paras = tuple(" ".join(p.split()) for p in fields["paragraphs"] if p.strip())
    if not paras:
        raise PipelineError("no article text found in the input (only menus, links or footers)",
                            "pass the page that holds the article itself")
    confidence = {k: v for k, v in fields.get("confidence", {}).items() if k in Confidence.__dataclass_fields__}
    title = " ".join((fields["title"] or "").split()) or None
    if not title:
        # A page without a visible title: name the article by its first words rather than invent one.
        # Without its end punctuation: read back from to_text it must look like the title it is, not like a sentence
        # (which would join the body) nor like a copy of the paragraph (which would read as a repeated line).
        title = first_words(paras[0])
        confidence["title"] = min(confidence.get("title", 0.3), 0.4)
    return Article(title=title, paragraphs=paras, author=fields["author"] or None,
                   author_role=fields["author_role"] or None, source=fields["source"] or None,
                   date=fields["date"] or None, language=detect_language(" ".join(paras)),
                   confidence=Confidence(**confidence))


def read_bytes(source: str) -> tuple[bytes, str | None]:
    """Bytes of SOURCE (path, '-' = stdin, http(s) URL), refused past MAX_BYTES before reading it all."""
    limit = f"the input is over the {MAX_BYTES // 2**20} MB limit"
    if re.match(r"^https?://", source, re.I):
        import urllib.error
        import urllib.request

        req = urllib.request.Request(source, headers={"User-Agent": "pipeline-clean/0.1"})
        try:
            with urllib.request.urlopen(req, timeout=URL_TIMEOUT) as resp:
                data = resp.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PipelineError(f"cannot fetch {source}: {reason} (offline?)", SAVE_FIX) from None
        if len(data) > MAX_BYTES:
            raise PipelineError(limit, "save the article page alone")
        return data, source
    if source == "-":
        if sys.stdin is None or sys.stdin.closed or sys.stdin.isatty():
            raise PipelineError("no input: standard input is a terminal or closed",
                                "pass a file or URL, or pipe the page in: pipeline clean - < page.html")
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise PipelineError(limit, "pass the article page alone")
        return data, None
    path = Path(source)
    try:
        if path.is_dir():
            raise PipelineError(f"{source} is a folder, not a file", "pass the page's .txt or .html file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PipelineError(f"{source} is {size / 2**20:.0f} MB, over the {MAX_BYTES // 2**20} MB limit",
                                "pass the article page alone")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise PipelineError(f"no such file: {source}", "check the path") from None
    except PermissionError:
        raise PipelineError(f"cannot read {source}: permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise PipelineError(f"cannot read {source}: {exc.strerror or exc}", "pass a readable file") from None
    if len(data) > MAX_BYTES:
        raise PipelineError(limit, "pass the article page alone")
    return data, None


def clean_source(source: str, fields: Mapping[str, str] | None = None) -> Article:
    """Read SOURCE (path, '-' for stdin, or http(s) URL) and clean it; then apply the producer's corrections: the
    sidecar file beside a path (`<stem>.meta.toml`), then FIELDS (e.g. from --title/--author/--date), which win."""
    data, url = read_bytes(source)
    kind: Kind = "html" if Path(source).suffix.lower() in (".html", ".htm", ".xhtml") else "auto"
    article = clean(data, kind=kind, url=url)
    path = Path(source) if source != "-" and not url else None
    corrections = {**(read_sidecar(sidecar_path(path)) if path else {}), **(fields or {})}
    return correct(article, corrections) if corrections else article


# --- a producer's corrections ---------------------------------------------------------------------------------------

CORRECTABLE = ("title", "author", "author_role", "source", "date")
SIDECAR = ".meta.toml"


def sidecar_path(article: Path) -> Path:
    """`story.html` -> `story.meta.toml` beside it."""
    return article.with_name(article.stem + SIDECAR)


def read_sidecar(path: Path) -> dict[str, str]:
    """The fields a sidecar file sets (TOML: title, author, author_role, source, date), or {} when there is none."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read {path}: {exc}", "fix or remove the sidecar file") from None
    except tomllib.TOMLDecodeError as exc:
        raise PipelineError(f"{path} is not valid TOML ({exc})",
                            'write one field a line, e.g. title = "The headline" and date = "2024-03-05"') from None
    unknown = sorted(set(data) - set(CORRECTABLE))
    if unknown:
        raise PipelineError(f"{path}: unknown field {', '.join(map(repr, unknown))}",
                            f"use only {', '.join(CORRECTABLE)}")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise PipelineError(f"{path}: field {bad[0]!r} must be a quoted string", f'write {bad[0]} = "..."')
    return data


def correct(article: Article, fields: Mapping[str, str]) -> Article:
    """ARTICLE with the fields a producer set (title, author, author_role, source, date). An empty value clears a
    field (a wrong byline), except the title, which every programme needs. The set fields are certain."""
    changes: dict = {}
    for key, value in fields.items():
        if key not in CORRECTABLE:
            raise PipelineError(f"{key!r} cannot be set", f"set one of {', '.join(CORRECTABLE)}")
        value = " ".join(str(value).split())  # one line: it becomes a tag, a file's title, a feed entry
        if len(value) > 300:
            raise PipelineError(f"the {key} is {len(value)} characters long", "give at most 300 characters")
        if key == "title" and not value:
            raise PipelineError("the title cannot be empty", "give the headline, or leave the title out")
        if key == "date" and value:
            from datetime import date as Date

            try:
                value = Date.fromisoformat(value).isoformat()
            except ValueError:
                raise PipelineError(f"the date {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2024-03-05") from None
        changes[key] = value or None
    sure = {k: 1.0 for k in changes if k in Confidence.__dataclass_fields__}
    return replace(article, **changes, confidence=replace(article.confidence, **sure))


def uncertain(article: Article) -> list[str]:
    """What a producer should check before the article goes on air: the headline, the byline, the date and the
    text's first and last paragraphs when the clean stage was unsure of them (one sentence each). The publication is
    not among them: it is never spoken (only the MP3's comment tag and the manifest carry it)."""
    c, a = article.confidence, article
    notes = {
        "title": lambda: f"the headline is uncertain ({c.title:.2f}): {a.title!r}",
        "author": lambda: f"the author is uncertain ({c.author:.2f}): {a.author!r}",
        "date": lambda: f"the date is uncertain ({c.date:.2f}): {a.date!r}",
        "body_start": lambda: f"where the text starts is uncertain ({c.body_start:.2f}): it starts {a.paragraphs[0][:60]!r}",
        "body_end": lambda: f"where the text ends is uncertain ({c.body_end:.2f}): it ends {a.paragraphs[-1][-60:]!r}",
    }
    return [notes[k]() for k in c.uncertain() if k in notes]
