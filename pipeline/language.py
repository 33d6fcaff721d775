"""Language codes; the language of a text, by script or function words; what a language means for reading its dates."""

from __future__ import annotations

import re

# A language code as this program takes it (lower case, ISO 639 with optional subtags: ko, en, zh-hant): it names
# output folders, voice files, feeds and report pictures, so it is checked against this one pattern everywhere.
LANG_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")

SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
LATIN_STOPS = {
    "en": {"the", "and", "of", "to", "is", "in", "that", "it", "was", "for", "with", "are"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "du", "dans", "que", "pour", "pas"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "ein", "eine", "mit", "den", "sich", "auf"},
    "es": {"el", "la", "los", "las", "que", "y", "es", "del", "por", "una", "para", "con"},
}


def detect_language(text: str) -> str:
    """ISO 639-1 code from the script (ko, ja, zh, ru) or, for Latin text, the most frequent function words.

    A script count is exact for the languages this project broadcasts in and needs no model; statistical detectors
    add a dependency and misjudge short texts.
    """
    letters = sum(1 for c in text if c.isalpha()) or 1
    counts = {lang: len(rx.findall(text)) for lang, rx in SCRIPTS}
    if counts["ja"] > 0.05 * letters:  # kana only occurs in Japanese; Japanese also uses Han
        return "ja"
    for lang in ("ko", "zh", "ru"):
        if counts[lang] > 0.3 * letters:
            return lang
    toks = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {lang: sum(1 for t in toks if t in stops) for lang, stops in LATIN_STOPS.items()}
    return max(scores, key=lambda k: (scores[k], k == "en"))


def day_first(lang: str) -> bool:
    """Whether an ambiguous slash date (03/12/2024) is day first: month first is American usage, so only English
    pages read it so."""
    return lang != "en"
