"""Test signals with known properties, and meters independent of the code under test."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf
from scipy.signal import lfilter, resample_poly

from pipeline.audio.ffmpeg import find_ffmpeg

RATE = 22050  # what eSpeak NG writes


def sine(seconds: float = 4.0, dbfs: float = -20.0, freq: float = 997.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def pink(seconds: float = 4.0, dbfs_rms: float = -25.0, rate: int = RATE, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))
    spectrum[0] = 0
    x = np.fft.irfft(spectrum, n)
    return (x * 10 ** (dbfs_rms / 20) / np.sqrt(np.mean(x**2))).astype(np.float32)


def speechlike(seconds: float = 4.0, rate: int = RATE, seed: int = 0, peak: float = 0.5) -> np.ndarray:
    """Glottal pulses through three formant resonators, in syllables (fast attack, slow decay) with gaps, and the
    leading/trailing silence a synthesiser leaves."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    f0 = 110 + 25 * np.sin(2 * np.pi * 0.7 * t + seed)
    x = np.diff(np.floor(np.cumsum(f0) / rate), prepend=0.0) + 0.02 * rng.standard_normal(n)
    for f, bw in ((700, 110), (1220, 120), (2600, 160)):
        r = np.exp(-np.pi * bw / rate)
        x = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * f / rate), r * r], x)
    env = np.zeros(n)
    pos = 0
    while pos < n:
        syl = int(rng.uniform(0.12, 0.3) * rate)
        level = rng.uniform(0.3, 1.0) if rng.random() > 0.15 else 0.0
        shape = np.minimum(1, np.arange(syl) / (0.02 * rate)) * np.exp(-np.arange(syl) / (0.12 * rate))
        env[pos:pos + syl] = level * shape[: n - pos]
        pos += syl + int(rng.uniform(0.02, 0.08) * rate)
    y = x * env
    y = peak * y / np.max(np.abs(y))
    pad = np.zeros(int(0.3 * rate))
    return np.concatenate([pad, y, pad]).astype(np.float32)


def clipped(seconds: float = 4.0, rate: int = RATE) -> np.ndarray:
    """A 220 Hz sine driven 12 dB into hard clipping at full scale."""
    return np.clip(sine(seconds, 12.0, 220.0, rate), -1.0, 1.0)


def near_silence(seconds: float = 4.0, rate: int = RATE) -> np.ndarray:
    """Hiss peaking around -60 dBFS: not digital silence, but nothing worth amplifying."""
    x = np.random.default_rng(3).standard_normal(int(seconds * rate))
    return (x / np.max(np.abs(x)) * 10 ** (-60 / 20)).astype(np.float32)


def write(path: Path, x: np.ndarray, rate: int = RATE, subtype: str = "PCM_16") -> Path:
    sf.write(str(path), x, rate, subtype=subtype)
    return path


def decode(path: Path) -> tuple[np.ndarray, int]:
    wav = subprocess.run([find_ffmpeg().path, "-v", "error", "-i", str(path), "-c:a", "pcm_f32le", "-f", "wav", "-"],
                         capture_output=True, check=True).stdout
    x, rate = sf.read(io.BytesIO(wav), dtype="float64")
    return x, rate


def pyloudnorm_lufs(path: Path) -> float:
    x, rate = decode(path)
    return pyloudnorm.Meter(rate).integrated_loudness(x)


def numpy_true_peak(path: Path) -> float:
    """dBTP by 4x polyphase oversampling of the decoded file (BS.1770-4 Annex 2 method)."""
    x, _ = decode(path)
    return 20 * np.log10(np.max(np.abs(resample_poly(x, 4, 1, axis=0))))


def ffmpeg_true_peak(path: Path) -> float:
    log = subprocess.run([find_ffmpeg().path, "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    return float(re.findall(r"True peak:\s+Peak:\s+(\S+) dBFS", log)[-1])


def leftovers(folder: Path) -> list[str]:
    """Temp files or folders a failed run might leave."""
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(".tmp"))
