"""What a run publishes over all finished language folders under an output root: podcast feeds, the station's
artwork and the run manifest. Every file is rewritten only when its bytes change, so a run that changed nothing
leaves them (and their times) alone.

Feeds follow Apple Podcasts' RSS requirements and the Podcast Index `podcast` namespace (docs/formats.md). They
are written with ElementTree rather than feedgen: feedgen 1.0 predates Apple's current tags (`itunes:explicit`
true/false, `itunes:episodeType`) and has no `podcast` namespace, which left more of the feed hand-made than not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.errors import PipelineError
from pipeline.files import atomic_path, atomic_write_bytes
from pipeline.language import LANG_CODE
from pipeline.station import Station, join
from pipeline.station import base_url as _checked_base_url

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
# The Podcast Index namespace's UUID for podcast:guid (UUIDv5 of the feed URL without scheme and trailing '/').
PODCAST_GUID_NS = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
PODCAST_MIME = {".mp3": "audio/mpeg", ".m4a": "audio/mp4"}  # what podcast apps and browsers play
TRANSCRIPTS = ((".vtt", "text/vtt", "captions"), (".srt", "application/x-subrip", "captions"),
               (".txt", "text/plain", None))
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
MAX_MANIFEST_BYTES = 64 << 20
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
IMAGE_NAME = re.compile(LANG_CODE.pattern + r"\.[0-9a-f]{12}\.(wave|loudness)\.png")  # the report's
# Characters XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF). Listed, not
# written as the complement of what XML allows: `re` compiles that class in 10 ms, on the path of every run.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def finished(out: Path, slug: str | None = None) -> Iterator[tuple[Path, dict]]:
    """(language folder, its manifest) for every finished article language under `out` (or only article `slug`),
    in stable order. Only real folders `<slug>/<lang>/` holding a manifest this program wrote count: a symbolic
    link is never followed, and a `manifest.json` of anything else is not ours to read (`read_manifest`)."""
    manifests = [lang / "manifest.json" for art in _folders(out, slug) for lang in _folders(art)]
    for manifest in sorted(manifests):
        meta = read_manifest(manifest)
        if meta is not None:  # one with no manifest, or an unreadable one, is unfinished
            yield manifest.parent, meta


def _folders(folder: Path, name: str | None = None) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False) and name in (None, e.name)]
    except OSError:
        return []


def read_manifest(path: Path) -> dict | None:
    """A language folder's `manifest.json` when this program wrote it (its shape, and slug and language matching
    the folders it is in), else None; never through a symbolic link."""
    try:
        meta = _read_json(path)
    except (OSError, ValueError):
        return None
    return meta if _ours(meta, Path(path).parent) else None


def _read_json(path: Path):
    """JSON from a regular file of at most MAX_MANIFEST_BYTES, never through a link (nor from a FIFO, which would
    block the run forever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        data = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError("too large")
    return json.loads(data)


def is_language_manifest(meta, folder: Path) -> bool:
    """Whether META is a manifest this program writes for language folder FOLDER (`<slug>/<lang>`)."""
    return _ours(meta, folder)


def _ours(m, folder: Path) -> bool:
    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if not isinstance(m, dict) or m.get("manifest_version") != 1:
        return False
    slug, lang, files = m.get("slug"), m.get("language"), m.get("files")
    if not (isinstance(slug, str) and _SLUG.fullmatch(slug) and slug == folder.parent.name
            and isinstance(lang, str) and LANG_CODE.fullmatch(lang) and lang == folder.name and isinstance(files, list)):
        return False
    for f in files:  # plain names of this article's own files: nothing outside the folder
        if not (isinstance(f, dict) and isinstance(f.get("path"), str) and f["path"].startswith(f"{slug}.{lang}.")
                and "/" not in f["path"] and "\\" not in f["path"] and isinstance(f.get("bytes"), int)
                and isinstance(f.get("sha256"), str)):
            return False
    # The programme, and with a distribution profile the podcast MP3 beside it (marked "podcast": true).
    audio = [f for f in files if "loudness_lufs" in f]
    if not 1 <= len(audio) <= 2 or not all(number(a.get(k)) for a in audio
                                           for k in ("duration_s", "loudness_lufs", "true_peak_dbtp")):
        return False
    if not all(f.get("podcast") in (None, True) for f in files) or sum(bool(f.get("podcast")) for f in files) > 1:
        return False
    texts = ("title", "source_title", "author", "source", "date", "published", "summary", "profile", "build", "guid")
    sentences = m.get("sentences", [])
    return (all(m.get(k) is None or isinstance(m[k], str) for k in texts)
            and all(m.get(k) is None or number(m[k]) for k in ("target_lufs", "tolerance_lu", "ceiling_dbtp"))
            and isinstance(m.get("origins", {}), dict) and isinstance(sentences, list)
            and all(isinstance(x, dict) and isinstance(x.get("paragraph"), int) for x in sentences))


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot hold (lxml refuses them: one would stop every feed)."""
    return _NOT_XML.sub("", text)


def check_station(name: str | None) -> str | None:
    """--station (a station file or a name; None: the one remembered for the output folder)."""
    if name is None:
        return name
    if not name.strip() or xml_text(name) != name or any(c in name for c in "\t\n\r"):
        raise PipelineError(f"--station {name!r} is empty or holds control characters (or bytes that are not UTF-8)",
                            "give the station's name as plain text")
    return name


def check_base_url(url: str) -> str:
    """'' or an http(s) URL: it becomes every feed's enclosure addresses. Returned in the form feeds carry
    (`station.base_url`: percent-encoded, ending in '/')."""
    if not url:
        return url
    parts = urlsplit(url) if url.isprintable() else None
    if not (parts and parts.scheme in ("http", "https") and parts.netloc):
        raise PipelineError(f"--base-url {url!r} is not an http(s) address",
                            "give the public address of the output folder, e.g. https://radio.example.org/pod/")
    try:
        return _checked_base_url(url)
    except PipelineError as exc:
        raise PipelineError(f"--base-url: {exc.problem}", exc.fix) from None


def audio_entry(meta: dict) -> dict:
    """The programme in the run's profile: the first file with measured loudness."""
    return next(f for f in meta["files"] if "loudness_lufs" in f)


def podcast_entry(meta: dict) -> dict | None:
    """The file a feed encloses and a browser plays (an MP3), or None when the folder has none (made by an
    earlier version with a distribution profile: such an episode stays out of the feed rather than enclose MP2)."""
    files = meta["files"]
    marked = [f for f in files if f.get("podcast")]
    if marked:
        return marked[0]
    return next((f for f in files if "loudness_lufs" in f and Path(f["path"]).suffix in PODCAST_MIME), None)


def published(meta: dict, folder: Path) -> datetime:
    """When the episode was first published (kept across corrections): the feed's pubDate, newest first."""
    value = meta.get("published")
    if value:
        try:
            stamp = datetime.fromisoformat(value)
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime.fromtimestamp((folder / "manifest.json").stat().st_mtime, timezone.utc)


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write_bytes(path, data)
    return True


# --- artwork -------------------------------------------------------------------------------------------------


def artwork_problems(path: Path) -> list[str]:
    """What Apple Podcasts would refuse in a cover: JPEG or PNG, RGB, square, 1400 to 3000 pixels a side."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt, mode, (w, h) = img.format, img.mode, img.size
    except (OSError, UnidentifiedImageError) as exc:
        return [f"artwork {path} cannot be read as an image ({exc})"]
    problems = []
    if fmt not in ("JPEG", "PNG"):
        problems.append(f"artwork is {fmt}, Apple Podcasts takes JPEG or PNG")
    if mode not in ("RGB", "P", "L") and not (fmt == "PNG" and mode == "RGBA"):
        problems.append(f"artwork is in {mode} colour, Apple Podcasts takes RGB")
    if w != h or not 1400 <= w <= 3000:
        problems.append(f"artwork is {w}x{h} pixels, Apple Podcasts takes a square of 1400 to 3000 pixels")
    return problems


def publish_artwork(out: Path, station: Station) -> Path | None:
    """Copy the station's artwork to `<out>/artwork-<sha>.<ext>` (a new name when it changes: apps cache covers
    by URL) and drop earlier copies."""
    from pipeline.files import sha256

    keep = None
    if station.artwork is not None:
        suffix = ".jpg" if station.artwork.suffix.lower() in (".jpg", ".jpeg") else ".png"
        keep = out / f"artwork-{sha256(station.artwork)[:12]}{suffix}"
        if not keep.is_file() or keep.is_symlink():  # a link there is replaced, never written through
            with atomic_path(keep) as tmp:
                shutil.copyfile(station.artwork, tmp)
    for old in out.glob("artwork-*"):
        if old != keep and old.suffix in (".jpg", ".png") and (old.is_file() or old.is_symlink()):
            old.unlink()
    return keep


# --- feeds ---------------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text XML 1.0 can carry: no control characters (ElementTree would write them and break the feed)."""
    return xml_text(text or "").strip()


