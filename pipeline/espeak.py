"""Which libespeak-ng the speech stage loads, and its identity (path, version, origin, data folder).

`PIPELINE_ESPEAK` chooses: `wheel` (the espeakng-loader wheel's library and data), `system` (`libespeak-ng.so.1`
from the system's library path, e.g. Debian's libespeak-ng1), or the path of a libespeak-ng.so.1 build. Unset: the
wheel when it is installed, else the system's. The wheel comes first because it is the same build on every machine
(the same audio from the same text, so re-runs and caches agree across studios) and the one the voices were tuned
and measured on; the system's serves installs without the wheel (docs/speech.md).

pyttsx3's binding (`pyttsx3.drivers._espeak`) opens `libespeak-ng.so.1` by name, so the chosen library is mapped
first with RTLD_GLOBAL: the dynamic loader then hands the binding that library. The data folder is passed to
`espeak_Initialize` explicitly (never through the environment, which worker processes would inherit).
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

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

    env = {**os.environ, ENV: choice}
    code = ("import json, sys\nfrom pipeline.errors import PipelineError\nfrom pipeline import espeak\n"
            "try:\n    lib = espeak.find_espeak()\nexcept PipelineError as e:\n    print(json.dumps({'error': e.problem, 'fix': e.fix})); sys.exit()\n"
            "print(json.dumps({**lib.to_dict(), 'data': espeak.data_folder(lib) or lib.data_path}))")
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    try:
        found = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise PipelineError(f"eSpeak NG ({ENV}={choice}) could not be loaded: {last}", _INSTALL_FIX) from None
    if "error" in found:
        raise PipelineError(found["error"], found.get("fix"))
    return found
