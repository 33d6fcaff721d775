"""Glossary: names and terms translated one fixed way, or kept as written.

File format (UTF-8, one term a line, tab-separated, `#` starts a comment):

    Lee Myung-bak<TAB>이명박
    DMZ<TAB>=            # '=' or nothing: keep as written

Terms are protected with numbered placeholders before inference and put back after it; a sentence whose
placeholder the model lost is translated again without the glossary rather than garbled.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

_PLACEHOLDER = "[[{}]]"


@dataclass(frozen=True)
class Glossary:
    terms: tuple[tuple[str, str], ...] = ()  # (source, target), longest source first

    @property
    def version(self) -> str:
        return hashlib.sha256(json.dumps(self.terms, ensure_ascii=False).encode()).hexdigest()[:16] if self.terms else ""

    def _pattern(self) -> re.Pattern | None:
        if not self.terms:
            return None
        alts = [(r"\b" if re.match(r"\w", s) else "") + re.escape(s) + (r"\b" if re.search(r"\w$", s) else "")
                for s, _ in self.terms]
        return re.compile("|".join(alts))

    def protect(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Replace terms by placeholders; return the text and the target of each placeholder."""
        pattern = self._pattern()
        if pattern is None:
            return text, ()
        targets: list[str] = []
        lookup = dict(self.terms)

        def sub(m: re.Match) -> str:
            targets.append(lookup[m.group(0)])
            return _PLACEHOLDER.format(len(targets))

        return pattern.sub(sub, text), tuple(targets)

    @staticmethod
    def restore(text: str, targets: tuple[str, ...]) -> str | None:
        """Put the targets back; None when a placeholder is missing or duplicated in the model's output."""
        for n, target in enumerate(targets, 1):
            mark = _PLACEHOLDER.format(n)
            if text.count(mark) != 1:
                return None
            text = text.replace(mark, target)
        return text


def default_path(lang: str) -> Path | None:
    """`<lang>.tsv` in $PIPELINE_GLOSSARY_DIR, else in `glossary/` of the working folder, when it exists."""
    folder = Path(os.environ.get("PIPELINE_GLOSSARY_DIR") or "glossary")
    path = folder / f"{lang}.tsv"
    return path if path.is_file() else None


def load(path: Path | None) -> Glossary:
    if path is None:
        return Glossary()
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read glossary {path}: {exc}") from None
    terms = {}
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].rstrip() if not line.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        source, _, target = line.partition("\t")
        source, target = source.strip(), target.strip()
        if not source:
            raise PipelineError(f"{path}:{n}: empty term", "write `term<TAB>translation` or `term<TAB>=`")
        terms[source] = source if target in ("", "=") else target
    return Glossary(tuple(sorted(terms.items(), key=lambda t: (-len(t[0]), t[0]))))
