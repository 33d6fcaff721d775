"""eSpeak NG through pyttsx3's ctypes binding: library discovery and the engine a synthesis worker runs.

Which libespeak-ng: the system's `libespeak-ng.so.1` when present, else the `espeakng-loader` wheel's library and
data (no root needed). pyttsx3's binding (`pyttsx3.drivers._espeak`) opens `libespeak-ng.so.1` by name, so the
wheel's library is mapped first with RTLD_GLOBAL and the binding then resolves to it.

Why not pyttsx3's `Engine`/`EspeakDriver` loop: it calls `espeak_Synth` without the SSML and PHONEMES flags (so
`[[...]]` phonemes and SSML tags are read aloud as text), hard-codes 22050 Hz, prints to stdout, polls every 10 ms and
is known to hang on repeated `save_to_file` + `runAndWait` (pyttsx3 #126, #194, #219). Its ctypes binding is sound,
so the engine below drives that binding directly in eSpeak's synchronous mode, one call per sentence.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import PipelineError

SYSTEM_SONAME = "libespeak-ng.so.1"
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


@dataclass(frozen=True)
class EspeakLibrary:
    path: str
    data_path: str | None  # None: the library's compiled-in default
    source: str  # "system" or "espeakng-loader"
    version: str

    def describe(self) -> str:
        data = f", data {self.data_path}" if self.data_path else ""
        return f"eSpeak NG {self.version} ({self.source}: {self.path}{data})"


def engine_class_path(engine: str) -> str:
    return ENGINE_CLASSES.get(engine, engine)


@functools.cache
def find_espeak() -> EspeakLibrary:
    """Locate libespeak-ng and load it into this process (RTLD_GLOBAL, so pyttsx3's by-name load finds it)."""
    try:
        lib = ctypes.CDLL(SYSTEM_SONAME, mode=ctypes.RTLD_GLOBAL)
        path, data, source = _mapped_path(SYSTEM_SONAME) or SYSTEM_SONAME, None, "system"
    except OSError:
        try:
            import espeakng_loader
        except ImportError:
            raise PipelineError(
                "eSpeak NG not found: no system libespeak-ng.so.1 and no espeakng-loader wheel",
                "pip install espeakng-loader (no root needed) or apt-get install espeak-ng",
            ) from None
        path, data, source = espeakng_loader.get_library_path(), espeakng_loader.get_data_path(), "espeakng-loader"
        lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        os.environ["ESPEAK_DATA_PATH"] = data  # read by espeak_Initialize when given no path
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    version = (lib.espeak_Info(None) or b"?").decode()
    return EspeakLibrary(path=path, data_path=data, source=source, version=version)


def _mapped_path(soname: str) -> str | None:
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            if line.endswith(soname) or f"/{soname}." in line:
                return line.split()[-1]
    except OSError:
        pass
    return None


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