def _sub(parent: ET.Element, tag: str, value: str | None = None, /, **attrs: str) -> ET.Element:
    prefix, _, name = tag.rpartition(":")
    el = ET.SubElement(parent, f"{{{NS[prefix]}}}{name}" if prefix else name, {k: _clean(v) for k, v in attrs.items()})
    if value is not None:
        el.text = _clean(value)
    return el


def podcast_guid(feed_url: str, existing: Path) -> str:
    """The feed's podcast:guid: the one it already carries (it must never change, even when the feed moves), else
    the Podcast Index's UUIDv5 of the feed URL without its scheme and trailing slashes."""
    try:
        found = ET.parse(existing).getroot().findtext(f"channel/{{{NS['podcast']}}}guid")
        if found and re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", found.strip()):
            return found.strip()
    except (OSError, ET.ParseError):
        pass
    return str(uuid.uuid5(PODCAST_GUID_NS, re.sub(r"^[a-z]+://", "", feed_url).rstrip("/")))


def _description(meta: dict) -> str:
    """The episode's first paragraph as aired, and where the article came from."""
    body = [s for s in meta.get("sentences", []) if s.get("paragraph", -1) >= 0]
    paragraph = [s["text"] for s in body if s["paragraph"] == body[0]["paragraph"]]
    credit = ", ".join(x for x in (meta.get("author"), meta.get("source"), meta.get("date")) if x)
    body = " ".join(paragraph)
    if len(body) > 600:
        body = body[:600].rsplit(" ", 1)[0] + " …"
    return "\n\n".join(x for x in (body, f"{meta.get('source_title') or ''} — {credit}".strip(" —")) if x)


