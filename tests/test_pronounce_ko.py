"""Korean pronunciation rules: golden cases from 표준 발음법 (examples of its articles), and eSpeak input shape."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.speech.pronounce.ko import pronounce, pronounce_hangul

# written -> standard pronunciation (표준 발음법 article in the comment)
GOLDEN = [
    # 9-11항 받침 neutralisation and double finals
    ("닦다", "닥따"), ("옷", "옫"), ("있다", "읻따"), ("꽃", "꼳"), ("앞", "압"), ("덮다", "덥따"),
    ("넋", "넉"), ("앉다", "안따"), ("여덟", "여덜"), ("넓다", "널따"), ("외곬", "외골"), ("핥다", "할따"),
    ("값", "갑"), ("없다", "업따"), ("밟다", "밥따"), ("닭", "닥"), ("흙과", "흑꽈"), ("맑다", "막따"),
    ("늙지", "늑찌"), ("젊다", "점따"), ("읊고", "읍꼬"), ("맑게", "말께"), ("읽다", "익따"),
    # 12항 ㅎ
    ("놓고", "노코"), ("좋다", "조타"), ("쌓지", "싸치"), ("많고", "만코"), ("않던", "안턴"), ("닳지", "달치"),
    ("각하", "가카"), ("먹히다", "머키다"), ("밝히다", "발키다"), ("맏형", "마텽"), ("좁히다", "조피다"),
    ("넓히다", "널피다"), ("꽂히다", "꼬치다"), ("앉히다", "안치다"), ("옷 한 벌", "오탄벌"),
    ("닿소", "다쏘"), ("많소", "만쏘"), ("싫소", "실쏘"), ("놓는", "논는"), ("쌓네", "싼네"),
    ("않네", "안네"), ("뚫네", "뚤레"), ("뚫는", "뚤른"),
    ("낳은", "나은"), ("놓아", "노아"), ("쌓이다", "싸이다"), ("많아", "마나"), ("않은", "아는"),
    ("닳아", "다라"), ("싫어도", "시러도"),
    # 13-14항 연음
    ("옷이", "오시"), ("깎아", "까까"), ("있어", "이써"), ("꽂아", "꼬자"), ("밭에", "바테"), ("앞으로", "아프로"),
    ("넋이", "넉씨"), ("앉아", "안자"), ("닭을", "달글"), ("젊어", "절머"), ("곬이", "골씨"), ("핥아", "할타"),
    ("읊어", "을퍼"), ("값을", "갑쓸"), ("없어", "업써"), ("값이", "갑씨"),
    # 17항 구개음화
    ("곧이듣다", "고지듣따"), ("굳이", "구지"), ("미닫이", "미다지"), ("밭이", "바치"), ("벼훑이", "벼훌치"),
    ("같이", "가치"), ("굳히다", "구치다"), ("닫히다", "다치다"), ("묻히다", "무치다"),
    # 18항 비음화
    ("먹는", "멍는"), ("국물", "궁물"), ("깎는", "깡는"), ("몫몫이", "몽목씨"), ("긁는", "긍는"), ("흙만", "흥만"),
    ("닫는", "단는"), ("짓는", "진는"), ("옷맵시", "온맵씨"), ("있는", "인는"), ("맞는", "만는"),
    ("쫓는", "쫀는"), ("꽃망울", "꼰망울"), ("붙는", "분는"), ("잡는", "잠는"), ("밥물", "밤물"),
    ("앞마당", "암마당"), ("밟는", "밤는"), ("읊는", "음는"), ("없는", "엄는"), ("밥 먹는다", "밤멍는다"),
    # 19항 ㄹ -> ㄴ
    ("담력", "담녁"), ("침략", "침냑"), ("강릉", "강능"), ("항로", "항노"), ("대통령", "대통녕"),
    ("막론", "망논"), ("백리", "뱅니"), ("협력", "혐녁"), ("십리", "심니"),
    # 20항 유음화
    ("난로", "날로"), ("신라", "실라"), ("천리", "철리"), ("광한루", "광할루"), ("대관령", "대괄령"),
    ("칼날", "칼랄"), ("물난리", "물랄리"), ("할는지", "할른지"), ("닳는", "달른"), ("핥네", "할레"),
    # 23-25항 경음화
    ("국밥", "국빱"), ("깎다", "깍따"), ("넋받이", "넉빠지"), ("삯돈", "삭똔"), ("닭장", "닥짱"), ("칡범", "칙뻠"),
    ("뻗대다", "뻗때다"), ("옷고름", "옫꼬름"), ("있던", "읻떤"), ("꽂고", "꼳꼬"), ("꽃다발", "꼳따발"),
    ("낯설다", "낟썰다"), ("밭갈이", "받까리"), ("솥전", "솓쩐"), ("곱돌", "곱똘"), ("덮개", "덥깨"),
    ("옆집", "엽찝"), ("읊조리다", "읍쪼리다"), ("값지다", "갑찌다"), ("먹고", "먹꼬"),
    ("앉고", "안꼬"), ("얹다", "언따"), ("닮고", "담꼬"), ("젊지", "점찌"),
    ("넓게", "널께"), ("훑소", "훌쏘"), ("떫지", "떨찌"),
    # 26항 Sino-Korean ㄹ + ㄷㅅㅈ
    ("갈등", "갈뜽"), ("발동", "발똥"), ("말살", "말쌀"), ("불소", "불쏘"), ("일시", "일씨"), ("갈증", "갈쯩"),
    ("물질", "물찔"), ("발전", "발쩐"), ("몰상식", "몰쌍식"), ("불세출", "불쎄출"),
    # 27항 after the adnominal -ㄹ
    ("할 것을", "할꺼슬"), ("갈 데가", "갈떼가"), ("할 바를", "할빠를"), ("할 수는", "할쑤는"), ("할 적에", "할쩌게"),
    # 5항 vowels
    ("희망", "히망"), ("무늬", "무니"), ("주의", "주이"), ("우리의", "우리에"), ("계시다", "게시다"),
    ("가져", "가저"), ("다쳐", "다처"),
    # a whole sentence: 있습니다 -> 읻씀니다
    ("소식이 있습니다", "소시기읻씀니다"),
]


@pytest.mark.parametrize("written,spoken", GOLDEN)
def test_standard_pronunciation(written, spoken):
    assert pronounce_hangul(written).replace(" ", "") == spoken


def test_enough_golden_cases():
    assert len(GOLDEN) >= 40


def test_espeak_input_is_phonemes_without_stress():
    out = pronounce("국경을 넘다 붙잡힌 여성들은, 인신매매의 위험에 노출됩니다.")
    blocks = re.findall(r"\[\[(.*?)\]\]", out)
    assert len(blocks) == 2  # one phoneme block per phrase; the comma between them stays text (a pause)
    assert out.split("]]")[1].startswith(",") and out.endswith("]].")
    for b in blocks:
        assert not re.search(r"[\uac00-\ud7a3'%=,]", b)  # no Hangul left, no stress marks
    assert blocks[0].split()[0] == "kukk-j@Nu-l"  # 국경을 -> 국꼉을: tense ㄲ, liaison of ㅇ kept as ŋ


def test_mnemonics_for_rules():
    assert pronounce("국물") == "[[kuNmul]]"  # nasalised coda ㅇ = N
    assert pronounce("신라") == "[[silla]]"  # ㄹㄹ is a clear l, not a flap
    assert pronounce("같이") == "[[katS;hi]]"  # palatalised and aspirated
    assert pronounce("바다") == "[[pada]]"  # lax stop voiceless at the start, voiced between vowels


def test_ipa_for_kokoro_keeps_word_onsets_and_uses_its_vocabulary():
    from pipeline.speech.engines.kokoro import vocabulary
    from pipeline.speech.pronounce.ko import ipa

    assert ipa("국물") == "kuŋmul" and ipa("같이") == "kaʨʰi" and ipa("신라") == "ɕilla"
    assert ipa("꿈을 이루지") == "ʔkumɯl iɾuʥi"  # no liaison across the space: the listener keeps the words
    assert ipa("몇 년씩 불안한") == "mjɔn njɔnʔɕik puɾanhan"  # no tensing of the next word's first consonant
    assert ipa("국밥, 옷이") == "kukʔpap, oɕi"  # within a word the rules apply as for eSpeak
    assert set(ipa("북한 주민들은 외부 세계의 소식을 듣고 싶어 합니다.")) <= set(vocabulary())


hangul_syllable = st.integers(0xAC00, 0xD7A3).map(chr)
texts = st.lists(st.one_of(hangul_syllable, st.sampled_from(list(" ,.?!·…\"'()-"))), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_never_crashes_and_keeps_syllables(text):
    spoken = pronounce_hangul(text)
    # the rules change sounds, never the number of syllables or anything that is not Hangul
    assert len(re.findall(r"[\uac00-\ud7a3]", spoken)) == len(re.findall(r"[\uac00-\ud7a3]", text))
    assert re.sub(r"[\uac00-\ud7a3 ]", "", spoken) == re.sub(r"[\uac00-\ud7a3 ]", "", text)
    out = pronounce(text)
    assert not re.search(r"[\uac00-\ud7a3]", out)
    assert out.count("[[") == out.count("]]")
