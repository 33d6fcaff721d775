"""Speech stage: text -> the exact engine input (`speech_input`, pure) -> one WAV clip per sentence (`synthesize`).

`speech_input` applies the voice's lexicon, the language's normaliser and the speaking engine's own preparation
(eSpeak input, Korean IPA for Kokoro...). `synthesize` takes (id, engine input) pairs, so a caller can cache clips on the engine
input plus `Voice.cache_key()`, and runs the engine in worker processes with a timeout per sentence.
"""

from __future__ import annotations

import re
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.files import atomic_path
from pipeline.speech.worker import Worker

if TYPE_CHECKING:
    from pipeline.speech.voices import Voice

__all__ = ["Clip", "Voice", "list_voices", "load_voice", "speak_text", "speech_input", "spoken_text", "synthesize"]


def __getattr__(name: str):
    # Voices (TOML files, the engine registry) load on first use: a synthesis worker imports this package only to
    # reach its engine, and its start is on the path of every run that speaks.
    if name in ("Voice", "list_voices", "load_voice"):
        from pipeline.speech import voices

        return getattr(voices, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}")
_EMPTY_RATE = 22050  # for clips with nothing to say
# Private-use characters carry code-made phoneme spans (engines.PHONEMES_OPEN/CLOSE); control characters have no
# business in speech. Neither may come from an article or a translation.
_UNTRUSTED = {**{c: None for c in range(0xE000, 0xF900)}, **{c: " " for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}}


@dataclass(frozen=True)
class Clip:
    id: str
    path: Path
    duration: float  # seconds, measured from the WAV file
    sample_rate: int


def spoken_text(text: str, voice: Voice) -> str:
    """`text` as it will be said, in words: the voice's lexicon, then the language's normaliser (markup dropped,
    numbers, dates, symbols and acronyms written out). What `pipeline voices preview` shows."""
    return _normalised(text, voice, {})


def speech_input(text: str, voice: Voice) -> str:
    """The exact string the speaking engine gets for `text`: the normalised text (with the engine's own lexicon,
    e.g. eSpeak phoneme spellings), then the engine's preparation (eSpeak input, IPA for Kokoro, safe text for
    Piper). Lexicon entries win over every normalisation rule.

    Text from articles and translations reaches an engine only as text: markup is dropped by the normaliser, and
    phoneme or markup syntax in the engine input comes only from the engine's `prepare` (see engines/).
    """
    from pipeline.speech.engines import contract

    speaker = voice.speaker()
    engine = contract(speaker.engine)
    return engine.prepare(_normalised(text, voice, engine.lexicon(speaker.settings)), voice.language, speaker.settings)


def _normalised(text: str, voice: Voice, extra_lexicon: dict[str, str]) -> str:
    from pipeline.speech.normalise import normalise

    return normalise(text.translate(_UNTRUSTED), voice.language, {**voice.lexicon, **extra_lexicon})


def start(voice: Voice, threads: int = 1) -> Worker:
    """A worker for `voice`, started now: its engine loads while the caller prepares the text (give it to
    `synthesize` as `started`; close it if it is not used)."""
    return Worker(voice.engine, voice.settings(), threads)


def synthesize(
    items: Sequence[tuple[str, str]], voice: Voice, out_dir: Path, *, timeout_s: float = 30, workers: int = 1,
    threads: int = 1, on_clip: Callable[[Clip], None] | None = None, started: Worker | None = None,
) -> tuple[Clip, ...]:
    """Synthesise (id, engine input) pairs to `<out_dir>/<id>.wav` (mono 16-bit, the engine's rate), in order.

    The engine runs in `workers` worker processes (contiguous slices of `items`), each with `threads` threads if it
    can use them (Kokoro; $PIPELINE_SPEECH_THREADS wins) and each sentence within `timeout_s`;
    a hang or crash raises PipelineError naming the sentence. A worker already `started` for this voice is the pool
    when one worker is enough; otherwise it is closed. Files are written atomically: a clip exists whole or
    not at all. `on_clip` gets each clip as soon as it is written (from a worker's thread), so a caller can keep it
    before the rest are done: a neural sentence costs seconds, and an interrupted run should lose none of them.
    """
    seen: set[str] = set()
    for item_id, text in items:
        if not isinstance(item_id, str) or not _SAFE_ID.fullmatch(item_id) or item_id in seen:
            raise PipelineError(f"bad or duplicate clip id {item_id!r}", "use unique ids of letters, digits, '_', '.', '-'")
        if not isinstance(text, str):
            raise PipelineError(f"clip {item_id!r}: engine input must be text, not {type(text).__name__}")
        seen.add(item_id)
    spoken = [(i, t) for i, t in items if t.strip()]
    workers = max(1, min(workers, len(spoken)))
    if started is not None and (workers > 1 or not spoken):
        started.close()
        started = None
    pool = [started] if started else [start(voice, threads) for _ in range(workers if spoken else 0)]
    clips = {c.id: c for c in _synthesize(pool, spoken, out_dir, timeout_s, on_clip)}
    # A sentence with nothing left to say (only punctuation, say) is an empty clip, not a failed run.
    return tuple(clips.get(i) or _write_wav(Path(out_dir) / f"{i}.wav", i, _EMPTY_RATE, b"") for i, _ in items)


