"""Clean stage: scraped page (flattened text or HTML) -> Article."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    author: str | None = None
    author_role: str | None = None
    source: str | None = None
    date: str | None = None  # ISO 8601
    language: str = "en"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["paragraphs"] = list(self.paragraphs)
        return d

    def to_text(self) -> str:
        head = [self.title] + [x for x in (self.author, self.author_role, self.source, self.date) if x]
        return "\n".join(head) + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def clean_source(source: str) -> Article:
    """Read SOURCE (path, '-' for stdin, or URL) and clean it."""
    raise NotImplementedError("the clean stage is being built (issue 2)")
