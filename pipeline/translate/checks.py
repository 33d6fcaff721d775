"""Checks on machine output, sentence by sentence: is this text in the target language's writing system, is it a
translation at all (not a copy of the source), is it there (not empty), is it text (no broken bytes), did the model
stop (no runaway repeats)?

Pure functions over (source, output, target language); a back end's output is checked whatever the back end.
The `regex` module gives Unicode script properties (`\\p{Script=Hangul}`), which `re` and `unicodedata` lack.
"""

from __future__ import annotations

import regex

# Writing systems of the target languages argos and common MT models cover. A language not listed here gets every
# check but the script one (a wrong guess would refuse good output).
SCRIPTS: dict[str, tuple[str, ...]] = {
    "ko": ("Hangul",),  # Hanja are rare in broadcast Korean; a Chinese answer to a Korean request is wrong
    "ja": ("Hiragana", "Katakana", "Han"),
    "zh": ("Han",), "zt": ("Han",),
    **dict.fromkeys(("ru", "uk", "bg", "be", "mk", "kk", "ky", "mn", "tg"), ("Cyrillic",)),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug"), ("Arabic",)),
    **dict.fromkeys(("he", "yi"), ("Hebrew",)),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), ("Devanagari",)),
    "el": ("Greek",), "bn": ("Bengali",), "th": ("Thai",), "ka": ("Georgian",), "hy": ("Armenian",),
    "am": ("Ethiopic",), "ta": ("Tamil",), "te": ("Telugu",), "kn": ("Kannada",), "ml": ("Malayalam",),
    "gu": ("Gujarati",), "pa": ("Gurmukhi",), "si": ("Sinhala",), "km": ("Khmer",), "lo": ("Lao",),
    "my": ("Myanmar",), "bo": ("Tibetan",),
    **dict.fromkeys(("af az ca cs cy da de en eo es et eu fi fr ga gl hr hu id is it lt lv ms mt nb nl nn no pl pt "
                     "ro sk sl sq sv sw tl tr vi").split(), ("Latin",)),
}
MIN_SHARE = 0.5  # of the new letters (not kept from the source) that must be in the target script
COPY_WORDS = 4  # a source this long copied as is was not translated (a name or a short title may stay as written)
COPY_LETTERS = 20
REPEATS = 4  # the same chunk this many times in a row, when the source has no such run: the decoder did not stop
MAX_GROWTH, MAX_EXTRA = 5, 40  # output longer than 5x the source + 40 characters: runaway

_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def _repeat(text: str, times: int) -> regex.Match | None:
    """A chunk of 2-31 characters said TIMES times in a row."""
    return regex.search(r"(\S.{1,30}?)(?:\s*\1){%d,}" % (times - 1), text)


def scripts(lang: str) -> tuple[str, ...] | None:
    return SCRIPTS.get(lang.lower().replace("_", "-").split("-")[0])


def _in_scripts(names: tuple[str, ...]) -> regex.Pattern:
    return regex.compile("[" + "".join(rf"\p{{Script={n}}}" for n in names) + "]")


def _share(text: str, names: tuple[str, ...]) -> float | None:
    letters = _LETTER.findall(text)
    return len(_in_scripts(names).findall(text)) / len(letters) if letters else None


def _squash(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def problems(source: str, text: str, lang: str) -> tuple[str, ...]:
    """What is wrong with TEXT as the LANG translation of SOURCE; () when nothing is."""
    if not _WORD.search(source):
        return ()  # nothing to translate (a dash, a bullet): nothing to check
    if not _WORD.search(text):
        return ("empty: the model gave no text",)
    found = []
    expected = scripts(lang)
    letters = _LETTER.findall(source)  # none: numbers alone ("2008.") read the same in every language
    same_script = not letters or expected is None or (_share(source, expected) or 0) >= MIN_SHARE
    source_words = set(_squash(source).split())
    # Words kept from the source (names, acronyms: "BBC 뉴스") say nothing about the output's script.
    new = " ".join(w for w in _squash(text).split() if w not in source_words)
    if letters and _squash(text) == _squash(source) and (
            not same_script or len(source_words) >= COPY_WORDS or len(letters) >= COPY_LETTERS):
        found.append("untranslated: a copy of the source")
    elif not same_script and not _LETTER.search(new) and _LETTER.search(text):
        found.append("untranslated: only words of the source")
    elif expected and (share := _share(new, expected)) is not None and share < MIN_SHARE:
        found.append(f"wrong script: {share:.0%} {'/'.join(expected)}, expected {lang} text")
    if "\ufffd" in text and "\ufffd" not in source:
        found.append("garbled: bytes that are no text (U+FFFD)")
    repeat = _repeat(text, REPEATS)
    if repeat and not _repeat(source, REPEATS - 1):  # a source that repeats itself may be translated so
        found.append(f"runaway: {repeat.group(1)!r} repeated")
    elif len(text) > MAX_GROWTH * len(source) + MAX_EXTRA:
        found.append(f"runaway: {len(text)} characters for a source of {len(source)}")
    return tuple(found)