def _synthesize(pool: list[Worker], items: Sequence[tuple[str, str]], out_dir: Path, timeout_s: float,
                on_clip: Callable[[Clip], None] | None = None) -> tuple[Clip, ...]:
    """Run contiguous slices of `items` on already started workers, writing each clip as it arrives."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not items:
        return ()
    size = -(-len(items) // len(pool))
    batches = [list(items[i : i + size]) for i in range(0, len(items), size)]
    for unused in pool[len(batches) :]:
        unused.close()

    def run(worker: Worker, batch: list[tuple[str, str]]) -> list[Clip]:
        clips = []
        with worker:
            for i, rate, pcm in worker.run(batch, timeout_s=timeout_s):
                clips.append(_write_wav(out_dir / f"{i}.wav", i, rate, pcm))
                if on_clip is not None:
                    on_clip(clips[-1])
        return clips

    if len(batches) == 1:
        return tuple(run(pool[0], batches[0]))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(batches)) as threads:
        results = [threads.submit(run, w, b) for w, b in zip(pool, batches)]
        try:
            return tuple(clip for r in results for clip in r.result())
        except BaseException:  # one failed or Ctrl-C: stop the others now, not when they finish their slices
            for worker in pool:
                worker.close()
            raise


def _write_wav(path: Path, clip_id: str, rate: int, pcm: bytes) -> Clip:
    with atomic_path(path) as tmp:
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
    return clip_of(path, clip_id)


def clip_of(path: Path, clip_id: str | None = None) -> Clip:
    """A Clip for an existing WAV file, duration measured from the file."""
    with wave.open(str(path), "rb") as w:
        rate, frames = w.getframerate(), w.getnframes()
    return Clip(id=clip_id or path.stem, path=Path(path), duration=frames / rate, sample_rate=rate)


def speak_text(text: str, voice: Voice, out: Path, *, timeout_s: float = 30, workers: int = 1) -> Clip:
    """The whole speech stage on free text: paragraphs and sentences, engine input, synthesis, joined into one WAV
    with the voice's sentence and paragraph pauses (`pipeline speak`)."""
    # The engine processes start first and load while the text is split and normalised.
    pool = [start(voice) for _ in range(max(1, workers))]
    try:
        paragraphs = [split_sentences(p, voice.language) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        items, last_in_paragraph = [], set()
        for p, sentences in enumerate(paragraphs):
            for s, sentence in enumerate(sentences):
                engine_input = speech_input(sentence, voice)
                if engine_input.strip():
                    items.append((f"s{p:04d}-{s:04d}", engine_input))
            if items:
                last_in_paragraph.add(items[-1][0])
        if not items:
            raise PipelineError("nothing to speak: the text is empty", "give some text with --text or a FILE")
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pipeline-speak-") as tmp:
            clips = _synthesize(pool[: len(items)], items, Path(tmp), timeout_s)
            return join_clips(clips, out, sentence_pause_s=voice.sentence_pause_s,
                              paragraph_pause_s=voice.paragraph_pause_s, paragraph_ends=last_in_paragraph)
    finally:
        for worker in pool:
            worker.close()


def join_clips(
    clips: Sequence[Clip], out: Path, *, sentence_pause_s: float, paragraph_pause_s: float,
    paragraph_ends: set[str] = frozenset(),
) -> Clip:
    """Concatenate clips (same sample rate) into one WAV, with a pause after each clip but the last."""
    out = Path(out)
    rate = clips[0].sample_rate
    with atomic_path(out) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for i, clip in enumerate(clips):
            with wave.open(str(clip.path), "rb") as r:
                if r.getframerate() != rate or r.getnchannels() != 1 or r.getsampwidth() != 2:
                    raise PipelineError(f"clip {clip.id} is not 16-bit mono at {rate} Hz", "re-synthesise it")
                w.writeframes(r.readframes(r.getnframes()))
            if i < len(clips) - 1:
                pause = paragraph_pause_s if clip.id in paragraph_ends else sentence_pause_s
                w.writeframes(b"\0\0" * round(pause * rate))
    return clip_of(out, out.stem)


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one paragraph, by the segment stage's splitter (one owner of sentence splitting)."""
    from pipeline.segment import split_sentences as segment_split

    return [s for s in segment_split(text, lang) if s.strip()]
