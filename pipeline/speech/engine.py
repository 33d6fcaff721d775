"""eSpeak NG through pyttsx3's ctypes binding: the engine a synthesis worker runs.

Which libespeak-ng (the espeakng-loader wheel's or the system's, `PIPELINE_ESPEAK`) is decided in `pipeline.espeak`,
which maps it before pyttsx3's binding opens `libespeak-ng.so.1` by name.

Why not pyttsx3's `Engine`/`EspeakDriver` loop: it calls `espeak_Synth` without the SSML and PHONEMES flags (so
`[[...]]` phonemes and SSML tags are read aloud as text), hard-codes 22050 Hz, prints to stdout, polls every 10 ms and
is known to hang on repeated `save_to_file` + `runAndWait` (pyttsx3 #126, #194, #219). Its ctypes binding is sound,
so the engine below drives that binding directly in eSpeak's synchronous mode, one call per sentence.
"""

from __future__ import annotations

import ctypes
import functools
import os
from typing import Any, Protocol

from pipeline.espeak import find_espeak

# Engine names a voice profile may use -> the class a worker instantiates. A profile may also name any class
# as "package.module:Class" (same interface): that is how another engine, or a test's fake engine, plugs in.
ENGINE_CLASSES = {"pyttsx3": "pipeline.speech.engine:EspeakEngine"}


class Engine(Protocol):
    """What a synthesis worker needs from an engine: construct with voice settings, then text -> 16-bit mono PCM."""

    sample_rate: int

    def __init__(self, settings: dict[str, Any]) -> None: ...

    def synth(self, text: str) -> bytes: ...


class EngineError(Exception):
    """An engine refused an input or a setting (raised inside the worker, reported to the parent as a message)."""


def engine_class_path(engine: str) -> str:
    return ENGINE_CLASSES.get(engine, engine)


@functools.cache
def engine_build(engine: str) -> str:
    """Identity of the engine build (library version and path): part of every synthesis cache key."""
    if engine != "pyttsx3":
        return engine
    from importlib import metadata

    return f"pyttsx3 {metadata.version('pyttsx3')}, {find_espeak().describe()}"


class EspeakEngine:
    """eSpeak NG via pyttsx3's ctypes binding, with SSML and `[[...]]` phoneme input honoured."""

    def __init__(self, settings: dict[str, Any]) -> None:
        library = find_espeak()
        from pyttsx3.drivers import _espeak  # opens libespeak-ng.so.1 by name: the library mapped above

        self._espeak = _espeak
        data = os.path.dirname(library.data_path).encode() if library.data_path else None
        self.sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if self.sample_rate <= 0:
            raise EngineError(f"eSpeak NG failed to initialise ({library.describe()})")
        self._chunks: list[bytes] = []
        _espeak.SetSynthCallback(self._collect)
        voice_id = settings["voice_id"]
        if _espeak.SetVoiceByName(voice_id.encode()) != _espeak.EE_OK:
            raise EngineError(f"eSpeak NG has no voice {voice_id!r} (try `espeak-ng --voices` names, e.g. ko, en, cmn)")
        _espeak.SetParameter(_espeak.RATE, int(settings["rate"]), 0)
        _espeak.SetParameter(_espeak.PITCH, int(settings["pitch"]), 0)
        _espeak.SetParameter(_espeak.VOLUME, round(float(settings["volume"]) * 100), 0)

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    def synth(self, text: str) -> bytes:
        e = self._espeak
        self._chunks = []
        # SSML: <break/> etc. are obeyed, unknown tags ignored; PHONEMES: [[...]] is eSpeak phoneme input.
        # No ENDPAUSE: pauses between sentences are the voice profile's, added when clips are joined.
        rc = e.Synth(text.encode("utf-8"), flags=e.CHARS_UTF8 | e.SSML | e.PHONEMES)
        if rc != e.EE_OK:
            raise EngineError(f"espeak_Synth returned {rc}")
        return b"".join(self._chunks)
