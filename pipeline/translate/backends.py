"""Machine translation back ends behind one interface, chosen by name like speech engines.

A back end (`Translator`) says which language pairs it has and gives a `Model` for one pair. A model is cheap to
make (it loads its weights on first use), names itself (`id`, shown in manifests and PO files), says everything
that decides its output (`cache_key`) and translates a batch of sentences 1:1. Routing, pivoting through English,
the cache, the glossary and the PO loop (pipeline.translate) only use this interface.

Which back ends, in order of preference: $PIPELINE_TRANSLATORS, a comma list of registry names or
"package.module:Class" (any class with this interface, constructed with no arguments); default "argos".
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.errors import PipelineError

PIVOT = "en"
TRANSLATORS = {"argos": "pipeline.translate.argos:Argos"}


class Model(Protocol):
    id: str  # back end, pair and version, e.g. "argos:en-ko@1.1"

    def cache_key(self) -> str: ...  # everything that decides the output: identity, version, settings

    def translate(self, texts: Sequence[str]) -> list[str]: ...  # output i translates input i


class Translator(Protocol):
    def pairs(self) -> Iterable[tuple[str, str]]: ...

    def model(self, from_code: str, to_code: str) -> Model | None: ...


@dataclass(frozen=True)
class Route:
    """Models to chain for one language pair: one (direct) or two (through English), maybe of two back ends."""

    models: tuple[Model, ...]

    @property
    def id(self) -> str:
        return " > ".join(m.id for m in self.models)

    def cache_key(self) -> str:
        return json.dumps([m.cache_key() for m in self.models], ensure_ascii=False)

    def translate(self, texts: Sequence[str]) -> list[str]:
        out = list(texts)
        for model in self.models:
            if out:
                out = model.translate(out)
        if len(out) != len(texts):
            raise PipelineError(f"translation back end {self.id} returned {len(out)} sentences for {len(texts)}",
                                "this is a bug in that back end")
        return out


def names() -> list[str]:
    return [n.strip() for n in os.environ.get("PIPELINE_TRANSLATORS", "argos").split(",") if n.strip()]


def load(chosen: Sequence[str] | None = None) -> list[Translator]:
    """The back ends by name (registry name or "module:Class"), in order of preference."""
    found = []
    for name in names() if chosen is None else chosen:
        path = TRANSLATORS.get(name, name)
        module, _, cls = path.partition(":")
        try:
            found.append(getattr(importlib.import_module(module), cls)())
        except (ImportError, AttributeError, ValueError, TypeError) as exc:
            raise PipelineError(f"translation back end {name!r} cannot be loaded: {type(exc).__name__}: {exc}",
                                f"use one of {', '.join(TRANSLATORS)} or a 'package.module:Class' "
                                "(PIPELINE_TRANSLATORS)") from None
    return found


def _model(translators: Sequence[Translator], from_code: str, to_code: str) -> Model | None:
    return next((m for t in translators if (m := t.model(from_code, to_code)) is not None), None)


def route(from_code: str, to_code: str, translators: Sequence[Translator] | None = None) -> Route | None:
    """Direct from the first back end that has the pair, else through English (each hop from any back end)."""
    translators = load() if translators is None else translators
    if direct := _model(translators, from_code, to_code):
        return Route((direct,))
    if PIVOT not in (from_code, to_code):
        first, second = _model(translators, from_code, PIVOT), _model(translators, PIVOT, to_code)
        if first and second:
            return Route((first, second))
    return None


def pivot_pairs(translators: Sequence[Translator]) -> list[tuple[str, str]]:
    """Pairs reachable only by pivoting through English."""
    pairs = {p for t in translators for p in t.pairs()}
    return sorted({(a, d) for a, b in pairs for c, d in pairs
                   if b == PIVOT and c == PIVOT and a != d and (a, d) not in pairs})
