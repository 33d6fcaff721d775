"""What a run publishes over all finished language folders under an output root: podcast feeds, run manifest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

from pipeline.files import atomic_write_bytes, atomic_write_text

MIME = {"mp3": "audio/mpeg", "mp2": "audio/mpeg", "wav": "audio/wav"}


def finished(out: Path) -> Iterator[tuple[Path, dict]]:
    """(language folder, its manifest) for every finished article language under `out`, in stable order."""
    for manifest in sorted(out.glob("*/*/manifest.json")):
        try:
            yield manifest.parent, json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            continue  # a folder with an unreadable manifest is unfinished, like one with none


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
        fg.title(f"{title} ({lang})")
        fg.link(href=base_url or "./", rel="alternate")
        fg.description(f"{title}: news read in {lang}")
        fg.language(lang)
        for folder, meta in items:
            entry = audio_entry(meta)
            audio = folder / entry["path"]
            rel = audio.relative_to(out).as_posix()
            fe = fg.add_entry(order="append")
            guid = f"{meta['slug']}/{lang}"  # stable across re-runs, unlike a content hash
            fe.id(guid)
            fe.guid(guid, permalink=False)
            fe.title(meta.get("title") or meta["slug"])
            fe.description(meta.get("summary") or meta.get("title") or meta["slug"])
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
        return json.loads((out / "manifest.json").read_text("utf-8")).get("base_url", "")
    except (OSError, ValueError, AttributeError):
        return ""


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
