"""Direct libespeak-ng (espeakng-loader wheel) harness for experiments before the pipeline's speech stage exists."""
from __future__ import annotations

import ctypes
import io
import wave

import espeakng_loader

_lib = None
_rate = 22050
_buf: list[bytes] = []

_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def _cb(wav, n, events):
    if n > 0:
        _buf.append(ctypes.string_at(wav, n * 2))
    return 0


_cb_ref = _CB(_cb)


def lib(data_path: str | None = None):
    global _lib, _rate
    if _lib is None:
        _lib = ctypes.CDLL(espeakng_loader.get_library_path())
        path = (data_path or espeakng_loader.get_data_path()).encode()
        _rate = _lib.espeak_Initialize(2, 0, path, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
        _lib.espeak_SetSynthCallback(_cb_ref)
        _lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    return _lib


def synth(text: str, voice: str = "ko", rate: int = 175, pitch: int = 50, wordgap: int = 0,
          range_: int = 50, phonemes: bool = True) -> bytes:
    """WAV bytes for text (SSML and [[...]] phoneme input honoured)."""
    L = lib()
    if L.espeak_SetVoiceByName(voice.encode()) != 0:
        raise RuntimeError(f"voice {voice}")
    L.espeak_SetParameter(1, rate, 0)
    L.espeak_SetParameter(3, pitch, 0)
    L.espeak_SetParameter(4, range_, 0)
    L.espeak_SetParameter(7, wordgap, 0)
    _buf.clear()
    data = text.encode() + b"\0"
    flags = 1 | 0x10 | (0x100 if phonemes else 0)
    L.espeak_Synth(data, len(data), 0, 0, 0, flags, None, None)
    L.espeak_Synchronize()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(_rate)
        w.writeframes(b"".join(_buf))
    return out.getvalue()


def phonemes(text: str, voice: str = "ko", ipa: bool = False) -> str:
    L = lib()
    L.espeak_SetVoiceByName(voice.encode())
    data = ctypes.c_char_p(text.encode())
    ptr = ctypes.pointer(data)
    out = []
    while ptr.contents.value:
        r = L.espeak_TextToPhonemes(ptr, 1, 2 if ipa else 0)
        if r is None:
            break
        out.append(r.decode())
    return " | ".join(out)
