"""HTML: trafilatura's article and metadata, no network, no external entities."""

import socket
from pathlib import Path

import pytest

from pipeline.article import clean, looks_like_html

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
