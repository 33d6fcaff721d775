"""eSpeak NG through pyttsx3's ctypes binding: fully offline, tiny, fast, every language; robotic formant speech.

Which libespeak-ng: `PIPELINE_ESPEAK` chooses `wheel` (the espeakng-loader wheel's library and data), `system`
(`libespeak-ng.so.1` from the system's library path, e.g. Debian's libespeak-ng1), or the path of a libespeak-ng.so.1
build. Unset: the wheel when it is installed, else the system's. The wheel comes first because it is the same build on
every machine (the same audio from the same text, so re-runs and caches agree across studios) and the one the voices
were tuned and measured on. pyttsx3's binding (`pyttsx3.drivers._espeak`) opens `libespeak-ng.so.1` by name, so the
chosen library is mapped first with RTLD_GLOBAL: the dynamic loader then hands the binding that library. The data
folder is passed to `espeak_Initialize` explicitly (never through the environment, which workers would inherit).

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
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.speech.engines import (
    PHONEME_SPAN, PHONEMES_CLOSE, PHONEMES_OPEN, Engine, EngineError, Field, Status, check_table, version_of,
)

# eSpeak phoneme mnemonics: letters, digits and the marks its phoneme tables use; never a bracket.
_MNEMONICS = r"[A-Za-z0-9@:;'\",.&!?*#%=^_~<>|/\\ -]+"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# --- which libespeak-ng ------------------------------------------------------------------------------------

ENV = "PIPELINE_ESPEAK"
SYSTEM_SONAME = "libespeak-ng.so.1"
WHEEL = "espeakng-loader"
SYSTEM = "system"
_INSTALL_FIX = "pip install espeakng-loader (no root needed) or apt-get install espeak-ng"


@dataclass(frozen=True)
class EspeakLibrary:
    path: str
    data_path: str | None  # None: the library's compiled-in default (or $ESPEAK_DATA_PATH)
    source: str  # "system", "espeakng-loader" or "PIPELINE_ESPEAK" (an explicit path)
    version: str

    def describe(self) -> str:
        """One line; part of the speech cache key (through the engine build), so keep its form stable."""
        data = f", data {self.data_path}" if self.data_path else ""
        return f"eSpeak NG {self.version} ({self.source}: {self.path}{data})"

    def to_dict(self) -> dict:
        return {"name": "eSpeak NG", "version": self.version, "path": self.path, "origin": self.source,
                "data": self.data_path}


def find_espeak() -> EspeakLibrary:
    """The chosen libespeak-ng, loaded into this process (RTLD_GLOBAL, so pyttsx3's by-name load finds it)."""
    return _load(os.environ.get(ENV, "").strip())


@functools.cache
def _load(choice: str) -> EspeakLibrary:
    if choice in ("", "wheel", WHEEL):
        try:
            import espeakng_loader
        except ImportError:
            if choice:
                raise PipelineError(f"{ENV}={choice} but the espeakng-loader wheel is not installed",
                                    f"pip install espeakng-loader, or set {ENV}=system") from None
            return _system(None)
        path, data = espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
        return _identify(ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL), path, data, WHEEL)
    if choice == SYSTEM:
        return _system(choice)
    if not os.path.isfile(choice):
        raise PipelineError(f"{ENV}={choice!r} is neither 'wheel', 'system' nor a library file",
                            f"set {ENV} to wheel, system or the path of libespeak-ng.so.1, or unset it")
    try:
        lib = ctypes.CDLL(os.path.abspath(choice), mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        raise PipelineError(f"cannot load {ENV}={choice}: {exc}", f"point {ENV} at a libespeak-ng.so.1 build") from None
    return _identify(lib, os.path.abspath(choice), None, "PIPELINE_ESPEAK")


def _system(choice: str | None) -> EspeakLibrary:
    try:
        lib = ctypes.CDLL(SYSTEM_SONAME, mode=ctypes.RTLD_GLOBAL)
    except OSError:
        if choice:
            raise PipelineError(f"{ENV}=system but this system has no {SYSTEM_SONAME}",
                                f"apt-get install libespeak-ng1 (or espeak-ng), or unset {ENV} to use the wheel") from None
        raise PipelineError("eSpeak NG not found: no system libespeak-ng.so.1 and no espeakng-loader wheel",
                            _INSTALL_FIX) from None
    return _identify(lib, None, None, SYSTEM)


def _identify(lib: ctypes.CDLL, path: str | None, data: str | None, source: str) -> EspeakLibrary:
    try:
        info = lib.espeak_Info
    except AttributeError:
        raise PipelineError(f"{path} is not an eSpeak NG library (no espeak_Info)", f"point {ENV} at libespeak-ng.so.1") from None
    info.restype, info.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    address = ctypes.cast(info, ctypes.c_void_p).value
    # pyttsx3 will open libespeak-ng.so.1 by name: it must resolve to this very library, not another one.
    try:
        by_name = ctypes.cast(ctypes.CDLL(SYSTEM_SONAME, mode=ctypes.RTLD_GLOBAL).espeak_Info, ctypes.c_void_p).value
    except (OSError, AttributeError):
        by_name = None
    if by_name != address:
        raise PipelineError(f"{path} does not answer to the name {SYSTEM_SONAME}, so pyttsx3 would load another eSpeak NG",
                            f"point {ENV} at a library whose soname is {SYSTEM_SONAME}")
    return EspeakLibrary(path=_file_at(address) or path or SYSTEM_SONAME, data_path=data, source=source,
                         version=(info(None) or b"?").decode())


def _file_at(address: int | None) -> str | None:
    """The file mapped at `address` in this process: the library really loaded, whatever name opened it."""
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            fields = line.split(maxsplit=5)
            start, _, end = fields[0].partition("-")
            if len(fields) == 6 and address is not None and int(start, 16) <= address < int(end, 16):
                return fields[5]
    except (OSError, ValueError):
        pass
    return None


def data_folder(library: EspeakLibrary) -> str | None:
    """The espeak-ng-data folder the library really reads: it initialises eSpeak NG in this process, so call it in a
    process of its own (`probe`)."""
    lib = ctypes.CDLL(library.path if "/" in library.path else SYSTEM_SONAME, mode=ctypes.RTLD_GLOBAL)
    home = os.path.dirname(library.data_path).encode() if library.data_path else None
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    if lib.espeak_Initialize(2, 0, home, 0) <= 0:  # AUDIO_OUTPUT_SYNCHRONOUS
        return None
    where = ctypes.c_char_p()
    lib.espeak_Info.restype, lib.espeak_Info.argtypes = ctypes.c_char_p, [ctypes.POINTER(ctypes.c_char_p)]
    lib.espeak_Info(ctypes.byref(where))
    return where.value.decode() if where.value else None


def probe(choice: str, timeout: float = 30) -> dict:
    """Identity of the library `choice` would load (and its data folder), from a separate Python process, so this
    process keeps the library it has. Raises PipelineError when that choice has no usable library."""
    import subprocess

    from pipeline.speech.worker import import_path

    env = {**os.environ, ENV: choice}
    code = ("import json, sys\nsys.path[:] = json.loads(sys.argv[1])\nfrom pipeline.errors import PipelineError\n"
            "from pipeline.speech.engines import espeak\n"
            "try:\n    lib = espeak.find_espeak()\nexcept PipelineError as e:\n    print(json.dumps({'error': e.problem, 'fix': e.fix})); sys.exit()\n"
            "print(json.dumps({**lib.to_dict(), 'data': espeak.data_folder(lib) or lib.data_path}))")
    out = subprocess.run([sys.executable, "-I", "-c", code, json.dumps(import_path())], capture_output=True, text=True,
                         timeout=timeout, env=env)
    try:
        found = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise PipelineError(f"eSpeak NG ({ENV}={choice}) could not be loaded: {last}", _INSTALL_FIX) from None
    if "error" in found:
        raise PipelineError(found["error"], found.get("fix"))
    return found


# --- the engine -----------------------------------------------------------------------------------------------


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
    def tool(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        return find_espeak().to_dict()

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
