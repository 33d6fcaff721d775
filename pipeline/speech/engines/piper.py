"""Piper voices (VITS, ONNX) that a user brings: `pipeline voices install --file VOICE.onnx` copies the model and its
JSON config into the pipeline's data folder, checks both (the model is loaded and speaks a test phrase once) and
writes a voice profile for it. Runs on the `piper-tts` package (onnxruntime; its own eSpeak NG build for phonemes).

VITS samples noise inside its graph (noise_scale, noise_w), and onnxruntime's seed does not reach it: the same text
gives slightly different audio on each synthesis. The sentence cache keeps the first, so re-runs reuse it.

Input safety: Piper reads `[[ ... ]]` in its text as raw phonemes; article text reaches it with brackets turned
into parentheses, so only text is ever spoken.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.speech.engines import Engine, EngineError, Field, Status, check_table, module_available, plain, version_of

DATA_ENV = "PIPELINE_DATA_DIR"
_INSTALL = "pip install piper-tts"
_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}"
_SENTENCE_GAP_S = 0.3  # Piper speaks sentence by sentence; a long clip's sentences are joined with this pause
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def data_dir() -> Path:
    """Where installed voices live: $PIPELINE_DATA_DIR, else $XDG_DATA_HOME/broadcast-pipeline."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "broadcast-pipeline"


def models_dir() -> Path:
    return data_dir() / "piper"


class Piper(Engine):
    name = "piper"
    label = "Piper"
    input_kind = "text"
    FIELDS = {
        "model": Field("", pattern=_NAME, allowed="the name of an installed Piper voice (pipeline voices install --file)"),
        "speaker": Field(0, 0, 10_000),
        "length_scale": Field(1.0, 0.5, 2.0, allowed="a number from 0.5 (faster) to 2.0 (slower)"),
        "noise_scale": Field(0.667, 0.0, 1.5),
        "noise_w": Field(0.8, 0.0, 1.5),
    }

    @classmethod
    def check_settings(cls, table: Mapping[str, Any], language: str, source: str) -> dict[str, Any]:
        settings = check_table(cls.name, table, cls.FIELDS, source)
        if not settings["model"]:
            raise PipelineError(f"{source}: [engine.piper] needs model = \"NAME\"",
                                "install a voice with pipeline voices install --file VOICE.onnx and name it here")
        return settings

    @classmethod
    def status(cls, settings: Mapping[str, Any]) -> Status:
        return _status(settings["model"])

    @classmethod
    def tool(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        folder = models_dir() / settings["model"]
        record = _record(folder) or {}
        return {"name": "Piper", "version": version_of("piper-tts"), "voice": settings["model"],
                "path": str(folder / "model.onnx"), "sha256": record.get("sha256"), "origin": record.get("source"),
                "runtime": f"onnxruntime {version_of('onnxruntime')}"}

    @classmethod
    def prepare(cls, text: str, language: str, settings: Mapping[str, Any]) -> str:
        return _CONTROL.sub(" ", plain(text)).replace("[", "(").replace("]", ")").strip()

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings)
        from piper import PiperVoice, SynthesisConfig

        folder = models_dir() / settings["model"]
        record = _record(folder)
        if record is None or _sha256(folder / "model.onnx") != record["sha256"]:
            raise EngineError(f"the Piper voice {settings['model']!r} in {folder} is missing or was changed after "
                              "install: install it again with pipeline voices install --file")
        self._voice = PiperVoice.load(folder / "model.onnx", folder / "model.onnx.json")
        self.sample_rate = self._voice.config.sample_rate
        self._config = SynthesisConfig(
            speaker_id=settings["speaker"] if self._voice.config.num_speakers > 1 else None,
            length_scale=settings["length_scale"], noise_scale=settings["noise_scale"],
            noise_w_scale=settings["noise_w"], normalize_audio=False,
        )

    def synth(self, engine_input: str) -> bytes:
        import numpy as np

        gap = np.zeros(round(_SENTENCE_GAP_S * self.sample_rate), dtype=np.int16)
        parts = []
        for chunk in self._voice.synthesize(engine_input, self._config):
            parts += [chunk.audio_int16_array, gap]
        return np.concatenate(parts[:-1]).astype("<i2").tobytes() if parts else b""


def _record(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / "install.json").read_text("utf-8"))
        return record if isinstance(record, dict) and isinstance(record.get("sha256"), str) else None
    except (OSError, ValueError):
        return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


