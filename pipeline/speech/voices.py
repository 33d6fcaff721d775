"""Voice profiles: one TOML file per voice, loaded into a frozen `Voice` and validated field by field.

A voice says what is read (language, lexicon, pauses, announcements) and which engines may read it, in order of
preference, each with its own `[engine.NAME]` table that the engine itself validates. The first engine that is
available on this machine speaks (`Voice.speaker()`); when it is not the first, the summary, manifest and report
say so and why.

Profiles are looked up in `$PIPELINE_VOICES_DIR` when set, then in the user's voices folder (`<data dir>/voices`,
where `pipeline voices install` writes profiles for installed voices; a profile there named like a shipped one, e.g.
`en`, replaces it), then in the project's `voices/`.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from pipeline.errors import PipelineError
from pipeline.speech.engines import Status, contract, is_engine_name, settings_for

DEFAULT_VOICE = "ko"
_TOP = ("language", "engines", "engine", "sentence_pause_s", "paragraph_pause_s", "intro", "outro", "notes",
        "lexicon", "name")
_MOVED = ("voice_id", "rate", "pitch", "volume", "frontend")  # top-level eSpeak fields of the old format


@dataclass(frozen=True)
class EngineChoice:
    name: str
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)
    notes: str = ""  # what this engine cannot do with this voice

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def status(self) -> Status:
        return contract(self.name).status(self.settings)


@dataclass(frozen=True)
class Speaker:
    """The engine that speaks for a voice on this machine, and the preferred ones it stands in for."""

    voice: str
    engine: str
    settings: Mapping[str, Any] = field(hash=False)
    status: Status
    skipped: tuple[tuple[str, str], ...] = ()  # (engine, why unavailable) for preferred engines passed over

    @property
    def fallback(self) -> bool:
        return bool(self.skipped)

    def note(self) -> str:
        """One line for the summary, manifest and report: who speaks, and why not the preferred engine."""
        line = f"{self.engine}: {self.status.describe}"
        if self.skipped:
            why = "; ".join(f"{name} unavailable: {reason}" for name, reason in self.skipped)
            line += f" (fallback: {why})"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {"voice": self.voice, "engine": self.engine, "describe": self.status.describe, "build": self.status.build,
                "fallback": self.fallback, "skipped": [{"engine": n, "reason": r} for n, r in self.skipped]}


# Pauses are a language's and a speaker's pace, so the voice is their one owner; `pipeline master`, which has no
# voice, takes these as its defaults.
SENTENCE_PAUSE_S = 0.5
PARAGRAPH_PAUSE_S = 1.0


@dataclass(frozen=True)
class Voice:
    name: str
    language: str
    engines: tuple[EngineChoice, ...]  # in order of preference
    sentence_pause_s: float = SENTENCE_PAUSE_S
    paragraph_pause_s: float = PARAGRAPH_PAUSE_S
    intro: str = ""
    outro: str = ""
    lexicon: Mapping[str, str] = field(default_factory=dict, hash=False)  # word -> spoken form (text)
    notes: str = ""
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # A read-only view keeps the frozen dataclass honest; the lexicon is compared but left out of the hash.
        object.__setattr__(self, "lexicon", MappingProxyType(dict(self.lexicon)))

    def speaker(self) -> Speaker:
        """The first available engine, or PipelineError naming why none is."""
        return _speaker(self)

    @property
    def engine(self) -> str:
        return self.speaker().engine

    def settings(self) -> dict[str, Any]:
        """The speaking engine's settings (plain JSON, for the synthesis worker)."""
        return dict(self.speaker().settings)

    def cache_key(self) -> str:
        """Stable key of everything that changes a clip's audio for a given engine input: the engine, its build
        (versions, model checksums) and its settings. The text side (language, lexicon) changes the engine input,
        the other half of a clip's key; pauses and intro/outro belong to the programme, not to a clip."""
        s = self.speaker()
        return json.dumps({"engine": s.engine, "engine_build": s.status.build, "settings": dict(s.settings)},
                          sort_keys=True, ensure_ascii=False)

    def using(self, engine: str, **settings: Any) -> "Voice":
        """This voice spoken by one engine only (its table from this voice, updated with `settings`)."""
        table = next((dict(c.settings) for c in self.engines if c.name == engine), {})
        table = {k: v for k, v in {**table, **settings}.items() if k != "language"}
        notes = next((c.notes for c in self.engines if c.name == engine), "")
        checked = settings_for(engine, table, self.language, self.source or self.name)
        return replace(self, engines=(EngineChoice(engine, checked, notes),))