def feed_xml(out: Path, lang: str, items: list[tuple[Path, dict]], station: Station, base: str,
             artwork: Path | None) -> bytes:
    """One language's RSS 2.0 feed, newest episode first."""
    feed_url = join(base, f"feed.{lang}.xml")
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _sub(rss, "channel")
    title = station.feed_title(lang)
    _sub(ch, "title", title)
    _sub(ch, "link", station.website or base)
    _sub(ch, "description", station.feed_description(lang))
    _sub(ch, "language", lang)
    if station.copyright:
        _sub(ch, "copyright", station.copyright)
    dates = [published(meta, folder) for folder, meta in items]
    _sub(ch, "lastBuildDate", format_datetime(max(dates)))
    _sub(ch, "generator", "pipeline (offline article-to-broadcast pipeline)")
    _sub(ch, "atom:link", href=feed_url, rel="self", type="application/rss+xml")
    author = station.author or station.name
    if author:
        _sub(ch, "itunes:author", author)
    if station.owner_email:
        owner = _sub(ch, "itunes:owner")
        _sub(owner, "itunes:name", station.owner())
        _sub(owner, "itunes:email", station.owner_email)
    if artwork is not None:
        art_url = join(base, artwork.relative_to(out).as_posix())
        _sub(ch, "itunes:image", href=art_url)
        image = _sub(ch, "image")
        _sub(image, "url", art_url)
        _sub(image, "title", title)
        _sub(image, "link", station.website or base)
    category = _sub(ch, "itunes:category", text=station.category)
    if station.subcategory:
        _sub(category, "itunes:category", text=station.subcategory)
    _sub(ch, "itunes:explicit", "true" if station.explicit else "false")
    _sub(ch, "itunes:type", "episodic")
    _sub(ch, "podcast:guid", podcast_guid(feed_url, out / f"feed.{lang}.xml"))
    locked = {"owner": station.owner_email} if station.owner_email else {}
    _sub(ch, "podcast:locked", "yes" if station.locked else "no", **locked)

    order = sorted(zip(dates, items), key=lambda x: (x[0], x[1][1]["slug"]), reverse=True)
    for date, (folder, meta) in order:
        entry = podcast_entry(meta)
        rel = folder.relative_to(out).as_posix()
        item = _sub(ch, "item")
        _sub(item, "title", meta.get("title") or meta["slug"])
        _sub(item, "description", _description(meta))
        _sub(item, "link", join(base, f"{meta['slug']}/index.html"))
        _sub(item, "guid", meta.get("guid") or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, join(base, rel))}",
             isPermaLink="false")
        _sub(item, "pubDate", format_datetime(date))
        _sub(item, "enclosure", url=join(base, f"{rel}/{entry['path']}"), length=str(entry["bytes"]),
             type=PODCAST_MIME[Path(entry["path"]).suffix])
        _sub(item, "itunes:duration", str(round(entry["duration_s"])))
        _sub(item, "itunes:episodeType", "full")
        _sub(item, "itunes:explicit", "true" if station.explicit else "false")
        stem = Path(entry["path"]).stem
        for suffix, mime, rel_kind in TRANSCRIPTS:
            if (folder / f"{stem}{suffix}").is_file():
                attrs = {"url": join(base, f"{rel}/{stem}{suffix}"), "type": mime, "language": lang}
                _sub(item, "podcast:transcript", **attrs, **({"rel": rel_kind} if rel_kind else {}))
    ET.indent(rss)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8") + b"\n"


