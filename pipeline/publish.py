"""What a run publishes over all finished language folders under an output root: podcast feeds, run manifest."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pipeline.errors import PipelineError
from pipeline.files import atomic_write_bytes, atomic_write_text

MIME = {"mp3": "audio/mpeg", "mp2": "audio/mpeg", "wav": "audio/wav"}
MAX_MANIFEST_BYTES = 64 << 20
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
IMAGE_NAME = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\.[0-9a-f]{12}\.(wave|loudness)\.png")  # the report's
# Characters XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def _ours(m, folder: Path) -> bool:
    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if not isinstance(m, dict) or m.get("manifest_version") != 1:
        return False
    slug, lang, files = m.get("slug"), m.get("language"), m.get("files")
    if not (isinstance(slug, str) and _SLUG.fullmatch(slug) and slug == folder.parent.name
            and isinstance(lang, str) and _LANG.fullmatch(lang) and lang == folder.name and isinstance(files, list)):
        return False
    for f in files:  # plain names of this article's own files: nothing outside the folder
        if not (isinstance(f, dict) and isinstance(f.get("path"), str) and f["path"].startswith(f"{slug}.{lang}.")
                and "/" not in f["path"] and "\\" not in f["path"] and isinstance(f.get("bytes"), int)
                and isinstance(f.get("sha256"), str)):
            return False
    audio = [f for f in files if "loudness_lufs" in f]
    if len(audio) != 1 or not all(number(audio[0].get(k)) for k in ("duration_s", "loudness_lufs", "true_peak_dbtp")):
        return False
    texts = ("title", "source_title", "author", "source", "date", "published", "summary", "profile", "build")
    sentences = m.get("sentences", [])
    return (all(m.get(k) is None or isinstance(m[k], str) for k in texts)
            and all(m.get(k) is None or number(m[k]) for k in ("target_lufs", "tolerance_lu", "ceiling_dbtp"))
            and isinstance(m.get("origins", {}), dict) and isinstance(sentences, list)
            and all(isinstance(x, dict) and isinstance(x.get("paragraph"), int) for x in sentences))


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot hold (lxml refuses them: one would stop every feed)."""
    return _NOT_XML.sub("", text)


def check_station(name: str) -> str:
    if not name.strip() or xml_text(name) != name or any(c in name for c in "\t\n\r"):
        raise PipelineError(f"--station {name!r} is empty or holds control characters (or bytes that are not UTF-8)",
                            "give the station's name as plain text")
    return name


def check_base_url(url: str) -> str:
    """'' or an http(s) URL: it becomes every feed's enclosure addresses."""
    parts = urlsplit(url) if url.isprintable() and " " not in url else None
    if url and not (parts and parts.scheme in ("http", "https") and parts.netloc):
        raise PipelineError(f"--base-url {url!r} is not an http(s) address",
                            "give the public address of the output folder, e.g. https://radio.example.org/pod/")
    return url


def audio_entry(meta: dict) -> dict:
    """The programme's entry in a language manifest: the one file with measured loudness."""
    return next(f for f in meta["files"] if "loudness_lufs" in f)


def _published(meta: dict, audio: Path) -> datetime:
    """The article's own date, else when the episode was first published (kept across re-runs)."""
    for value in (meta.get("date"), meta.get("published")):
        if value:
            try:
                stamp = datetime.fromisoformat(value)
            except ValueError:
                continue
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(audio.stat().st_mtime, timezone.utc)


def write_feeds(out: Path, *, base_url: str = "", title: str = "pipeline", languages: set[str] | None = None) -> list[Path]:
    """Write `<out>/feed.<lang>.xml` per language. Enclosure URLs are `base_url` + path relative to `out`."""
    from feedgen.feed import FeedGenerator

    by_lang: dict[str, list[tuple[Path, dict]]] = {}
    for folder, meta in finished(out):
        lang = meta.get("language")
        if lang and (languages is None or lang in languages):
            by_lang.setdefault(lang, []).append((folder, meta))

    written = []
    for lang, items in sorted(by_lang.items()):
        fg = FeedGenerator()
        fg.load_extension("podcast")
        fg.title(xml_text(f"{title} ({lang})"))
        fg.link(href=base_url or "./", rel="alternate")
        fg.description(xml_text(f"{title}: news read in {lang}"))
        fg.language(lang)
        for folder, meta in items:
            entry = audio_entry(meta)
            audio = folder / entry["path"]
            rel = audio.relative_to(out).as_posix()
            fe = fg.add_entry(order="append")
            guid = f"{meta['slug']}/{lang}"  # stable across re-runs, unlike a content hash
            fe.id(guid)
            fe.guid(guid, permalink=False)
            fe.title(xml_text(meta.get("title") or meta["slug"]))
            fe.description(xml_text(meta.get("summary") or meta.get("title") or meta["slug"]))
            url = urljoin(base_url.rstrip("/") + "/", rel) if base_url else rel
            fe.enclosure(url, str(entry["bytes"]), MIME.get(audio.suffix.lstrip("."), "audio/mpeg"))
            fe.pubDate(_published(meta, audio))
            fe.podcast.itunes_duration(round(entry["duration_s"]))
        path = out / f"feed.{lang}.xml"
        atomic_write_bytes(path, fg.rss_str(pretty=True))
        written.append(path)
    return written


def recorded_base_url(out: Path) -> str:
    """The --base-url an earlier run published with (kept in the run manifest), or ''."""
    try:
        url = _read_json(out / "manifest.json").get("base_url", "")
        return check_base_url(url)
    except (OSError, ValueError, AttributeError, TypeError, PipelineError):
        return ""  # not one this program wrote


def write_run_manifest(out: Path, *, base_url: str = "") -> Path:
    """`<out>/manifest.json`: every finished file under `out`, paths relative to `out`. Written after everything else."""
    files, articles = [], []
    for folder, meta in finished(out):
        rel = folder.relative_to(out).as_posix()
        files += [{**f, "path": f"{rel}/{f['path']}"} for f in meta["files"]]
        articles.append({"slug": meta["slug"], "language": meta["language"], "title": meta.get("title"),
                         "manifest": f"{rel}/manifest.json"})
    path = out / "manifest.json"
    data = {"base_url": base_url, "articles": articles, "files": files}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path
