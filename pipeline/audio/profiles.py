"""Mastering profiles: loudness target, true-peak ceiling, filters and delivery format, as data.

A profile is a TOML file whose keys are the fields of `Profile`. The shipped ones live next to this module in
`profiles/`; a station adds its own in a folder named by `--profiles-dir` or `PIPELINE_PROFILES_DIR` (a user profile
with a shipped name replaces it). Every file is validated when loaded: a wrong field is reported with its name.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

ENV = "PIPELINE_PROFILES_DIR"
DEFAULT = "podcast"
BUILTIN_DIR = Path(__file__).with_name("profiles")

# Bitrates and sample rates the MPEG-1/2 audio layers allow (ISO 11172-3, 13818-3).
_MPEG_RATES = (16000, 22050, 24000, 32000, 44100, 48000)
_BITRATES = {
    "mp3": (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "mp2": (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
}


@dataclass(frozen=True)
class Compression:
    """A downward compressor (ffmpeg acompressor), applied after the signal is brought to the target loudness."""

    threshold_db: float = -24.0
    ratio: float = 4.0
    attack_ms: float = 5.0
    release_ms: float = 80.0


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    loudness_lufs: float  # integrated loudness target, ITU-R BS.1770-4
    tolerance_lu: float  # accepted deviation of the encoded file from the target, either way
    true_peak_dbtp: float  # ceiling for the encoded file's true peak
    format: str  # "mp3" | "mp2" | "wav"
    sample_rate: int
    channels: int
    bitrate_kbps: int | None = None  # CBR, for mp3/mp2
    bit_depth: int = 16  # for wav
    highpass_hz: float | None = None
    lowpass_hz: float | None = None
    compress: Compression | None = None
    id3: bool = False  # ID3v2.3 tags (mp3 only)
    fade_s: float = 0.05
    head_silence_s: float = 0.0  # digital silence before the programme (PRSS ContentDepot asks for 0.5 s)
    tail_silence_s: float = 0.0  # and after it
    source: str = ""  # the file it was loaded from

    @property
    def suffix(self) -> str:
        return "." + self.format

    def summary(self) -> str:
        kind = f"{self.format.upper()} {self.bitrate_kbps} kbps" if self.bitrate_kbps else f"WAV {self.bit_depth}-bit"
        chans = {1: "mono", 2: "stereo"}[self.channels]
        return (f"{self.loudness_lufs:g} LUFS ±{self.tolerance_lu:g} LU, ≤ {self.true_peak_dbtp:g} dBTP, "
                f"{kind} {chans} {self.sample_rate / 1000:g} kHz")


def profile_dirs(profiles_dir: Path | str | None = None) -> list[Path]:
    """Folders searched, shipped first so that user profiles replace shipped ones of the same name."""
    user = profiles_dir or os.environ.get(ENV)
    dirs = [BUILTIN_DIR]
    if user:
        user = Path(user)
        if not user.is_dir():
            raise PipelineError(f"profiles folder {user} does not exist", f"create it, or fix {ENV} (or `pipeline master/profiles --profiles-dir`)")
        dirs.append(user)
    return dirs


def list_profiles(profiles_dir: Path | str | None = None) -> list[Profile]:
    found: dict[str, Profile] = {}
    for folder in profile_dirs(profiles_dir):
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = parse_profile(path)
    return sorted(found.values(), key=lambda p: (p.name != DEFAULT, p.name))


def load_profile(name: str = DEFAULT, profiles_dir: Path | str | None = None) -> Profile:
    for folder in reversed(profile_dirs(profiles_dir)):
        path = folder / f"{name}.toml"
        if path.is_file():
            return parse_profile(path)
    known = ", ".join(p.name for p in list_profiles(profiles_dir))
    raise PipelineError(f"unknown profile '{name}'", f"choose one of: {known}, or add {name}.toml to a profiles folder")


def parse_profile(path: Path) -> Profile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"profile {path} cannot be read: {exc}", "fix the TOML syntax") from exc
    return validate(data, path)


def validate(data: dict[str, Any], path: Path) -> Profile:
    name = path.stem

    def bad(field: str, reason: str) -> PipelineError:
        return PipelineError(f"profile {name} ({path}): field '{field}' {reason}", "see docs/profiles.md")

    allowed = {f.name for f in fields(Profile)} - {"source"}
    for key in data:
        if key in ("sentence_pause_s", "paragraph_pause_s"):  # a profile written before pauses had one owner
            raise bad(key, "is no longer a profile field: pauses belong to the voice (voices/*.toml, docs/speech.md)")
        if key not in allowed:
            raise bad(key, "is not a profile field")
    data = dict(data)
    if data.setdefault("name", name) != name:
        raise bad("name", f"must match the file name ('{name}')")
    for key in ("description", "loudness_lufs", "tolerance_lu", "true_peak_dbtp", "format", "sample_rate", "channels"):
        if key not in data:
            raise bad(key, "is required")

    def number(key: str, lo: float, hi: float, integer: bool = False) -> None:
        value = data.get(key)
        if value is None:
            return
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise bad(key, f"must be {'an integer' if integer else 'a number'}, got {value!r}")
        if not lo <= value <= hi:
            raise bad(key, f"must be between {lo:g} and {hi:g}, got {value:g}")
        data[key] = value if integer else float(value)

    if not isinstance(data["description"], str):
        raise bad("description", "must be text")
    number("loudness_lufs", -40, -5)
    number("tolerance_lu", 0.1, 5)
    number("true_peak_dbtp", -12, 0)
    number("channels", 1, 2, integer=True)
    number("sample_rate", 8000, 192000, integer=True)
    number("bit_depth", 16, 24, integer=True)
    number("highpass_hz", 10, 1000)
    number("lowpass_hz", 1000, 22000)
    number("fade_s", 0, 2)
    number("head_silence_s", 0, 10)
    number("tail_silence_s", 0, 10)
    fmt = data["format"]
    if fmt not in ("mp3", "mp2", "wav"):
        raise bad("format", f"must be mp3, mp2 or wav, got {fmt!r}")
    if fmt in _BITRATES:
        rate = data["bitrate_kbps"] if "bitrate_kbps" in data else None
        if rate not in _BITRATES[fmt]:
            raise bad("bitrate_kbps", f"must be one of {', '.join(map(str, _BITRATES[fmt]))} for {fmt}, got {rate!r}")
        if data["sample_rate"] not in _MPEG_RATES:
            raise bad("sample_rate", f"must be one of {', '.join(map(str, _MPEG_RATES))} for {fmt}")
    elif "bitrate_kbps" in data:
        raise bad("bitrate_kbps", "applies to mp3/mp2 only")
    if data.get("bit_depth", 16) not in (16, 24):
        raise bad("bit_depth", "must be 16 or 24")
    if data.get("id3", False) not in (True, False):
        raise bad("id3", "must be true or false")
    if data.get("id3") and fmt != "mp3":
        raise bad("id3", "is only supported for mp3")
    nyquist = data["sample_rate"] / 2
    if data.get("lowpass_hz") and data["lowpass_hz"] >= nyquist:
        raise bad("lowpass_hz", f"must be below half the sample rate ({nyquist:g} Hz)")
    if data.get("highpass_hz") and data.get("lowpass_hz") and data["highpass_hz"] >= data["lowpass_hz"]:
        raise bad("highpass_hz", "must be below lowpass_hz")
    data["compress"] = _compression(data.get("compress", False), bad)
    return Profile(**data, source=str(path))


def _compression(value: Any, bad) -> Compression | None:
    if value is False:
        return None
    if value is True:
        return Compression()
    if not isinstance(value, dict):
        raise bad("compress", "must be true, false or a table of threshold_db, ratio, attack_ms, release_ms")
    limits = {"threshold_db": (-60, 0), "ratio": (1, 20), "attack_ms": (0.01, 2000), "release_ms": (0.01, 9000)}
    for key, val in value.items():
        if key not in limits:
            raise bad(f"compress.{key}", "is not a compression setting")
        lo, hi = limits[key]
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not lo <= val <= hi:
            raise bad(f"compress.{key}", f"must be a number between {lo:g} and {hi:g}")
    return Compression(**{k: float(v) for k, v in value.items()})
