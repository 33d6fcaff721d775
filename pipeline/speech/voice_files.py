"""Installing and removing voices a user brings (`pipeline voices install | remove`): the engine checks and copies
the model, this module writes or deletes the voice profile that names it, in the user's voices folder."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

from pipeline.errors import PipelineError, from_os_error
from pipeline.files import atomic_path
from pipeline.speech.voices import PARAGRAPH_PAUSE_S, SENTENCE_PAUSE_S, load_voice, user_voices_dir


def install_piper(model: Path, config: Path | None, name: str | None, language: str | None) -> Path:
    """Install a Piper voice and write `<user voices>/<name>.toml` (Piper first, eSpeak NG as the fallback)."""
    from pipeline.speech.engines import piper
    from pipeline.speech.normalise import supported_languages

    config_path = Path(config) if config else Path(model).with_name(Path(model).name + ".json")
    settings = piper.read_config(config_path)
    language = (language or piper.language_of(settings)).lower()
    if language not in supported_languages():
        raise PipelineError(f"the voice speaks {language!r}, which has no text normaliser here",
                            f"supported: {', '.join(supported_languages())} (or give --language)")
    name, folder = piper.install(Path(model), config_path, name)
    espeak_voice = settings["espeak"]["voice"] if re.fullmatch(r"[A-Za-z0-9_./-]+", settings["espeak"]["voice"]) else language
    profile = user_voices_dir() / f"{name}.toml"
    text = (
        f"# Installed by `pipeline voices install` on {date.today().isoformat()} from {json.dumps(str(Path(model).resolve()))}.\n"
        f"language = {json.dumps(language)}\n"
        'engines = ["piper", "espeak"]\n'
        f"sentence_pause_s = {SENTENCE_PAUSE_S}\nparagraph_pause_s = {PARAGRAPH_PAUSE_S}\n\n"
        f"[engine.piper]\nmodel = {json.dumps(name)}\n\n"
        f"[engine.espeak]\nvoice_id = {json.dumps(espeak_voice)}\n"
    )
    try:
        profile.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(profile) as tmp:
            tmp.write_text(text, "utf-8")
    except OSError as exc:
        raise from_os_error(exc, f"cannot write the voice profile {profile}") from None
    load_voice(profile)  # what was written must load
    return profile


def remove(name: str) -> list[Path]:
    """Delete an installed voice: its profile in the user's voices folder and its model folder (never a symlink)."""
    from pipeline.speech.engines.piper import models_dir

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}", name):
        raise PipelineError(f"voice name {name!r} is not valid", "use letters, digits, '_', '.', '-'")
    profile, folder = user_voices_dir() / f"{name}.toml", models_dir() / name
    removed = []
    if profile.is_file() and not profile.is_symlink():
        profile.unlink()
        removed.append(profile)
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
        removed.append(folder)
    if not removed:
        raise PipelineError(f"no installed voice {name!r} in {user_voices_dir()}",
                            "only voices added with pipeline voices install can be removed")
    return removed