def forget_engines() -> None:
    """Forget which engine speaks each voice (after PIPELINE_ESPEAK or an install changed what is available)."""
    _speaker.cache_clear()


@functools.cache
def _speaker(voice: Voice) -> Speaker:
    skipped = []
    for choice in voice.engines:
        status = choice.status()
        if status.available:
            return Speaker(voice.name, choice.name, choice.settings, status, tuple(skipped))
        skipped.append((choice.name, status.reason))
    why = "; ".join(f"{n}: {r}" for n, r in skipped)
    raise PipelineError(f"voice {voice.name!r}: no speech engine is available ({why})",
                        "install what the first reason names, or run pipeline doctor")


# --- files ---------------------------------------------------------------------------------------------------------


def voices_dir() -> Path:
    """The folder of voice profiles this project ships, or $PIPELINE_VOICES_DIR."""
    env = os.environ.get("PIPELINE_VOICES_DIR")
    if env:
        return Path(env)
    import pipeline

    return Path(pipeline.__file__).resolve().parents[1] / "voices"


def user_voices_dir() -> Path:
    from pipeline.speech.engines.piper import data_dir

    return data_dir() / "voices"


def _folders() -> list[Path]:
    order = [voices_dir(), user_voices_dir()] if os.environ.get("PIPELINE_VOICES_DIR") else [user_voices_dir(), voices_dir()]
    return [d for d in order if d.is_dir()]


def list_voices() -> tuple[str, ...]:
    """Names of the voice profiles found, sorted (a name found first hides the same name in a later folder)."""
    return tuple(sorted({p.stem for d in _folders() for p in d.glob("*.toml")}))


def load_voice(name_or_path: str | Path = DEFAULT_VOICE) -> Voice:
    """Load and validate a voice profile by name (`<voices folder>/<name>.toml`) or by path to a TOML file."""
    path = Path(name_or_path)
    if path.suffix != ".toml" and os.sep not in str(name_or_path):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(name_or_path)) or str(name_or_path).startswith("."):
            raise PipelineError(f"voice name {str(name_or_path)!r} is not valid", "use letters, digits, '_', '.', '-'")
        found = [d / f"{name_or_path}.toml" for d in _folders() if (d / f"{name_or_path}.toml").is_file()]
        path = found[0] if found else voices_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(list_voices()) or "none"
        raise PipelineError(f"no voice profile {str(name_or_path)!r} ({path} not found)", f"known voices: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{path}: not valid TOML: {exc}", "fix the file's syntax") from None
    return voice_from_dict(data, name=path.stem, source=str(path))