def station_warnings(station: Station) -> list[str]:
    """What Apple Podcasts requires or recommends that the station file does not give."""
    missing = [what for what, ok in (
        ("artwork (required)", station.artwork is not None), ("owner_email", bool(station.owner_email)),
        ("author", bool(station.author or station.name)), ("copyright", bool(station.copyright)),
        ("website", bool(station.website))) if not ok]
    warnings = []
    if missing:
        where = f"station file {station.source}" if station.source else "no station file (--station FILE)"
        warnings.append(f"feeds lack {', '.join(missing)} that Apple Podcasts asks for: {where}; see docs/station.md")
    if station.artwork is not None:
        warnings += artwork_problems(station.artwork)
    return warnings


def write_feeds(out: Path, station: Station, base: str) -> tuple[list[Path], list[str]]:
    """`<out>/feed.<lang>.xml` per language, with the artwork they show; (files, warnings). `base` is the public
    address of `out` (station.base_url form); without one no feed is written: enclosure URLs must be absolute."""
    by_lang: dict[str, list[tuple[Path, dict]]] = {}
    for folder, meta in finished(out):
        if meta.get("language") and podcast_entry(meta) is not None:
            by_lang.setdefault(meta["language"], []).append((folder, meta))
    if not by_lang:
        return [], []
    if not base:
        return [], ["no podcast feed written: enclosure URLs must be absolute; give the public address of the "
                    "output folder (--base-url https://... or base_url in the station file)"]
    artwork = publish_artwork(out, station)
    written = []
    for lang, items in sorted(by_lang.items()):
        path = out / f"feed.{lang}.xml"
        write_if_changed(path, feed_xml(out, lang, items, station, base, artwork))
        written.append(path)
    return written + ([artwork] if artwork else []), station_warnings(station)


# --- run manifest --------------------------------------------------------------------------------------------


def recorded_base_url(out: Path) -> str:
    """The base URL an earlier run published with (kept in the run manifest), or ''."""
    try:
        url = _read_json(out / "manifest.json").get("base_url", "")
        return check_base_url(url)
    except (OSError, ValueError, AttributeError, TypeError, PipelineError):
        return ""  # not one this program wrote


def write_run_manifest(out: Path, *, base_url: str = "") -> Path:
    """`<out>/manifest.json`: every finished file under `out` (audio, sidecars, language manifests, feeds, artwork,
    report pages and pictures), paths relative to `out`. Written after everything else."""
    from pipeline.export import file_entry

    files, articles, slugs = [], [], []
    for folder, meta in finished(out):
        rel = folder.relative_to(out).as_posix()
        files += [{**f, "path": f"{rel}/{f['path']}"} for f in meta["files"]]
        files.append(file_entry(folder / "manifest.json", out))
        articles.append({"slug": meta["slug"], "language": meta["language"], "title": meta.get("title"),
                         "guid": meta.get("guid"), "manifest": f"{rel}/manifest.json"})
        slugs += [] if folder.parent in slugs else [folder.parent]
    published = [*out.glob("feed.*.xml"), *out.glob("artwork-*.png"), *out.glob("artwork-*.jpg"), out / "index.html"]
    for article in slugs:
        published += [article / "index.html", *sorted((article / "report").glob("*.png"))]
    files += [file_entry(p, out) for p in sorted(published) if p.is_file() and not p.is_symlink()]
    path = out / "manifest.json"
    data = {"base_url": base_url, "articles": articles, "files": files}
    write_if_changed(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
