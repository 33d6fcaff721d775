"""Pronunciation front ends: normalised text -> the exact input of the speech engine, per language."""
from __future__ import annotations


def pronounce(text: str, lang: str) -> str:
    """Engine input for `text` in `lang`; languages without a front end pass through unchanged."""
    if lang == "ko":
        from pipeline.speech.pronounce.ko import pronounce as ko

        return ko(text)
    return text