def voice_from_dict(data: Mapping[str, Any], *, name: str, source: str = "<voice>") -> Voice:
    """Validate every field (type and range) and build a Voice; errors name the source, the field and what is allowed."""
    moved = sorted(set(data) & set(_MOVED))
    if moved or isinstance(data.get("engine"), str):
        raise PipelineError(
            f"{source}: old voice format ({', '.join(moved) or 'engine = ...'} at the top level)",
            "list engines = [\"espeak\"] and put voice_id, rate, pitch, volume, frontend under [engine.espeak] "
            "(docs/speech.md)",
        )
    unknown = sorted(set(data) - set(_TOP))
    if unknown:
        raise PipelineError(f"{source}: unknown field(s) {', '.join(unknown)}", f"allowed: {', '.join(_TOP[:-1])}")

    def bad(key: str, allowed: str) -> PipelineError:
        return PipelineError(f"{source}: field {key!r} = {data[key]!r} is not valid", f"allowed: {allowed}")

    def number(key: str, lo: float, hi: float, unit: str) -> float:
        value = data.get(key)
        if value is None:
            return Voice.__dataclass_fields__[key].default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise bad(key, f"a number from {lo} to {hi}{unit}")
        return float(value)

    def text(key: str, pattern: str | None = None, allowed: str = "a string") -> str:
        if key not in data:
            return ""
        value = data[key]
        if not isinstance(value, str) or (pattern and not re.fullmatch(pattern, value)):
            raise bad(key, allowed)
        return value

    if "language" not in data:
        raise PipelineError(f"{source}: missing field 'language'", "add it, e.g. language = \"ko\"")
    language = text("language", "|".join(_languages()), f"a language with a normaliser: {', '.join(_languages())}")
    name = text("name", r"[A-Za-z0-9_.-]+", "letters, digits, '_', '.', '-'") or name
    return Voice(
        name=name,
        language=language,
        engines=_engines(data, language, source),
        sentence_pause_s=number("sentence_pause_s", 0, 10, " seconds"),
        paragraph_pause_s=number("paragraph_pause_s", 0, 20, " seconds"),
        intro=text("intro"),
        outro=text("outro"),
        notes=text("notes"),
        lexicon=_lexicon(data.get("lexicon", {}), source),
        source=source,
    )


def _engines(data: Mapping[str, Any], language: str, source: str) -> tuple[EngineChoice, ...]:
    names = data.get("engines", ["espeak"])
    tables = data.get("engine", {})
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and is_engine_name(n) for n in names) \
            or len(set(names)) != len(names):
        raise PipelineError(f"{source}: field 'engines' = {names!r} is not valid",
                            "allowed: a list of engine names in order of preference, e.g. [\"kokoro\", \"espeak\"]")
    if not isinstance(tables, Mapping):
        raise PipelineError(f"{source}: 'engine' must hold tables", "write [engine.NAME] tables")
    extra = sorted(set(tables) - set(names))
    if extra:
        raise PipelineError(f"{source}: [engine.{extra[0]}] is not in engines = {names}", "add it to the list or remove the table")
    out = []
    for n in names:
        table = dict(tables.get(n, {})) if isinstance(tables.get(n, {}), Mapping) else tables[n]
        notes = table.pop("notes", "") if isinstance(table, dict) else ""
        if not isinstance(notes, str):
            raise PipelineError(f"{source}: [engine.{n}] notes must be a string", "write notes = \"...\"")
        out.append(EngineChoice(n, settings_for(n, table, language, source), notes))
    return tuple(out)


def _languages() -> tuple[str, ...]:
    from pipeline.speech.normalise import supported_languages

    return supported_languages()


def _lexicon(lexicon: Any, source: str) -> dict[str, str]:
    if not isinstance(lexicon, Mapping):
        raise PipelineError(f"{source}: field 'lexicon' must be a table", "write [lexicon] then lines WORD = \"spoken form\"")
    for word, spoken in lexicon.items():
        if not word.strip() or not isinstance(spoken, str) or not spoken.strip():
            raise PipelineError(
                f"{source}: lexicon entry {word!r} = {spoken!r} is not valid",
                "use a non-empty word and a non-empty spoken form",
            )
        if "[[" in spoken or "]]" in spoken:
            raise PipelineError(
                f"{source}: lexicon entry {word!r} = {spoken!r} holds eSpeak phonemes",
                "[lexicon] values are text for every engine; put eSpeak phonemes (without [[ ]]) under "
                "[engine.espeak.lexicon]",
            )
    return dict(lexicon)
