"""The external parts a run used, as recorded in manifests, `--json` and the report: name, version, path, origin."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.speech import Voice


def voice_engine(voice: Voice) -> dict:
    """The speech engine that speaks `voice` here (its first available engine), as the registry describes it: the
    external part (name, version, path, origin), the engine's name and build (what clip cache keys hold), and whether
    it stands in for a preferred engine. Raises PipelineError when no engine of the voice is available."""
    from pipeline.speech.engines import contract

    speaker = voice.speaker()
    return {**contract(speaker.engine).tool(speaker.settings), **speaker.to_dict()}


def recorded(tools: dict[str, dict | None]) -> dict[str, dict | None]:
    """The identities as written into files that may be published with the audio (manifest, report): paths under the
    user's home folder are written `~/...`, so they do not carry the operator's user name."""
    home = os.path.expanduser("~").rstrip(os.sep)
    if not home:
        return tools

    def short(value):
        return value.replace(home + os.sep, "~" + os.sep) if isinstance(value, str) else value

    return {name: {k: short(v) for k, v in found.items()} if found else found for name, found in tools.items()}
