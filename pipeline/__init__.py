"""Offline article-to-broadcast-audio pipeline.

Stages, each a module with frozen-dataclass input and output:
clean (article) -> segment -> translate -> speech -> audio (master) -> export,
orchestrated by run (one article) and batch (many).
"""

__version__ = "0.1.0"
