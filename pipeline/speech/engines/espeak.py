"""eSpeak NG through pyttsx3's ctypes binding: fully offline, tiny, fast, every language; robotic formant speech.

Which libespeak-ng: the system's `libespeak-ng.so.1` when present, else the `espeakng-loader` wheel's library and
data (no root needed). pyttsx3's binding (`pyttsx3.drivers._espeak`) opens `libespeak-ng.so.1` by name, so the
wheel's library is mapped first with RTLD_GLOBAL and the binding then resolves to it.

Why not pyttsx3's `Engine`/`EspeakDriver` loop: it hard-codes 22050 Hz, prints to stdout, polls every 10 ms and
is known to hang on repeated `save_to_file` + `runAndWait` (pyttsx3 #126, #194, #219). Its ctypes binding is sound,
so the engine drives that binding directly in eSpeak's synchronous mode, one call per sentence.

Input safety: eSpeak's SSML mode can read files (`<audio src>`) and start `sox` through a shell, so it is never
enabled. Phoneme mode (`[[...]]`) is enabled only for spans this module writes itself, from the Korean front end
or the voice file's `[engine.espeak.lexicon]`; brackets in the text are turned into parentheses first.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.speech.engines import (
    PHONEME_SPAN, PHONEMES_CLOSE, PHONEMES_OPEN, Engine, EngineError, Field, Status, check_table, version_of,
)

SYSTEM_SONAME = "libespeak-ng.so.1"
# eSpeak phoneme mnemonics: letters, digits and the marks its phoneme tables use; never a bracket.
_MNEMONICS = r"[A-Za-z0-9@:;'\",.&!?*#%=^_~<>|/\\ -]+"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class EspeakLibrary:
    path: str
    data_path: str | None  # None: the library's compiled-in default
    source: str  # "system" or "espeakng-loader"
    version: str

    def describe(self) -> str:
        data = f", data {self.data_path}" if self.data_path else ""
        return f"eSpeak NG {self.version} ({self.source}: {self.path}{data})"


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


def text_for_espeak(text: str) -> str:
    """Article or translator text made safe as eSpeak input: no phoneme brackets, no control characters."""
    return _CONTROL.sub(" ", text).replace("[", "(").replace("]", ")")


class Espeak(Engine):
    name = "espeak"
    label = "eSpeak NG"
    input_kind = "espeak"
    FIELDS = {
        "voice_id": Field("", pattern=r"[A-Za-z0-9_./-]+(\+[A-Za-z0-9_-]+)?", allowed="an eSpeak NG voice such as ko or ko+klatt"),
        "rate": Field(175, 80, 450, allowed="an integer from 80 to 450 words per minute"),
        "pitch": Field(50, 0, 100),
        "volume": Field(1.0, 0, 1),
        # "ko-phonemes": the Korean pronunciation rules, given to eSpeak as stressless phoneme mnemonics
        "frontend": Field("plain", choices=("plain", "ko-phonemes")),
        "lexicon": Field({}, allowed="a table of word = \"eSpeak phoneme mnemonics\" lines, without [[ ]]"),
    }

    @classmethod
    def check_settings(cls, table: Mapping[str, Any], language: str, source: str) -> dict[str, Any]:
        settings = check_table(cls.name, table, cls.FIELDS, source)
        settings["voice_id"] = settings["voice_id"] or language  # eSpeak NG voices are mostly named by language
        if settings["frontend"] == "ko-phonemes" and language != "ko":
            raise PipelineError(f"{source}: [engine.espeak] frontend = 'ko-phonemes' is not valid",
                                "allowed: ko-phonemes only with language = \"ko\"")
        for word, spoken in settings["lexicon"].items():
            if not re.fullmatch(_MNEMONICS, spoken.strip()):
                raise PipelineError(f"{source}: [engine.espeak.lexicon] {word!r} = {spoken!r} is not valid",
                                    "write eSpeak phoneme mnemonics without [[ ]], e.g. \"pj'0N j'aN\"")
        return settings

    @classmethod
    def status(cls, settings: Mapping[str, Any]) -> Status:
        try:
            library = find_espeak()
        except PipelineError as exc:
            return Status(False, f"{exc.problem} ({exc.fix})", "")
        build = f"pyttsx3 {version_of('pyttsx3')}, {library.describe()}"
        return Status(True, "", build, f"eSpeak NG {library.version} voice {settings.get('voice_id', '?')}")

    @classmethod
    def lexicon(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        return {w: PHONEMES_OPEN + p.strip() + PHONEMES_CLOSE for w, p in settings.get("lexicon", {}).items()}

    @classmethod
    def prepare(cls, text: str, language: str, settings: Mapping[str, Any]) -> str:
        front = _ko_phonemes if settings.get("frontend") == "ko-phonemes" else (lambda t: t)
        out, last = [], 0
        for m in PHONEME_SPAN.finditer(text):
            out.append(_text_part(text[last : m.start()], front))
            out.append(f"[[{m[1].strip()}]]")
            last = m.end()
        out.append(_text_part(text[last:], front))
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings)
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

    def synth(self, engine_input: str) -> bytes:
        e = self._espeak
        self._chunks = []
        # PHONEMES only: `[[...]]` comes from `prepare`, never from the text. Never SSML (see the module docstring).
        # No ENDPAUSE: pauses between sentences are the voice profile's, added when clips are joined.
        rc = e.Synth(engine_input.encode("utf-8"), flags=e.CHARS_UTF8 | e.PHONEMES)
        if rc != e.EE_OK:
            raise EngineError(f"espeak_Synth returned {rc}")
        return b"".join(self._chunks)


def _text_part(part: str, front) -> str:
    if not part.strip():
        return part
    # Keep the part's edge whitespace: it separates words from neighbouring phoneme spans.
    lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
    return lead[:1] + front(text_for_espeak(part.strip())).strip() + trail[:1]


def _ko_phonemes(text: str) -> str:
    from pipeline.speech.pronounce.ko import pronounce

    return pronounce(text)


ENGINE = Espeak
