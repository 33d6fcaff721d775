"""Golden cases: input -> spoken form, written by hand from the reading conventions (tests/data/normalise/*.tsv).

Korean is compared exactly, spaces included: the normaliser follows standard Korean spacing (세 명, 만 팔천오백),
which is also how /work/shared/eval/ko_dev_spoken.txt is spaced.
"""

from pathlib import Path

import pytest

from pipeline.speech.normalise import normalise

DATA = Path(__file__).parent / "data" / "normalise"


def _cases(lang: str):
    for number, line in enumerate((DATA / f"{lang}.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith("#"):
            written, spoken = line.split("\t")
            yield pytest.param(written, spoken, id=f"{lang}:{number}")


@pytest.mark.parametrize("lang", ["ko", "en", "zh", "ru", "ja"])
def test_enough_golden_cases(lang):
    minimum = {"ko": 80, "en": 40}.get(lang, 5)
    assert len(list(_cases(lang))) >= minimum


@pytest.mark.parametrize("lang", ["ko", "en", "zh", "ru", "ja"])
def test_golden(lang):
    wrong = [(p.values[0], normalise(p.values[0], lang), p.values[1]) for p in _cases(lang)
             if normalise(p.values[0], lang) != p.values[1]]
    assert not wrong, "\n".join(f"{w!r}\n   got {g!r}\n  want {s!r}" for w, g, s in wrong)