@functools.cache
def _status(model: str) -> Status:
    missing = module_available("piper", "onnxruntime")
    if missing:
        return Status(False, f"Python package {missing!r} is not installed ({_INSTALL})", "")
    folder = models_dir() / model
    record = _record(folder)
    if record is None or not (folder / "model.onnx").is_file():
        return Status(False, f"no Piper voice {model!r} installed in {models_dir()} "
                             "(pipeline voices install --file VOICE.onnx)", "")
    build = f"Piper voice {model} sha256:{record['sha256']}, piper-tts {version_of('piper-tts')}, " \
            f"onnxruntime {version_of('onnxruntime')}"
    return Status(True, "", build, f"Piper (neural), voice {model}")


# --- install -------------------------------------------------------------------------------------------------------


def read_config(path: Path) -> dict:
    """A Piper voice config, checked for what synthesis needs."""
    try:
        config = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PipelineError(f"no voice config {path}", "a Piper voice is two files: VOICE.onnx and VOICE.onnx.json") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{path} is not a Piper voice config: {exc}", "use the .onnx.json file that came with the voice") from None
    ok = (
        isinstance(config, dict) and isinstance(config.get("audio"), dict)
        and isinstance(config["audio"].get("sample_rate"), int) and 8000 <= config["audio"]["sample_rate"] <= 48000
        and isinstance(config.get("phoneme_id_map"), dict)
        and config.get("phoneme_type", "espeak") == "espeak"
        and isinstance(config.get("espeak"), dict) and isinstance(config["espeak"].get("voice"), str)
    )
    if not ok:
        raise PipelineError(f"{path} is not a usable Piper voice config (needs audio.sample_rate, phoneme_id_map, "
                            "espeak.voice and phoneme_type \"espeak\")", "use the .onnx.json file that came with the voice")
    return config


def language_of(config: dict) -> str:
    code = (config.get("language") or {}).get("code") or config["espeak"]["voice"]
    return re.split(r"[-_]", str(code))[0].lower()


def install(model: Path, config_path: Path | None, name: str | None) -> tuple[str, Path]:
    """Check a Piper voice (config read, model loaded, a test phrase spoken), then copy it into `models_dir()/NAME`
    atomically (a failure leaves any earlier install of NAME as it was). Returns (name, folder)."""
    missing = module_available("piper", "onnxruntime")
    if missing:
        raise PipelineError(f"the Piper engine is not installed (no {missing!r})", _INSTALL)
    model = Path(model)
    if not model.is_file() or model.suffix != ".onnx":
        raise PipelineError(f"no Piper voice model at {model}", "give the voice's .onnx file")
    config_path = Path(config_path) if config_path else model.with_name(model.name + ".json")
    config = read_config(config_path)
    name = name or model.stem
    if not re.fullmatch(_NAME, name):
        raise PipelineError(f"voice name {name!r} is not valid", "use letters, digits, '_', '.', '-' (give --name)")
    from piper import PiperVoice

    try:
        voice = PiperVoice.load(model, config_path)
        spoken = sum(len(c.audio_int16_bytes) for c in voice.synthesize("Test."))
    except Exception as exc:  # noqa: BLE001 - any failure of a foreign model file is the file's fault
        raise PipelineError(f"{model} does not load or speak as a Piper voice: {type(exc).__name__}: {exc}",
                            "use the .onnx file that came with its .onnx.json") from None
    if spoken == 0:
        raise PipelineError(f"{model} produced no audio for a test phrase", "use another voice file")
    target = models_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".pipeline-voice-{name}-", dir=target.parent))
    try:
        shutil.copyfile(model, staging / "model.onnx")
        (staging / "model.onnx.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), "utf-8")
        record = {"name": name, "sha256": _sha256(staging / "model.onnx"), "source": str(model.resolve()),
                  "language": language_of(config), "sample_rate": config["audio"]["sample_rate"]}
        (staging / "install.json").write_text(json.dumps(record, indent=1), "utf-8")
        old = target.with_name(f".pipeline-voice-{name}-old")
        if target.is_symlink() or target.is_file():
            raise PipelineError(f"{target} is not a voice folder", "remove it, then install again")
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        from pipeline.errors import from_os_error

        raise from_os_error(exc, f"cannot install the voice into {target}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _status.cache_clear()
    return name, target


ENGINE = Piper
