"""Speech engines as plug-ins: one registry, chosen per voice by name.

An engine is a class with this shape (see `Engine`); the parent process uses its class methods (settings,
status, input preparation: pure and cheap), a synthesis worker process instantiates it and calls `synth`.

Where an engine comes from, by the name a voice file gives:
- a module of this package (`espeak`, `kokoro`, `piper`): its `ENGINE` class;
- an installed distribution's entry point in the group `pipeline.speech_engines` (third-party engines, the way
  beets and pytest find plug-ins);
- "package.module:Class", an importable class (a studio's own engine, or a test's fake).
Adding an engine is one new module and a voice file that names it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from importlib import metadata

ENTRY_POINT_GROUP = "pipeline.speech_engines"
_CLASS_PATH = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")
_NAME = re.compile(r"[a-z][a-z0-9_-]*")

# Code-made phoneme spans (from an engine's own lexicon table) travel through normalisation between these two
# private-use characters. Input text never carries them: `speech_input` deletes every private-use character first,
# so only code the pipeline runs can ask an engine for phoneme input.
PHONEMES_OPEN, PHONEMES_CLOSE = "\uf8f0", "\uf8f1"
PHONEME_SPAN = re.compile(f"{PHONEMES_OPEN}([^{PHONEMES_OPEN}{PHONEMES_CLOSE}]*){PHONEMES_CLOSE}")


class EngineError(Exception):
    """An engine refused an input or a setting (raised inside the worker, reported to the parent as a message)."""


@dataclass(frozen=True)
class Status:
    available: bool
    reason: str  # why not, and how to fix it ("" when available)
    build: str  # versions and model checksums: part of every clip's cache key
    describe: str = ""  # one line for people: what speaks (engine, model, voice)


class Engine:
    """Base class and contract of a speech engine. Subclasses set the class variables and override what differs."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""  # for people: "eSpeak NG", "Kokoro-82M"
    input_kind: ClassVar[str] = "text"  # what `synth` takes: "text", "ipa" (IPA phonemes) or "espeak" (eSpeak input)
    sample_rate: int = 0

    # --- parent side: pure, cheap -----------------------------------------------------------------------------
    @classmethod
    def check_settings(cls, table: Mapping[str, Any], language: str, source: str) -> dict[str, Any]:
        """Validate the voice file's `[engine.NAME]` table; return the complete settings (plain JSON)."""
        if table:
            raise PipelineError(f"{source}: engine {cls.name!r} takes no settings, got {', '.join(table)}")
        return {}

    @classmethod
    def status(cls, settings: Mapping[str, Any]) -> Status:
        """Whether this engine can run here with these settings, and its build identity."""
        return Status(True, "", cls.name, cls.label or cls.name)

    @classmethod
    def tool(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The external part that speaks, for manifests, `--json`, the report and `pipeline doctor`: name, version,
        path, origin (call only when available)."""
        return {"name": cls.label or cls.name}

    @classmethod
    def lexicon(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        """Extra word -> spoken form entries this engine adds to the voice lexicon (e.g. its phoneme spellings,
        wrapped in PHONEMES_OPEN/CLOSE)."""
        return {}

    @classmethod
    def prepare(cls, text: str, language: str, settings: Mapping[str, Any]) -> str:
        """Normalised text -> the exact engine input (what `synth` gets, and what clip cache keys hash)."""
        return plain(text)

    # --- worker side ------------------------------------------------------------------------------------------
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def synth(self, engine_input: str) -> bytes:
        """Engine input -> 16-bit mono PCM at `self.sample_rate`."""
        raise NotImplementedError


def plain(text: str) -> str:
    """Text with code-made phoneme spans reduced to nothing: for engines that take text only."""
    return PHONEME_SPAN.sub(" ", text).replace(PHONEMES_OPEN, "").replace(PHONEMES_CLOSE, "")


@functools.cache
def builtin_names() -> tuple[str, ...]:
    import pkgutil

    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")))


def _entry_points() -> dict[str, metadata.EntryPoint]:
    from importlib import metadata  # 40 ms: not in a synthesis worker's start, which never looks plug-ins up

    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def known_names() -> tuple[str, ...]:
    return tuple(sorted({*builtin_names(), *_entry_points()}))


def is_engine_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name) or _CLASS_PATH.fullmatch(name))


@functools.cache
def engine_class(name: str) -> type[Engine]:
    """The engine class for a voice's engine name (built-in, entry point, or "package.module:Class")."""
    if name in builtin_names():
        module, attr = f"{__name__}.{name}", "ENGINE"
    elif name in _entry_points():
        module, _, attr = _entry_points()[name].value.partition(":")
    elif _CLASS_PATH.fullmatch(name):
        module, _, attr = name.partition(":")
    else:
        raise PipelineError(f"no speech engine {name!r}", f"known engines: {', '.join(known_names())}")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise PipelineError(f"cannot load speech engine {name!r}: {exc}", "check the engine name in the voice file") from None


def contract(name: str) -> type[Engine]:
    """The engine class with the parent-side contract filled in: a bare "package.module:Class" engine (only
    `__init__`, `sample_rate`, `synth`) gets the base class's settings, status and text input."""
    cls = engine_class(name)
    if isinstance(cls, type) and issubclass(cls, Engine):
        return cls
    return type(cls.__name__, (Engine,), {"name": name, "label": name})


def settings_for(name: str, table: Any, language: str, source: str) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise PipelineError(f"{source}: [engine.{name}] must be a table", f"write [engine.{name}] then key = value lines")
    try:
        cls = contract(name)
    except PipelineError as exc:
        raise PipelineError(f"{source}: {exc.problem}", exc.fix) from None
    return cls.check_settings(table, language, source)


@dataclass(frozen=True)
class Field:
    """One setting of an engine table: its default and what is allowed."""

    default: Any
    lo: float | None = None  # numbers: range
    hi: float | None = None
    choices: tuple[str, ...] = ()
    pattern: str = ""  # strings: a regular expression the whole value must match
    allowed: str = ""  # how to say what is allowed, when the above does not say it well


def check_table(engine: str, table: Mapping[str, Any], fields: Mapping[str, Field], source: str) -> dict[str, Any]:
    """Validate an `[engine.NAME]` table against `fields` (type from the default); return it with defaults filled."""
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise PipelineError(f"{source}: [engine.{engine}] has unknown setting(s) {', '.join(unknown)}",
                            f"allowed: {', '.join(fields)}")
    out = {}
    for key, spec in fields.items():
        out[key] = _checked(engine, key, table[key], spec, source) if key in table else spec.default
    return out


def _checked(engine: str, key: str, value: Any, spec: Field, source: str) -> Any:
    def bad(allowed: str) -> PipelineError:
        return PipelineError(f"{source}: [engine.{engine}] {key} = {value!r} is not valid", f"allowed: {allowed}")

    default = spec.default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if isinstance(default, (int, float)):
        integer = isinstance(default, int)
        ok = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or not spec.lo <= value <= spec.hi:
            raise bad(spec.allowed or f"{'an integer' if integer else 'a number'} from {spec.lo} to {spec.hi}")
        return value if integer else float(value)
    if isinstance(default, str):
        if not isinstance(value, str) or (spec.choices and value not in spec.choices) or (
            spec.pattern and not re.fullmatch(spec.pattern, value)
        ):
            raise bad(spec.allowed or (" or ".join(spec.choices) if spec.choices else "a string"))
        return value
    if isinstance(default, Mapping):
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            raise bad(spec.allowed or "a table of non-empty word = \"value\" lines")
        return dict(value)
    raise TypeError(f"unsupported setting type for {key}")


def module_available(*modules: str) -> str:
    """The first of `modules` that cannot be imported here, or "" (without importing any of them)."""
    for module in modules:
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except (ImportError, ValueError):
            return module
    return ""


def version_of(dist: str) -> str:
    from pipeline import dists

    return dists.version(dist) or "?"
