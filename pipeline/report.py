"""Static HTML report a producer opens before airing: player, waveform, loudness over time, transcript vs source."""

from __future__ import annotations

import functools
import re
from operator import itemgetter
from pathlib import Path

import numpy as np

from pipeline.publish import IMAGE_NAME, audio_entry, finished
from pipeline.files import atomic_path, real_folder, temp_dir
from pipeline.segment import by_paragraph

WIDTH = 900  # pixels; every picture is this wide
WAVE_HEIGHT, LOUD_HEIGHT = 150, 220
AXIS = 26  # pixels under a plot for its time axis
LEFT, RIGHT, TOP = 64, 84, 8  # loudness chart margins: level labels left, the target's label right


def analyse(audio: Path, work: Path, rate: int = 8000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the pictures show, from one decode: mono samples at a low rate (enough for the waveform), and
    (seconds, LUFS) every 100 ms from ffmpeg's EBU R128 meter, short-term (3 s) window. Decoded into a temp folder
    in `work` (the output folder, whose sweep removes what a kill leaves), not $TMPDIR."""
    from pipeline.audio import ffmpeg

    with temp_dir(work, "report") as tmp:
        raw = tmp / "audio.raw"
        log = ffmpeg.run(["-i", ffmpeg.file_arg(audio), "-filter_complex",
                          "[0:a]asplit=2[m][w];[m]ebur128=framelog=info[n]", "-map", "[n]", "-f", "null", "-",
                          "-map", "[w]", "-ac", "1", "-ar", str(rate), "-f", "s16le", ffmpeg.file_arg(raw)],
                         what="report pictures")
        samples = np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768.0
    pts = re.findall(r"t:\s*([\d.]+).*?S:\s*(-?[\d.]+|-inf)", log)
    t = np.array([float(a) for a, _ in pts])
    s = np.array([float(b) if b != "-inf" else -70.0 for _, b in pts])
    return samples, t, s


def keep_series(store, area: str, key: str, series: tuple | None) -> None:
    """Keep what the pictures show (`analyse`'s three arrays, as mastering measured them) in the cache."""
    if series is not None:
        store.put_arrays(area, key, dict(zip(("samples", "t", "s"), series)))


def cached_series(store, area: str, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    found = store.get_arrays(area, key) if store is not None else None
    return None if found is None else tuple(found[0][k] for k in ("samples", "t", "s"))


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _font():
    from PIL import ImageFont

    return ImageFont.load_default(size=12)


def _png(draw_fn, path: Path, height: int) -> list[tuple[str, Box]]:
    """Draw a picture; returns the labels drawn and their boxes (tests check none overlaps another or the plot)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (WIDTH, height), "white")
    labels = draw_fn(ImageDraw.Draw(img), _font())
    with atomic_path(path) as tmp:
        img.save(tmp, format="PNG")  # not optimize=True: 10% smaller, but 0.1 s of a one-sentence edit
    return labels


def _label(d, font, xy: tuple[float, float], text: str, anchor: str, labels: list) -> None:
    d.text(xy, text, fill="#555555", font=font, anchor=anchor)
    labels.append((text, d.textbbox(xy, text, font=font, anchor=anchor)))


def _tick_step(seconds: float, width: int) -> float:
    """A round tick interval giving a label at most every ~90 pixels."""
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if seconds / step * 90 <= width:
            return step
    return 7200


def _clock(t: float) -> str:
    m, s = divmod(round(t), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


def _time_axis(d, font, x0: float, x1: float, y: float, seconds: float, labels: list) -> None:
    """Ticks and m:ss labels along a plot's bottom edge, 0 to `seconds`."""
    d.line([(x0, y), (x1, y)], fill="#999999")
    if seconds <= 0:
        return
    step = _tick_step(seconds, int(x1 - x0))
    t = 0.0
    while t <= seconds + 1e-9:
        x = x0 + (x1 - x0) * t / seconds
        d.line([(x, y), (x, y + 4)], fill="#999999")
        anchor = "la" if t == 0 else ("ra" if x > x1 - 20 else "ma")
        _label(d, font, (x, y + 6), _clock(t), anchor, labels)
        t += step


def waveform_png(samples: np.ndarray, path: Path, seconds: float) -> list[tuple[str, Box]]:
    plot = WAVE_HEIGHT - AXIS
    mid = plot / 2
    if samples.size >= WIDTH:  # each column's highest and lowest sample, columns as np.array_split cuts them
        size, extra = divmod(samples.size, WIDTH)
        starts = np.arange(WIDTH) * size + np.minimum(np.arange(WIDTH), extra)
        tops, bottoms = np.maximum.reduceat(samples, starts), np.minimum.reduceat(samples, starts)
    else:
        tops, bottoms = np.full(WIDTH, samples.max(initial=0.0)), np.full(WIDTH, samples.min(initial=0.0))

    def draw(d, font):
        labels: list = []
        if samples.size:
            for x, (top, bottom) in enumerate(zip(tops.tolist(), bottoms.tolist())):
                d.line([(x, mid - top * (mid - 1)), (x, mid - bottom * (mid - 1))], fill="#1f4e79")
        _time_axis(d, font, 0, WIDTH - 1, plot, seconds, labels)
        return labels

    return _png(draw, path, WAVE_HEIGHT)


LOUDNESS_PLOT: Box = (LEFT, TOP, WIDTH - RIGHT, LOUD_HEIGHT - AXIS)


def loudness_png(t: np.ndarray, s: np.ndarray, target: float, path: Path, seconds: float | None = None
                 ) -> list[tuple[str, Box]]:
    """Short-term loudness over time in a plot box with level labels left of it, the target's label right of it
    and the time axis under it: no label is drawn over the curve or over another label."""
    lo, hi = -50.0, 0.0
    x0, y0, x1, y1 = LOUDNESS_PLOT
    span = seconds if seconds else (float(t[-1]) if t.size else 0.0)

    def y(v: float) -> float:
        return y1 - (min(max(v, lo), hi) - lo) / (hi - lo) * (y1 - y0)

    def draw(d, font):
        labels: list = []
        d.rectangle([x0, y0, x1, y1], outline="#cccccc")
        for level in (-10, -20, -30, -40):
            d.line([(x0, y(level)), (x1, y(level))], fill="#e4e4e4")
            _label(d, font, (x0 - 6, y(level)), f"{level} LUFS", "rm", labels)
        d.line([(x0, y(target)), (x1, y(target))], fill="#c00000", width=2)  # the profile's target
        _label(d, font, (x1 + 6, y(target)), f"target {target:g}", "lm", labels)
        if t.size > 1 and span > 0:
            xs = x0 + np.clip(t / span, 0, 1) * (x1 - x0)
            d.line(list(zip(xs.tolist(), [y(v) for v in s.tolist()])), fill="#1f4e79", width=2)
        _time_axis(d, font, x0, x1, y1, span, labels)
        return labels

    return _png(draw, path, LOUD_HEIGHT)


@functools.cache
def templates():
    """The report's templates, compiled once per process (a run compiles them on its preload thread, while ffmpeg
    masters)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape())
    for name in ("article.html", "index.html"):
        env.get_template(name)  # the environment keeps what it compiled
    return env


def write_report(out: Path, feeds: set[str] = frozenset(), store=None) -> list[Path]:
    """Render `<out>/index.html` and `<out>/<slug>/index.html` from the finished language folders; the files of the
    report (pages and pictures). `feeds`: the languages that have a feed, to link to. `store`: a cache where runs
    left what the pictures show for a file (by its checksum); a file not found there is decoded."""
    from pipeline.publish import podcast_entry, write_if_changed

    env = templates()
    articles: dict[str, dict] = {}
    written: list[Path] = []
    for folder, meta in finished(out):
        entry = audio_entry(meta)
        play = podcast_entry(meta) or entry
        audio = folder / play["path"]
        # Images are named by the audio's checksum: an unchanged programme is never decoded again.
        img_dir = real_folder(out, folder.parent / "report")  # never a link: pictures are written and deleted there
        stem = f"{meta['language']}.{play['sha256'][:12]}"
        wave, loud = img_dir / f"{stem}.wave.png", img_dir / f"{stem}.loudness.png"
        if not (wave.is_file() and loud.is_file()):
            samples, t, s = cached_series(store, "pictures", play["sha256"]) or analyse(audio, out)
            waveform_png(samples, wave, play["duration_s"])
            loudness_png(t, s, meta.get("target_lufs", -16.0), loud, play["duration_s"])
        written += [wave, loud]
        art = articles.setdefault(meta["slug"], {
            "slug": meta["slug"], "title": meta.get("source_title") or meta.get("title"), "langs": [], "meta": meta,
            "source_lang": meta.get("source_language") or "en"})
        rel = folder.relative_to(folder.parent).as_posix()
        art["langs"].append({
            "lang": meta["language"],
            "audio": f"{rel}/{play['path']}",
            "files": [(label, f"{rel}/{f['path']}") for label, f in _downloads(meta, play)],
            "manifest": f"{rel}/manifest.json",
            "feed": f"feed.{meta['language']}.xml" if meta["language"] in feeds else None,
            "wave": wave.relative_to(folder.parent).as_posix(),
            "loud": loud.relative_to(folder.parent).as_posix(),
            "entry": entry,
            "podcast": play if play is not entry else None,
            "meta": meta,
            "idents": meta.get("idents") or {},
            "paragraphs": _paragraphs(meta.get("sentences", [])),
        })
    for art in articles.values():
        keep = {l[k] for l in art["langs"] for k in ("wave", "loud")}
        for stale in (out / art["slug"] / "report").glob("*.png"):
            # Pictures of an earlier version of the programme; only names we draw (a PNG a user put there stays).
            if IMAGE_NAME.fullmatch(stale.name) and stale.relative_to(out / art["slug"]).as_posix() not in keep:
                stale.unlink()
        page = out / art["slug"] / "index.html"
        write_if_changed(page, env.get_template("article.html").render(article=art, prefix="", root="../")
                         .encode("utf-8"))
        written.append(page)
    index = out / "index.html"
    write_if_changed(index, env.get_template("index.html").render(articles=list(articles.values())).encode("utf-8"))
    return [index, *written]


def _downloads(meta: dict, play: dict) -> list[tuple[str, dict]]:
    """Every file of a language folder with a label: programme(s), transcript, subtitles."""
    names = {".mp3": "MP3", ".mp2": "MP2 (broadcast)", ".wav": "WAV (broadcast)", ".txt": "transcript",
             ".srt": "SRT subtitles", ".vtt": "WebVTT subtitles"}
    out = []
    for f in meta["files"]:
        suffix = Path(f["path"]).suffix
        label = names.get(suffix, suffix.lstrip("."))
        if f is play and suffix == ".mp3":
            label = "MP3 (podcast)"
        out.append((label, f))
    return out


def _paragraphs(sentences: list[dict]) -> list[dict]:
    """Group sentences by paragraph: source and translation side by side."""
    return [{"index": i, "sentences": ss} for i, ss in by_paragraph(sentences, itemgetter("paragraph"))]
