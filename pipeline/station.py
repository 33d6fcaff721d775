"""The station: one TOML file that says who publishes (name, author, owner, artwork, category, website, base URL),
what each language's programme opens and closes with (the spoken ident) and what its podcast feed is called.

`run` and `batch` read it with `--station FILE`; the output folder remembers it, so later runs into the same folder
use it without the flag. Nothing here names a real broadcaster: with no station file a programme has no ident.
docs/station.md documents every field, with an example.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from pipeline.errors import PipelineError
from pipeline.language import LANG_CODE

# Apple Podcasts' categories and subcategories (Apple Podcasts for Creators, "Apple Podcasts categories"): a feed
# with any other text is refused by Apple's validator, so the station file is checked against this list.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
                "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
             "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion",
                                "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences",
                "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
               "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# Language names in their own language, for a feed title when the station file gives none.
AUTONYMS = {"ko": "한국어", "en": "English", "zh": "中文", "ja": "日本語", "ru": "Русский", "es": "Español",
            "fr": "Français", "de": "Deutsch", "ar": "العربية", "fa": "فارسی", "vi": "Tiếng Việt", "uk": "Українська"}

EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
MAX_IDENT = 300  # characters: an ident is a sentence or two, not a programme


@dataclass(frozen=True)
class Language:
    """One language's settings. `intro`/`outro` None: not set here (the voice file's own, empty when shipped);
    "" : no ident."""

    intro: str | None = None
    outro: str | None = None
    feed_title: str = ""
    feed_description: str = ""


@dataclass(frozen=True)
class Station:
    name: str = ""
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    artwork: Path | None = None  # a local JPEG or PNG, copied next to the feeds when published
    category: str = "News"
    subcategory: str = ""
    explicit: bool = False
    copyright: str = ""
    website: str = ""
    base_url: str = ""
    locked: bool = True  # podcast:locked: other hosts may not import the feed (protects it from being hijacked)
    languages: dict[str, Language] = field(default_factory=dict, hash=False)
    source: str = ""  # the file it was read from

    def language(self, lang: str) -> Language:
        return self.languages.get(lang) or self.languages.get(lang.split("-")[0]) or Language()

    def idents(self, lang: str, voice) -> tuple[str, str]:
        """The spoken (intro, outro) for a language: the station file's, else the voice file's."""
        own = self.language(lang)
        intro = own.intro if own.intro is not None else voice.intro
        outro = own.outro if own.outro is not None else voice.outro
        return intro.strip(), outro.strip()

    def feed_title(self, lang: str) -> str:
        own = self.language(lang).feed_title
        return own or f"{self.name or 'News'} ({AUTONYMS.get(lang.split('-')[0], lang)})"

    def feed_description(self, lang: str) -> str:
        own = self.language(lang).feed_description
        return own or f"{self.feed_title(lang)}: news articles read aloud, with transcripts."

    def owner(self) -> str:
        return self.owner_name or self.author or self.name


def load(path: Path | str) -> Station:
    """Read and check a station file; every problem names its field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PipelineError(f"station file {path} not found", "check the --station path") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"station file {path} cannot be read: {exc}", "fix the TOML (see docs/station.md)") from exc
    return _validate(data, path)


