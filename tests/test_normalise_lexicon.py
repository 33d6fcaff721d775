"""A voice's lexicon is applied before the rules, and its entries win over them."""

from pipeline.speech.normalise import normalise


def test_lexicon_entry_wins_over_the_acronym_rule():
    assert normalise("UN 회의", "ko") == "유엔 회의"
    assert normalise("UN 회의", "ko", {"UN": "국제연합"}) == "국제연합 회의"


def test_lexicon_keeps_korean_particles_attached():
    assert normalise("KCNA는 보도했다.", "ko", {"KCNA": "조선중앙통신"}) == "조선중앙통신은 보도했다."
    assert normalise("KCNA로 보냈다.", "ko", {"KCNA": "조선중앙통신"}) == "조선중앙통신으로 보냈다."
    assert normalise("KCNA가", "ko", {"KCNA": "서울"}) == "서울이"
    assert normalise("KCNA로", "ko", {"KCNA": "서울"}) == "서울로"
    assert normalise("KCNA이다", "ko", {"KCNA": "나라"}) == "나라이다"


def test_lexicon_output_is_not_rewritten_by_the_rules():
    # The lexicon may deliberately keep Latin letters or digits (e.g. an eSpeak phoneme spelling).
    out = normalise("BTS 공연", "ko", {"BTS": "BTS"})
    assert out == "BTS 공연"
    assert normalise("3명", "ko", {"3명": "세 사람"}) == "세 사람"


def test_latin_entry_does_not_fire_inside_a_longer_word():
    assert normalise("UNESCO", "ko", {"UN": "국제연합"}) == "유네스코"


def test_hangul_entry_and_english_lexicon():
    assert normalise("김정은은 말했다.", "ko", {"김정은": "김정은 국무위원장"}) == "김정은 국무위원장은 말했다."
    out = normalise("Mr. Kim met NK officials.", "en", {"NK": "North Korean"})
    assert out == "Mister Kim met North Korean officials."


def test_empty_or_missing_lexicon_changes_nothing():
    text = "2009년 DMZ를"
    assert normalise(text, "ko", {}) == normalise(text, "ko", None) == "이천구 년 디엠지를"
