"""CTranslate2 + SentencePiece inference on an argos package, batched, models kept loaded in the process."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class EngineSettings:
    # More threads than cores made CTranslate2 10x slower on a shared 2-core machine: one by default.
    intra_threads: int = int(os.environ.get("PIPELINE_TRANSLATE_THREADS", "1"))
    beam_size: int = 4
    max_batch_size: int = 8  # measured best here (8: 18, 16: 11, 32: 10 sentences/s on the bench model)
    compute_type: str = "auto"  # int8 where the CPU supports it, see _compute_type

    def key(self) -> dict:
        return asdict(self) | {"compute_type": _compute_type(self.compute_type)}


@functools.cache
def _compute_type(requested: str) -> str:
    if requested != "auto":
        return requested
    import ctranslate2

    return "int8" if "int8" in ctranslate2.get_supported_compute_types("cpu") else "default"


def length_order(lengths: Sequence[int]) -> list[int]:
    """Indices longest first: CTranslate2 cuts the sorted list into batches of similar length (little padding)."""
    return sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))


class Engine:
    """One loaded package. `calls` counts translate_batch calls (the cache is tested with it)."""

    def __init__(self, package_dir: Path, settings: EngineSettings, target_prefix: str = ""):
        import ctranslate2
        import sentencepiece

        self.settings = settings
        self.target_prefix = target_prefix
        self.translator = ctranslate2.Translator(
            str(package_dir / "model"), device="cpu", compute_type=_compute_type(settings.compute_type),
            intra_threads=settings.intra_threads, inter_threads=1)
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
        self.calls = 0
        self.order: list[int] = []  # last length order, for tests

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate sentences; output i is the translation of input i."""
        if not texts:
            return []
        tokens = [self.sp.encode(t, out_type=str) for t in texts]
        self.order = length_order([len(t) for t in tokens])
        src = [tokens[i] for i in self.order]
        prefix = [self.target_prefix] if self.target_prefix else None
        # One call for the whole article; max_batch_size splits it into length-homogeneous batches.
        results = self.translator.translate_batch(
            src, beam_size=self.settings.beam_size, max_batch_size=self.settings.max_batch_size,
            max_decoding_length=2 * len(src[0]) + 16, target_prefix=[prefix] * len(src) if prefix else None)
        self.calls += 1
        out: list[str] = [""] * len(texts)
        for i, result in zip(self.order, results):
            hyp = result.hypotheses[0]
            if prefix and hyp[:1] == prefix:
                hyp = hyp[1:]
            out[i] = self.sp.decode(hyp).strip()
        return out


_loaded: dict[tuple, Engine] = {}
_lock = threading.Lock()


def load(package_dir: Path, settings: EngineSettings, target_prefix: str = "") -> Engine:
    key = (str(Path(package_dir).resolve()), settings, target_prefix)
    with _lock:
        if key not in _loaded:
            _loaded[key] = Engine(Path(package_dir), settings, target_prefix)
        return _loaded[key]


def unload() -> None:
    with _lock:
        _loaded.clear()
