"""Voice profiles: one TOML file per voice under `voices/`, loaded into a frozen `Voice` and validated field by field."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from pipeline.errors import PipelineError

DEFAULT_VOICE = "ko"
ENGINES = ("pyttsx3",)  # built-in engine names; a "package.module:Class" path plugs in another (see engine.py)
FRONTENDS = ("plain", "ko-phonemes")


@dataclass(frozen=True)
class Voice:
    name: str
    language: str
    engine: str = "pyttsx3"
    voice_id: str = "en"  # eSpeak NG voice name (in a profile, defaults to the language code), optionally with a variant: "ko", "ko+klatt"
    rate: int = 175  # words per minute
    pitch: int = 50  # eSpeak base pitch, 0-100
    volume: float = 1.0  # 0-1
    sentence_pause_s: float = 0.5
    paragraph_pause_s: float = 1.0
    intro: str = ""
    outro: str = ""
    lexicon: Mapping[str, str] = field(default_factory=dict, hash=False)  # word -> spoken form, or "[[...]]" eSpeak phonemes
    frontend: str = "plain"  # "ko-phonemes": Korean pronunciation rules, fed to eSpeak as phoneme mnemonics
    notes: str = ""  # what this engine voice cannot do

    def __post_init__(self) -> None:
        # A read-only view keeps the frozen dataclass honest; the lexicon is compared but left out of the hash.
        object.__setattr__(self, "lexicon", MappingProxyType(dict(self.lexicon)))

    def cache_key(self) -> str:
        """Stable key of everything that changes a clip's audio for a given engine input.

        The text-side settings (language, lexicon, frontend) are not in it: they change the engine input
        (`speech_input`), which is the other half of a synthesis cache key, so editing the lexicon re-synthesises
        only the sentences it touches. Pauses and intro/outro belong to the programme, not to a clip.
        """
        from pipeline.speech.engine import engine_build

        return json.dumps(
            {
                "engine": self.engine,
                "engine_build": engine_build(self.engine),
                "voice_id": self.voice_id,
                "rate": self.rate,
                "pitch": self.pitch,
                "volume": self.volume,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    def settings(self) -> dict[str, Any]:
        """The engine settings a synthesis worker needs (plain JSON)."""
        return {"voice_id": self.voice_id, "rate": self.rate, "pitch": self.pitch, "volume": self.volume}


_FIELDS = tuple(Voice.__dataclass_fields__)


def voices_dir() -> Path:
    env = os.environ.get("PIPELINE_VOICES_DIR")
    if env:
        return Path(env)
    import pipeline

    return Path(pipeline.__file__).resolve().parents[1] / "voices"


def list_voices() -> tuple[str, ...]:
    """Names of the voice profiles in `voices_dir()`, sorted."""
    folder = voices_dir()
    return tuple(sorted(p.stem for p in folder.glob("*.toml"))) if folder.is_dir() else ()


def load_voice(name_or_path: str | Path = DEFAULT_VOICE) -> Voice:
    """Load and validate a voice profile by name (`voices/<name>.toml`) or by path to a TOML file."""
    path = Path(name_or_path)
    if path.suffix != ".toml" and os.sep not in str(name_or_path):
        path = voices_dir() / f"{name_or_path}.toml"
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
    unknown = sorted(set(data) - set(_FIELDS) - {"name"})
    if unknown:
        raise PipelineError(f"{source}: unknown field(s) {', '.join(unknown)}", f"allowed: {', '.join(_FIELDS[1:])}")

    def bad(key: str, allowed: str) -> PipelineError:
        return PipelineError(f"{source}: field {key!r} = {data[key]!r} is not valid", f"allowed: {allowed}")

    def number(key: str, lo: float, hi: float, *, integer: bool, unit: str = "") -> None:
        value = data[key]
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or not lo <= value <= hi:
            kind = "an integer" if integer else "a number"
            raise bad(key, f"{kind} from {lo} to {hi}{unit}")

    def text(key: str, pattern: str | None = None, allowed: str = "a string") -> None:
        value = data[key]
        if not isinstance(value, str) or (pattern and not re.fullmatch(pattern, value)):
            raise bad(key, allowed)

    for key in ("language",):
        if key not in data:
            raise PipelineError(f"{source}: missing field {key!r}", "add it, e.g. language = \"ko\"")
    checks = {
        "name": lambda k: text(k, r"[A-Za-z0-9_.-]+", "letters, digits, '_', '.', '-'"),
        "language": lambda k: text(k, "|".join(_languages()), f"a language with a normaliser: {', '.join(_languages())}"),
        "engine": lambda k: text(
            k, r"pyttsx3|[A-Za-z_][\w.]*:[A-Za-z_]\w*", "pyttsx3, or an engine class as 'package.module:Class'"
        ),
        "voice_id": lambda k: text(k, r"[A-Za-z0-9_./-]+(\+[A-Za-z0-9_-]+)?", "an eSpeak NG voice such as ko or ko+klatt"),
        "rate": lambda k: number(k, 80, 450, integer=True, unit=" words per minute"),
        "pitch": lambda k: number(k, 0, 100, integer=True),
        "volume": lambda k: number(k, 0, 1, integer=False),
        "sentence_pause_s": lambda k: number(k, 0, 10, integer=False, unit=" seconds"),
        "paragraph_pause_s": lambda k: number(k, 0, 20, integer=False, unit=" seconds"),
        "intro": text,
        "outro": text,
        "notes": text,
        "frontend": lambda k: text(k, "|".join(map(re.escape, FRONTENDS)), " or ".join(FRONTENDS)),
        "lexicon": lambda k: _check_lexicon(data[k], source),
    }
    for key in data:
        checks[key](key)
    if data.get("frontend") == "ko-phonemes" and not data["language"].startswith("ko"):
        raise bad("frontend", "ko-phonemes only with language = \"ko\"")
    values = {k: v for k, v in data.items() if k != "name"}
    values.setdefault("voice_id", data["language"])  # eSpeak NG voices are mostly named by language code
    for key in ("volume", "sentence_pause_s", "paragraph_pause_s"):
        if key in values:
            values[key] = float(values[key])
    return Voice(name=data.get("name", name), **values)


def _languages() -> tuple[str, ...]:
    from pipeline.speech.normalise import supported_languages

    return supported_languages()


def _check_lexicon(lexicon: Any, source: str) -> None:
    if not isinstance(lexicon, Mapping):
        raise PipelineError(f"{source}: field 'lexicon' must be a table", "write [lexicon] then lines WORD = \"spoken form\"")
    for word, spoken in lexicon.items():
        if not word.strip() or not isinstance(spoken, str) or not spoken.strip():
            raise PipelineError(
                f"{source}: lexicon entry {word!r} = {spoken!r} is not valid",
                "use a non-empty word and a non-empty spoken form (text, or eSpeak phonemes in [[...]])",
            )
        if spoken.strip().startswith("[[") != spoken.strip().endswith("]]") or spoken.count("[[") != spoken.count("]]"):
            raise PipelineError(
                f"{source}: lexicon entry {word!r} = {spoken!r} has unbalanced [[ ]]",
                "write eSpeak phonemes as [[...]] around the whole value",
            )
