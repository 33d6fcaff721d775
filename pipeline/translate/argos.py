"""The argos back end: installed argos packages (pipeline.translate.models) run through CTranslate2 (engine)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.translate import engine, models


@dataclass(frozen=True)
class ArgosModel:
    package: models.Package
    settings: engine.EngineSettings

    @property
    def id(self) -> str:
        return self.package.model_id

    def cache_key(self) -> str:
        return json.dumps([self.id, self.settings.key()], sort_keys=True)

    def translate(self, texts: Sequence[str]) -> list[str]:
        return engine.load(self.package.path, self.settings, self.package.target_prefix).translate(texts)


class Argos:
    """Argos packages from argostranslate's packages folder; the folder is read again on every question, so a
    package installed or removed meanwhile is seen."""

    def __init__(self, settings: engine.EngineSettings | None = None):
        self.settings = settings or engine.EngineSettings()

    def pairs(self) -> list[tuple[str, str]]:
        return [(p.from_code, p.to_code) for p in models.installed()]

    def model(self, from_code: str, to_code: str) -> ArgosModel | None:
        pkg = next((p for p in models.installed() if (p.from_code, p.to_code) == (from_code, to_code)), None)
        return ArgosModel(pkg, self.settings) if pkg else None