def _validate(data: dict[str, Any], path: Path) -> Station:
    def bad(key: str, why: str) -> PipelineError:
        return PipelineError(f"station file {path}: '{key}' {why}", "see docs/station.md")

    def text(key: str, value: Any, limit: int = 1000) -> str:
        if not isinstance(value, str):
            raise bad(key, f"must be text, got {value!r}")
        if len(value) > limit or any(ord(c) < 32 and c not in "\n\t" for c in value):
            raise bad(key, f"must be at most {limit} characters of printable text")
        return value.strip()

    known = {f for f in Station.__dataclass_fields__ if f != "source"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise bad(key, f"is not a station field (fields: {', '.join(sorted(known))})")
        if key in ("explicit", "locked"):
            if not isinstance(value, bool):
                raise bad(key, "must be true or false")
            values[key] = value
        elif key == "languages":
            values[key] = _languages(value, bad, text)
        else:
            values[key] = text(key, value)
    if values.get("owner_email") and not EMAIL.fullmatch(values["owner_email"]):
        raise bad("owner_email", f"is not an e-mail address: {values['owner_email']!r}")
    for key in ("website", "base_url"):
        if values.get(key):
            try:
                values[key] = public_url(values[key])
            except PipelineError as exc:
                raise bad(key, exc.problem) from None
    category = values.setdefault("category", "News")
    if category not in APPLE_CATEGORIES:
        raise bad("category", f"is not an Apple Podcasts category: {category!r} (one of: {', '.join(APPLE_CATEGORIES)})")
    sub = values.get("subcategory", "")
    if sub and sub not in APPLE_CATEGORIES[category]:
        subs = ", ".join(APPLE_CATEGORIES[category]) or "none"
        raise bad("subcategory", f"is not a subcategory of {category}: {sub!r} (one of: {subs})")
    if values.get("artwork"):
        artwork = (path.parent / values["artwork"]).resolve()
        if not artwork.is_file():
            raise bad("artwork", f"names no file: {artwork}")
        if artwork.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            raise bad("artwork", "must be a .jpg or .png file (what Apple Podcasts accepts)")
        values["artwork"] = artwork
    else:
        values.pop("artwork", None)
    return Station(**values, source=str(path.resolve()))


def _languages(value: Any, bad, text) -> dict[str, Language]:
    if not isinstance(value, dict):
        raise bad("languages", "must be tables such as [languages.ko]")
    out = {}
    for lang, table in value.items():
        if not LANG_CODE.fullmatch(lang) or not isinstance(table, dict):
            raise bad(f"languages.{lang}", "must be a table named by a language code, such as [languages.ko]")
        fields_ = {}
        for key, v in table.items():
            where = f"languages.{lang}.{key}"
            if key not in Language.__dataclass_fields__:
                raise bad(where, f"is not a language setting ({', '.join(Language.__dataclass_fields__)})")
            fields_[key] = text(where, v, MAX_IDENT if key in ("intro", "outro") else 4000)
        out[lang] = Language(**fields_)
    return out


def public_url(url: str) -> str:
    """An absolute http(s) URL with its path percent-encoded (a space becomes %20; existing %XX escapes are kept).
    Podcast apps and Apple's validator refuse relative or unencoded URLs."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PipelineError(f"{url!r} is not an absolute http(s) URL", "give one like https://example.org/podcast/")
    if parts.fragment:
        raise PipelineError(f"{url!r} has a #fragment", "give the address of the folder, without '#...'")
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~-._")
    query = quote(parts.query, safe="=&%:@!$'()*+,;/?~-._")
    netloc = parts.netloc
    if not netloc.isascii():  # an internationalised host name, in the ASCII form feeds must carry
        try:
            netloc = parts.hostname.encode("idna").decode("ascii") + (f":{parts.port}" if parts.port else "")
        except (UnicodeError, ValueError) as exc:
            raise PipelineError(f"{url!r} has a host name that cannot be encoded ({exc})",
                                "give the address as plain ASCII") from None
    if any(c in netloc for c in " <>\"{}|\\^`"):
        raise PipelineError(f"{url!r} has a space or a forbidden character in its host name", "check the address")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def base_url(url: str) -> str:
    """The public address of the output folder, ending in '/', so relative paths join under it."""
    url = public_url(url)
    if "?" in url:
        raise PipelineError(f"base URL {url!r} has a ?query", "give the address of the output folder itself")
    return url if url.endswith("/") else url + "/"


def join(base: str, rel: str) -> str:
    """`base` (from `base_url`) + a path under the output folder, percent-encoded."""
    return base + quote(rel, safe="/~-._")


# --- remembered between runs ----------------------------------------------------------------------------------


def remembered(out: Path) -> str | None:
    """The --station an earlier run into `out` used (a station file path or a name), or None."""
    from pipeline.cache import state_dir

    try:
        return json.loads((state_dir(out) / "station.json").read_text("utf-8"))["station"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(out: Path, value: str) -> None:
    from pipeline.cache import state_dir
    from pipeline.files import atomic_write_text

    atomic_write_text(state_dir(out) / "station.json", json.dumps({"station": value}, ensure_ascii=False) + "\n")


def resolve(value: str | None, out: Path) -> Station:
    """The station for a run into `out`: `value` (a station file, or just a name) when given, and then remembered
    for later runs (outside the published folder: it may hold a local path); else the one remembered; else none."""
    if value is not None:
        station = from_option(value)
        remember(out, station.source or value)
        return station
    recorded = remembered(out)
    if recorded is None:
        return Station()
    try:
        return from_option(recorded)
    except PipelineError as exc:
        raise PipelineError(f"the station an earlier run used here is unusable: {exc.problem}",
                            "pass --station FILE again") from None


def from_option(value: str) -> Station:
    """`--station station.toml` reads that file; any other value is a station name alone (no ident, no owner)."""
    if value.endswith(".toml") or "/" in value:
        return load(Path(value).expanduser())
    if not value.strip() or len(value) > 200 or any(ord(c) < 32 for c in value):
        raise PipelineError(f"station name {value!r} is empty or not printable", "give a station file or a short name")
    return replace(Station(), name=value.strip())
