"""The external parts a run used, as recorded in manifests, `--json` and the report: name, version, path, origin."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.speech import Voice


def voice_engine(voice: Voice) -> dict:
    """The speech engine `voice` runs on, as loaded in this process (the chosen eSpeak NG for pyttsx3 voices).

    The one place that knows engines by name, for the manifest and `pipeline doctor`: switch it to the speech engine
    registry (its `is_available()` and identity) once there is one. Raises PipelineError when the engine is missing.
    """
    from pipeline.speech import engine_id

    build = engine_id(voice.engine)  # also what the synthesis cache keys name
    if voice.engine == "pyttsx3":
        from pipeline.espeak import find_espeak

        return {**find_espeak().to_dict(), "engine": build}
    return {"name": voice.engine, "engine": build}



def recorded(tools: dict[str, dict | None]) -> dict[str, dict | None]:
    """The identities as written into files that may be published with the audio (manifest, report): paths under the
    user's home folder are written `~/...`, so they do not carry the operator's user name."""
    home = os.path.expanduser("~").rstrip(os.sep)
    if not home:
        return tools

    def short(value):
        return value.replace(home + os.sep, "~" + os.sep) if isinstance(value, str) else value

    return {name: {k: short(v) for k, v in found.items()} if found else found for name, found in tools.items()}
