"""A second translation back end for tests, plugged in by name ("word_order:WordOrder" in PIPELINE_TRANSLATORS):
it "translates" by reversing the order of the words, for the pairs in $WORD_ORDER_PAIRS (e.g. "es-en,fr-en").
Nothing in pipeline/ knows it: it fits the interface of pipeline.translate.backends."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

CALLS: list[int] = []  # sentences per translate call, for the cache test


@dataclass(frozen=True)
class WordOrderModel:
    from_code: str
    to_code: str
    version: str

    @property
    def id(self) -> str:
        return f"word-order:{self.from_code}-{self.to_code}@{self.version}"

    def cache_key(self) -> str:
        return json.dumps([self.id])

    def translate(self, texts: Sequence[str]) -> list[str]:
        CALLS.append(len(texts))
        return [" ".join(reversed(t.split())) for t in texts]


class WordOrder:
    def pairs(self) -> list[tuple[str, str]]:
        return [tuple(p.split("-")) for p in os.environ.get("WORD_ORDER_PAIRS", "").split(",") if p]

    def model(self, from_code: str, to_code: str) -> WordOrderModel | None:
        version = os.environ.get("WORD_ORDER_VERSION", "1")
        return WordOrderModel(from_code, to_code, version) if (from_code, to_code) in self.pairs() else None
