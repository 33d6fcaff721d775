"""HTML: trafilatura's article and metadata, no network, no external entities."""

import socket
from pathlib import Path

import pytest

from pipeline.article import (
    Block,
    clean,
    looks_like_html,
    markup_author,
    markup_blocks,
    parse_html,
    printed_headline,
    without_site,
)
from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
ENTITIES = ROOT / "tests" / "data" / "clean" / "entities.html"
PAGE = ROOT / "bench" / "clean_cases" / "raw" / "html-nav-aside-footer.html"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the clean stage tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_entities_are_never_expanded_or_read(no_network):
    art = clean(ENTITIES.read_bytes(), url="https://example.org/entities")
    text = "\n".join(art.paragraphs)
    assert "root:" not in text  # /etc/passwd never read
    assert "lollol" not in text  # the bomb never expands
    assert len(art.paragraphs) == 3 and art.title == "Entity Test Page"


def test_html_page_with_a_url_stays_offline(no_network):
    art = clean(PAGE.read_bytes(), url="https://harbor-ledger.example/world/markets")
    assert art.source is None and art.date == "2023-09-18"  # the site's name is a masthead, not a source


def test_html_boilerplate_is_left_out():
    art = clean(PAGE.read_text(encoding="utf-8"))
    text = " ".join(art.paragraphs)
    for junk in ("cookies", "Most read", "All rights reserved", "Border trade slows", "dataLayer", "Photo:"):
        assert junk not in text


def test_html_is_recognised_by_shape():
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("<div><p>One</p><p>Two</p><p>Three</p><a href='#'>a</a><br></div>")
    assert not looks_like_html("Why North Koreans Need Us\n\nA text that mentions <b> once.")


def test_kind_text_forces_text_reading():
    # A text article that quotes markup stays a text article when the caller says so.
    page = ("Markup in the Newsroom\n\nEditors type <p> and <div> and <span> and <a> and <br> every day, and most of "
            "them never think about what those marks mean to the reader at home.\n")
    art = clean(page, kind="text")
    assert art.title == "Markup in the Newsroom" and "<p>" in art.paragraphs[0]


XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Radio reaches the north</title></head>
<body><h1>Radio reaches the north</h1>
<p>Listeners in the north said the broadcasts were clearer this winter than in any year before, a survey found.</p>
<p>The survey was carried out among people who had left the country during the last two years, the group said.</p>
</body></html>"""


@pytest.mark.parametrize("data", [XHTML, XHTML.encode("utf-8"), XHTML.replace("UTF-8", "ISO-8859-1")],
                         ids=["str", "bytes", "declaration-disagrees"])
def test_xhtml_with_an_encoding_declaration_is_read(data):
    # lxml refuses a str carrying '<?xml ... encoding=...?>'; the page is already decoded, so its declaration must
    # neither stop the parse nor decode the text a second time.
    art = clean(data)
    assert art.title == "Radio reaches the north"
    assert art.paragraphs[0].startswith("Listeners in the north") and len(art.paragraphs) == 2


# --- real pages' markup (bench/extraction_benchmark.py): sidebars of teasers, lists, tables ---------------------------

TEXT = ("The council met on Tuesday to settle the schedule for the coming season, after weeks of talks between the "
        "clubs and the city about the use of the stadium on weekday evenings.")
MORE = ("Officials said the agreement would be reviewed next year, and that residents near the ground would be "
        "consulted before any change to the evening kick-off times was made final.")


def teaser(n: int) -> str:
    return (f"<div class='teaser'><h3>Other story number {n} about the city</h3><p>March {n}, 2024</p>"
            f"<p>A summary of another story that the site links to from this page, told in a sentence or two so that "
            f"it reads like text, with enough words in it to look like a paragraph, and then cut off here …</p>"
            f"<a href='/s{n}'>Read more</a></div>")


def page(head: str = "", body: str = "", aside: bool = True) -> str:
    side = "<aside>" + "".join(teaser(n) for n in range(1, 9)) + "</aside>" if aside else ""
    return (f"<html><head><title>Council settles the stadium schedule | City News</title>{head}</head><body>"
            f"<article><h1>Council settles the stadium schedule</h1><p>{TEXT}</p><p>{MORE}</p>{body}</article>"
            f"{side}</body></html>")


@pytest.mark.parametrize("head", [
    "<meta property='og:type' content='article'>",
    "<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@graph\": "
    "[{\"@type\": \"WebPage\"}, {\"@type\": \"ReportageNewsArticle\", \"headline\": \"x\"}]}</script>",
])
def test_an_article_page_with_teasers_beside_it_is_read_when_its_markup_says_article(head):
    art = clean(page(head))
    assert art.paragraphs == (TEXT, MORE)


def test_a_page_of_teasers_whose_markup_does_not_say_article_is_still_refused():
    teasers = "".join(teaser(n) for n in range(1, 7))
    with pytest.raises(PipelineError, match="lists several articles"):
        clean(f"<html><head><title>Archive | City News</title></head><body><main>{teasers}</main></body></html>")


def test_list_entries_and_lines_split_by_br_are_text_however_short():
    dates = "<p>The tour dates:<br>June 10 -- Arena, Tampa<br>June 17 -- Bridgestone Arena, Nashville</p>"
    teams = "<ul><li>England (Group A)</li><li>Czech Republic (Group A)</li></ul>"
    art = clean(page(body=dates + teams, aside=False))
    assert art.paragraphs[2:] == ("The tour dates:", "June 10 -- Arena, Tampa", "June 17 -- Bridgestone Arena, Nashville",
                                  "England (Group A)", "Czech Republic (Group A)")


def test_list_entries_shaped_like_name_and_role_are_text():
    names = "<ul><li>Heraldo Muñoz, Foreign Minister</li><li>Jane Doe, Ambassador</li></ul>"
    art = clean(page(body=names, aside=False))
    assert art.paragraphs[2:] == ("Heraldo Muñoz, Foreign Minister", "Jane Doe, Ambassador")


def xml(text: str):
    from lxml import etree

    return etree.fromstring(text)


def test_blocks_mostly_of_link_text_are_navigation():
    # trafilatura's own XML, as bare_extraction(include_links=True) gives it; a <hi> inside a <ref> counts once
    body = xml("<body><p>See <ref target='/r'><hi>the full report on the stadium</hi></ref> for all the details "
               "of the plan</p><list><item><ref target='/a'>Related story about the council</ref></item>"
               "<item>Tour dates <ref target='/t'>here</ref> and there</item></list>"
               "<p><ref target='/b'>Another related story about the city and its stadium</ref></p></body>")
    assert [b.text for b in markup_blocks(body)] == ["See the full report on the stadium for all the details of the plan",
                                                      "Tour dates here and there"]


def test_a_tables_cells_holding_paragraphs_are_paragraphs_not_one_row():
    body = xml("<body><table><row><cell><p>The first paragraph ends here.</p><p>The second one starts.</p></cell>"
               "</row><row><cell>Home</cell><cell>63</cell></row>"
               "<row><cell><ref target='/'>Home</ref></cell><cell><ref target='/n'>News</ref></cell></row></table></body>")
    assert markup_blocks(body) == [Block("p", "The first paragraph ends here."), Block("p", "The second one starts."),
                                   Block("row", "Home, 63")]


def test_a_quote_with_a_link_or_a_break_keeps_its_words():
    body = xml("<body><quote>\"We will not move,\" the mayor said, citing <ref target='/x'>last year's review</ref> "
               "of the ground.</quote><quote>Roses are red<lb/>the council met<lb/>at noon</quote></body>")
    assert [b.text for b in markup_blocks(body)] == [
        "\"We will not move,\" the mayor said, citing last year's review of the ground.",
        "Roses are red", "the council met", "at noon"]


def test_the_words_after_a_nested_list_are_kept():
    body = xml("<body><list><item>Outer entry one<list><item>Inner entry</item></list> and the outer entry's end"
               "</item></list></body>")
    assert [b.text for b in markup_blocks(body)] == ["Outer entry one", "Inner entry", "and the outer entry's end"]


def test_json_ld_nested_too_deep_to_parse_is_skipped():
    deep = "[" * 100000 + "]" * 100000
    art = clean(page(head=f"<script type='application/ld+json'>{deep}</script>", aside=False))
    assert art.paragraphs == (TEXT, MORE)


def test_table_rows_are_read_as_their_cells():
    table = ("<table><tr><th>Player</th><th>Plays</th></tr><tr><td>Larry Ogunjobi</td><td>63</td></tr>"
             "<tr><td>Myles Garrett</td><td>57</td></tr></table>")
    art = clean(page(body=table, aside=False))
    assert art.paragraphs[2:] == ("Player, Plays", "Larry Ogunjobi, 63", "Myles Garrett, 57")


def test_the_headline_is_not_also_the_first_paragraph():
    long = "Council settles the stadium schedule for the coming season after weeks of talks"
    html = page(aside=False).replace("Council settles the stadium schedule", long)
    art = clean(html.replace("<article><h1>", "<article><p>").replace("</h1>", "</p>"))
    assert art.title == long and art.paragraphs == (TEXT, MORE)


@pytest.mark.parametrize("title", ["Julian Assange: Sweden drops rape investigation - BBC News",
                                   "BBC News | Julian Assange: Sweden drops rape investigation"])
def test_the_h1_that_the_pages_title_names_is_the_headline_without_the_sites_name(title):
    html = (f"<html><head><title>{title}</title><meta property='og:title' content='Sweden drops Assange rape "
            f"investigation'></head><body><nav><a href='/'>Home</a></nav><article><h1>Julian Assange: Sweden drops "
            f"rape investigation</h1><p>{TEXT}</p><p>{MORE}</p></article></body></html>")
    assert clean(html).title == "Julian Assange: Sweden drops rape investigation"


def test_a_sections_name_in_the_h1_is_not_the_headline():
    html = ("<html><head><title>Ambassador's Blog | Embassy</title></head><body><h1>Ambassador's Blog</h1><article>"
            f"<h2>Council settles the stadium schedule</h2><p>{TEXT}</p><p>{MORE}</p></article></body></html>")
    assert clean(html).title != "Ambassador's Blog"


@pytest.mark.parametrize("title, h1, printed", [
    ("Lexus wants you to go topless - Auto News", "Lexus wants you to go topless", "Lexus wants you to go topless"),
    ("Auto News » Lexus wants you to go topless", "Lexus wants you to go topless", "Lexus wants you to go topless"),
    ("Lexus wants you to go topless", "Lexus wants you to go topless", "Lexus wants you to go topless"),
    ("Lexus wants you to go topless again - Auto News", "Lexus wants you to go topless", None),  # another wording
    ("Auto News", "Auto News", None),  # the site's logo
    ("Ambassador's Blog | Embassy", "Ambassador's Blog", None),  # a section's name
    ("Council backs new ferry line-up for the summer", "Council backs new ferry line", None),  # no separator
])
def test_the_printed_headline_is_the_h1_the_title_names(title, h1, printed):
    tree = parse_html(f"<html><head><title>{title}</title></head><body><h1>{h1}</h1><p>{TEXT}</p></body></html>")
    assert printed_headline(tree) == printed


@pytest.mark.parametrize("title, site, url, bare", [
    ("Our research shows a mix of ad units works | my6sense", None, "https://www.my6sense.com/x",
     "Our research shows a mix of ad units works"),
    ("Só quem se Ama... — Mensagens de Reflexão", "Mensagens de Reflexão", None, "Só quem se Ama..."),
    ("Harbor Daily - Council backs new ferry line", "Harbor Daily", None, "Council backs new ferry line"),
    ("Star Wars review – shoots for the moon", None, "https://www.vg247.com/x", "Star Wars review – shoots for the moon"),
    ("BBC - the inside story", None, "https://www.bbc.com/x", "BBC - the inside story"),  # the rest is no headline
    ("Harbor Daily - ", "Harbor Daily", None, "Harbor Daily - "),
    ("Council backs new ferry line | Harbor Daily - Harbor Daily", "Harbor Daily", None, "Council backs new ferry line"),
])
def test_the_sites_name_is_cut_from_the_markups_title(title, site, url, bare):
    meta = f"<meta property='og:site_name' content='{site}'>" if site else ""
    tree = parse_html(f"<html><head>{meta}<title>{title}</title></head><body><p>{TEXT}</p></body></html>")
    assert without_site(title, tree, url) == bare


@pytest.mark.parametrize("raw, url, expected", [
    ("Troy Smith; Troy L Smith; Cleveland com", "https://www.cleveland.com/x", ("Troy Smith", None)),
    ("Mike Wuerthele; Malcolm Owen Monday; November", None, ("Mike Wuerthele and Malcolm Owen", None)),
    ("STEVE PEOPLES; AP National Political Writer", None, ("Steve Peoples", "AP National Political Writer")),
    ("LISA MASCARO; MARY CLARE JALONICK; ERIC TUCKER Associated Press", None,
     ("Lisa Mascaro, Mary Clare Jalonick and Eric Tucker", "Associated Press")),
    ("Tom Gillespie News reporter", None, ("Tom Gillespie", "News reporter")),
    ("Phil Helsel is a reporter for NBC News", None, ("Phil Helsel", None)),
    ("Victor Tangermann; Futurism", None, ("Victor Tangermann", "Futurism")),
    ("The Russian; Syrian defense ministries", None, (None, None)),
    ("David Jeans; Kevin Rebong; Kevin-R", None, ("David Jeans and Kevin Rebong", None)),
    ("Jerusalem Post Staff November", None, ("Jerusalem Post Staff", None)),
    ("REUTERS", None, ("REUTERS", None)),
    ("이지은 기자", None, ("이지은", "기자")),
    ("April Ryan", None, ("April Ryan", None)),  # a month's name opening a name is the name
    ("June Carter; May Bulman", None, ("June Carter and May Bulman", None)),
    ("Chris March", None, ("Chris March", None)),  # and closing one
    ("Jane Doe 19 November 2019", None, ("Jane Doe", None)),
    ("Jane Doe; 2 March 2024", None, ("Jane Doe", None)),
    ("Analysis by Chris Cillizza; CNN Editor-at-large", None, ("Chris Cillizza", "CNN Editor-at-large")),
    ("Paul Graham", "http://paulgraham.com/essay", ("Paul Graham", None)),  # a person on their own site
    ("Jane Doe and John Roe; Reuters", None, ("Jane Doe and John Roe", "Reuters")),
    ("CBS NEWS", None, ("CBS NEWS", None)),
])
def test_trafilaturas_author_field_is_read_as_names_and_a_role(raw, url, expected):
    assert markup_author(raw, url) == expected


def test_of_a_logos_h1_and_the_storys_both_named_by_the_title_the_storys_is_the_headline():
    tree = parse_html("<html><head><title>Council Backs New Ferry Line - The New York Times</title></head><body>"
                      "<h1 class='site-title'>The New York Times</h1><h1>Council Backs New Ferry Line</h1></body></html>")
    assert printed_headline(tree) == "Council Backs New Ferry Line"
