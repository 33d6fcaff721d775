"""Programme loudness from per-clip statistics (ITU-R BS.1770-4), so an edit measures only the clips it changed.

A programme is clips and silences; its integrated loudness depends on 400 ms gating blocks that overlap by 75% and
straddle clip boundaries, so per-clip loudness figures cannot simply be averaged. What does add up is energy: each
clip keeps the energy of its K-weighted signal (after the profile's own filters, exactly as ffmpeg's ebur128 would
see the stream) in short sub-blocks of SUB samples, counted from the clip's first streamed frame. Placed on the
programme's timeline, these give the energy up to every 100 ms grid point; the difference of two grid points four
apart is one gating block's energy, wherever the clips fall. A sub-block cut by a grid point is shared in
proportion (SUB is under 1.5 ms at 22.05 kHz, so that costs well under 0.01 LU; energy is conserved, so what one
block lacks its neighbour has). Silence adds nothing but time.

The filters are linear, so a clip filtered alone (from rest, with its ringing tail kept) sums to the programme's
filtered signal; only where a tail overlaps the next clip (pauses under TAIL_S) are the cross terms left out.
ffmpeg runs the filters (its own highpass/lowpass, the very ones the render uses, and K-weighting as `biquad`),
in one pass over the clips not yet measured: scipy's lfilter would do as well but takes seconds to import, and an
IIR loop in numpy is slow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

SUB = 32  # samples per stored energy sub-block
TAIL_S = 0.05  # filter ringing kept after a clip's last frame (the 38 Hz K-weighting high-pass settles in ~20 ms)
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0

Biquad = tuple[tuple[float, float, float], tuple[float, float, float]]  # (b0, b1, b2), (a0, a1, a2)


def k_weighting(rate: int) -> list[Biquad]:
    """BS.1770's pre-filter (high shelf) and RLB high-pass for any sample rate, from the analogue prototypes fitted
    to the standard's 48 kHz coefficients (libebur128's constants, which ffmpeg's ebur128 uses too)."""
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0), \
        (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    highpass = (1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return [shelf, highpass]


def k_weighting_filters(rate: int) -> list[str]:
    """K-weighting as ffmpeg `biquad` filters (in every ffmpeg from 4.2 on)."""
    return ["biquad=" + ":".join(f"{n}={v!r}" for n, v in zip(("b0", "b1", "b2", "a0", "a1", "a2"), (*b, *a)))
            for b, a in k_weighting(rate)]


class ClipMeter:
    """Sums one clip's filtered samples, block by block, into per SUB-frame sub-blocks: the K-weighted energy over
    all channels, and the highest absolute sample after the profile's filters (what a limiter behind them sees)."""

    def __init__(self) -> None:
        self.energy: list[np.ndarray] = []
        self.peaks: list[np.ndarray] = []
        self.carry = (np.zeros(0), np.zeros(0))  # per-frame power and peak not yet filling a sub-block

    def feed(self, filtered: np.ndarray | None, weighted: np.ndarray) -> None:
        """`filtered`, `weighted`: (frames, channels) after the profile's filters, and after K-weighting too.
        Without `filtered`, no peaks are kept (they come out as zeros)."""
        power = np.concatenate([self.carry[0], np.sum(np.square(weighted, dtype=np.float64), axis=1)])
        peak = np.concatenate([self.carry[1], np.max(np.abs(filtered), axis=1) if filtered is not None
                               else np.zeros(len(weighted))])
        whole = len(power) - len(power) % SUB
        self.energy.append(power[:whole].reshape(-1, SUB).sum(axis=1))
        self.peaks.append(peak[:whole].reshape(-1, SUB).max(axis=1))
        self.carry = power[whole:].copy(), peak[whole:].copy()  # copies: a view would keep the whole chunk alive

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        power, peak = self.carry
        if len(power):
            self.energy.append(power.sum()[None])
            self.peaks.append(peak.max()[None])
        # float32 halves memory and cache; sums are taken in float64 (`integrated`)
        return np.concatenate(self.energy).astype(np.float32), np.concatenate(self.peaks).astype(np.float32)


def integrated(placed: Iterable[tuple[int, np.ndarray]], length: int, rate: int) -> float:
    """Integrated loudness (LUFS) of a `length`-frame programme holding, at each frame offset, a clip with those
    sub-block energies (silence elsewhere). Gating blocks of 400 ms every 100 ms from the start, as BS.1770-4."""
    energy, step = _cumulative(placed, length, rate)
    if len(energy) < 5:
        return -math.inf
    return gated((energy[4:] - energy[:-4]) / (4 * step))


def short_term(placed: Iterable[tuple[int, np.ndarray]], length: int, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, LUFS) every 100 ms: the short-term loudness (3 s window, silence before the start) that ffmpeg's
    ebur128 logs, for the report's chart. -70 where there is nothing."""
    energy, step = _cumulative(placed, length, rate)
    window = np.concatenate([np.zeros(30), energy])
    power = (window[30:] - window[:-30]) / (30 * step)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(np.maximum(power, 0.0))
    return np.arange(len(energy)) * 0.1, np.maximum(loud, -70.0)


def _cumulative(placed: Iterable[tuple[int, np.ndarray]], length: int, rate: int) -> tuple[np.ndarray, float]:
    """The energy up to every 100 ms point of the programme, and the step in frames."""
    step = rate / 10
    grid = np.arange(int(length // step) + 1) * step  # the 100 ms points, in frames
    before = np.zeros(len(grid) + 1)  # energy of clips ending before each grid point, as a difference array
    energy = np.zeros(len(grid))
    for offset, e in placed:
        cum = np.concatenate([[0.0], np.cumsum(e, dtype=np.float64)])
        end = offset + len(e) * SUB
        lo, hi = np.searchsorted(grid, [offset, end])
        energy[lo:hi] += np.interp((grid[lo:hi] - offset) / SUB, np.arange(len(cum)), cum)
        before[hi] += cum[-1]
    return energy + np.cumsum(before)[:-1], step


def gated(power: np.ndarray) -> float:
    """BS.1770-4 gating over mean-square block powers: absolute gate at -70 LUFS, then relative at -10 LU."""
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(np.maximum(power, 0.0))
    kept = power[loud > ABSOLUTE_GATE_LUFS]
    if not kept.size:
        return -math.inf
    relative = -0.691 + 10 * math.log10(kept.mean()) + RELATIVE_GATE_LU
    kept = power[(loud > ABSOLUTE_GATE_LUFS) & (loud > relative)]
    return -0.691 + 10 * math.log10(kept.mean())


def limited(energy: np.ndarray, peaks: np.ndarray, gain: float, ceiling: float, rate: int,
            attack_s: float = 0.005, release_s: float = 0.05) -> np.ndarray:
    """Sub-block energies of a clip after `gain` (linear) and a lookahead limiter at `ceiling` (linear): a model
    of ffmpeg's alimiter that lets the make-up gain be found without streaming the programme through ffmpeg (the
    encoded file is measured anyway). The gain reduction a sub-block needs starts half the attack ahead of it and
    decays exponentially with half the release as time constant: fitted to alimiter on eSpeak NG speech, where it
    is within 0.05 LU from 0 to 8 dB of limiting (a full attack and release lose 0.1-0.4 LU too much)."""
    need = np.clip(1 - ceiling / np.maximum(peaks * np.float32(gain), 1e-12), 0.0, 1.0)  # gain to take off
    if not need.any():
        return energy * np.float32(gain * gain)
    held = need.copy()
    for k in range(1, math.ceil(attack_s / 2 * rate / SUB) + 1):
        np.maximum(held[:-k], need[k:], out=held[:-k])
    decay = np.float32(math.exp(-SUB / (release_s / 2 * rate)))
    env = held.copy()
    k, factor = 1, decay
    while factor > 0.005 and k < len(env):
        np.maximum(env[k:], held[:-k] * factor, out=env[k:])
        k, factor = k + 1, factor * decay
    return energy * (np.float32(gain) * (1 - env)) ** 2
