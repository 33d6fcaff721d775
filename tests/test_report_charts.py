"""The report's pictures: a time axis under the waveform and the loudness curve, and no label drawn over another
label or over the plot (where it would hide the curve)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipeline.report import LOUDNESS_PLOT, WIDTH, loudness_png, waveform_png


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("seconds", [4.0, 61.0, 405.2, 3 * 3600.0])
def test_loudness_labels_stay_off_the_plot_and_each_other(tmp_path, seconds):
    t = np.arange(0, seconds, 0.1)
    s = -16 + 3 * np.sin(t)
    labels = loudness_png(t, s, -16.0, tmp_path / "l.png", seconds)
    boxes = [box for _, box in labels]
    texts = [text for text, _ in labels]
    assert "target -16" in texts and "-20 LUFS" in texts and "0:00" in texts
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= WIDTH, (texts[i], a)
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    plot = LOUDNESS_PLOT
    for text, box in labels:  # inside the plot a label would cover the curve
        assert not _overlap(box, (plot[0] + 1, plot[1] + 1, plot[2] - 1, plot[3] - 1)), text
    with Image.open(tmp_path / "l.png") as img:
        assert img.width == WIDTH


def test_waveform_has_a_time_axis_in_minutes_and_seconds(tmp_path):
    labels = waveform_png(np.sin(np.linspace(0, 2000, 8000 * 90)).astype(np.float32) * 0.5, tmp_path / "w.png", 90.0)
    texts = [t for t, _ in labels]
    assert texts[0] == "0:00" and "1:00" in texts and len(texts) >= 4
    boxes = [b for _, b in labels]
    assert all(not _overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    with Image.open(tmp_path / "w.png") as img:  # the axis is drawn: grey pixels in the bottom band
        band = np.asarray(img.convert("L"))[-20:]
        assert (band < 200).any()
