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
    assert art.source == "The Harbor Ledger" and art.date == "2023-09-18"


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
