"""Text normalisation for speech: written text in, text a voice can read aloud out.

`normalise(text, lang, lexicon)` applies the voice's lexicon first (its entries win over every rule), then the
rules of `pipeline/speech/normalise/<lang>.py`. Every function here is pure.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Mapping

from pipeline.errors import PipelineError

_LANGUAGES = ("en", "ja", "ko", "ru", "zh")
# Lexicon outputs are parked in Unicode private-use characters while the rules run, so no rule can touch them.
_PUA = 0xE000


def supported_languages() -> tuple[str, ...]:
    return _LANGUAGES


def normalise(text: str, lang: str, lexicon: Mapping[str, str] | None = None) -> str:
    code = lang.lower().replace("_", "-").split("-")[0]
    if code not in _LANGUAGES:
        raise PipelineError(
            f"no text normalisation for language {lang!r}",
            f"use one of: {', '.join(_LANGUAGES)}",
        )
    rules = importlib.import_module(f"{__name__}.{code}")
    text = drop_markup(text.translate(_STRIP_PUA))
    protected, spoken = _protect(text, lexicon or {})
    out = rules.normalise(protected)
    if not spoken:
        return out
    restored = _restore(out, spoken, getattr(rules, "PARTICLE_RE", None), getattr(rules, "particle_after", None))
    return restored


_STRIP_PUA = {c: None for c in range(_PUA, _PUA + 0x1000)}
# A tag as HTML/XML/SSML writes it. A lone bare one mentioned in prose (a <script> element) is read as its word, the
# way a newsreader would say it; a paired one (<b>...</b>), a self-closing one and one with attributes
# (<audio src="...">) are markup and are dropped whole.
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:.-]*)((?:\s+[^<>]*?)?)\s*(/?)\s*>")
_COMMENT = re.compile(r"<!--.*?-->|<!\[CDATA\[|\]\]>|<\?.*?\?>|<![A-Za-z][^<>]*>", re.S)


def drop_markup(text: str) -> str:
    """Markup in article or translator text is never passed on as markup: entities decoded, comments, processing
    instructions and declarations removed, tags with attributes removed, bare tags reduced to their names."""
    if "<" not in text and "&" not in text:
        return text
    text = _COMMENT.sub(" ", html.unescape(text))

    closed = {m[2].lower() for m in _TAG.finditer(text) if m[1]}

    def tag(m: re.Match) -> str:
        markup = m[3].strip() or m[4] or m[2].lower() in closed
        return " " if markup else f" {m[2]} "

    # Entities can hide tags inside tags (&lt;audio ...&gt;); a few rounds leave none.
    for _ in range(3):
        text, n = _TAG.subn(tag, text)
        if not n:
            break
    return re.sub(r"[ \t]{2,}", " ", text).replace(" .", ".").replace(" ,", ",").strip()


def _key_pattern(key: str) -> str:
    # An entry like "UN" must not fire inside "UNESCO"; Hangul entries may be followed by particles (김정은은).
    pat = re.escape(key)
    if re.match(r"[A-Za-z0-9]", key):
        pat = r"(?<![A-Za-z0-9])" + pat
    if re.search(r"[A-Za-z0-9]$", key):
        pat += r"(?![A-Za-z0-9])"
    return pat


def _protect(text: str, lexicon: Mapping[str, str]) -> tuple[str, list[str]]:
    keys = sorted((k for k in lexicon if k), key=len, reverse=True)[:0x1000]
    if not keys:
        return text, []
    index = {k: i for i, k in enumerate(keys)}
    pattern = re.compile("|".join(_key_pattern(k) for k in keys))
    return pattern.sub(lambda m: chr(_PUA + index[m.group(0)]), text), [lexicon[k] for k in keys]


def _restore(text: str, spoken: list[str], particle_re: re.Pattern | None, particle_after) -> str:
    """Put the lexicon's spoken forms back; where the language has one, re-choose the particle after each
    (Korean: KCNA는 written for 케이씨엔에이는 becomes 조선중앙통신은 when the lexicon says 조선중앙통신)."""

    def back(m: re.Match) -> str:
        word = spoken[ord(m[1]) - _PUA]
        particle = m[2] or ""
        return word + (particle_after(word, particle) if particle and particle_after else particle)

    suffix = f"({particle_re.pattern})?" if particle_re is not None else "()"
    return re.sub(f"([\ue000-\uefff]){suffix}", back, text)
