"""Korean pronunciation for eSpeak NG: 표준 발음법 rules, then eSpeak Korean phoneme mnemonics.

`pronounce_hangul(text)` applies the standard pronunciation rules and returns the result spelled in Hangul
(같이 -> 가치, 국물 -> 궁물), which is what the golden tests check. `pronounce(text)` returns the exact eSpeak NG
input: each phrase between punctuation marks as `[[...]]` phoneme mnemonics without stress marks (eSpeak would
otherwise stress every word's first syllable; Korean has no lexical stress), the punctuation kept as text so eSpeak
still pauses and phrases the sentence.

Rules work on syllables inside a phrase (words separated by spaces only), across word boundaries too, since a
newsreader links the words of a phrase. Morphology is not analysed: rules that need it (ㄴ-insertion, tensing after
the adnominal -ㄹ, Sino-Korean ㄹ+ㄷㅅㅈ) use the narrow, predictable cases listed below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# hangul-jamo (a kss dependency) splits and joins syllables as compatibility jamo (ㄱ, ㅏ, ㄳ).
from hangul_jamo import compose_jamo_characters, decompose_syllable

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")

# 받침 neutralisation to the 7 representative finals (표준 발음법 9-11항).
_NEUTRAL = {
    "ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㅋ": "ㄱ", "ㄳ": "ㄱ", "ㄺ": "ㄱ",
    "ㄴ": "ㄴ", "ㄵ": "ㄴ", "ㄶ": "ㄴ",
    "ㄷ": "ㄷ", "ㅅ": "ㄷ", "ㅆ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ", "ㅌ": "ㄷ", "ㅎ": "ㄷ",
    "ㄹ": "ㄹ", "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ",
    "ㅁ": "ㅁ", "ㄻ": "ㅁ",
    "ㅂ": "ㅂ", "ㅍ": "ㅂ", "ㅄ": "ㅂ", "ㄿ": "ㅂ",
    "ㅇ": "ㅇ", "": "",
}
# 겹받침 before a vowel: the first letter stays, the second moves on (ㅅ moving on is tense: 값이 -> 갑씨).
_SPLIT = {
    "ㄳ": ("ㄱ", "ㅆ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄺ": ("ㄹ", "ㄱ"), "ㄻ": ("ㄹ", "ㅁ"), "ㄼ": ("ㄹ", "ㅂ"),
    "ㄽ": ("ㄹ", "ㅆ"), "ㄾ": ("ㄹ", "ㅌ"), "ㄿ": ("ㄹ", "ㅍ"), "ㅄ": ("ㅂ", "ㅆ"),
}
_TENSE = {"ㄱ": "ㄲ", "ㄷ": "ㄸ", "ㅂ": "ㅃ", "ㅅ": "ㅆ", "ㅈ": "ㅉ"}
_ASPIRATE = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅂ": "ㅍ", "ㅈ": "ㅊ"}
_NASAL = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}
_H_FINALS = {"ㅎ": "", "ㄶ": "ㄴ", "ㅀ": "ㄹ"}
# final + ㅎ -> aspirated onset (12항 1 붙임): what stays in the coda, and the new onset.
_BEFORE_H = {
    "ㄱ": ("", "ㅋ"), "ㄲ": ("", "ㅋ"), "ㅋ": ("", "ㅋ"), "ㄺ": ("ㄹ", "ㅋ"),
    "ㄷ": ("", "ㅌ"), "ㅅ": ("", "ㅌ"), "ㅆ": ("", "ㅌ"), "ㅊ": ("", "ㅌ"), "ㅌ": ("", "ㅌ"),
    "ㅈ": ("", "ㅊ"), "ㄵ": ("ㄴ", "ㅊ"),
    "ㅂ": ("", "ㅍ"), "ㅍ": ("", "ㅍ"), "ㄼ": ("ㄹ", "ㅍ"),
}
# Dependent nouns after the adnominal -ㄹ are tense (27항): 할 것 -> 할 껏, 할 수 -> 할 쑤.
_AFTER_ADNOMINAL_L = {"것", "거", "걸", "게", "수", "데", "바", "적", "줄", "듯", "지"}
# Syllables that start verb endings: a stem-final ㄹ before them is not tensed (알다, 살자, 팔도록),
# while a Sino-Korean ㄹ before ㄷㅅㅈ is (갈등 -> 갈뜽, 발전 -> 발쩐, 26항).
# (ㄹ-stems drop their ㄹ before 시, 세, 습: those are left out so 일시 -> 일씨 works.)
_ENDING_SYLLABLES = set("다도던든더지자죠")
# Nouns ending in 의 that is not the particle (주의 -> 주이, particle 나라의 -> 나라에, 5항 다만 4).
_UI_NOUNS = {"주의", "회의", "동의", "합의", "논의", "정의", "의의", "협의", "결의", "건의", "강의", "토의",
             "모의", "호의", "성의", "유의", "민주주의", "자본주의", "사회주의", "공산주의", "제의", "창의"}


@dataclass
class _Syl:
    i: str  # onset jamo; "ㅇ" = none
    v: str
    f: str  # coda, "" = none
    word_start: bool
    word_end: bool
    text: str  # the syllable as written (for the few lexical exceptions)


def _words(phrase: str) -> list[list[_Syl]]:
    words = []
    for w in phrase.split():
        syls = [decompose_syllable(c) for c in w]
        words.append([_Syl(i, v, f or "", k == 0, k == len(w) - 1, w[k]) for k, (i, v, f) in enumerate(syls)])
    return words


def _vowels(word: list[_Syl]) -> None:
    """표준 발음법 5항: ㅢ, ㅖ, and ㅈㅉㅊ + ㅕ."""
    written = "".join(s.text for s in word)
    for k, s in enumerate(word):
        if s.v == "ㅢ":
            if s.i != "ㅇ":
                s.v = "ㅣ"  # 희망 -> 히망
            elif k == 0:
                pass  # 의사: kept
            elif s.word_end and written not in _UI_NOUNS and not written.endswith("주의"):
                s.v = "ㅔ"  # particle: 나라의 -> 나라에
            else:
                s.v = "ㅣ"  # 주의 -> 주이
        elif s.v == "ㅖ" and s.i not in ("ㅇ", "ㄹ"):
            s.v = "ㅔ"  # 계시다 -> 게시다
        elif s.i in ("ㅈ", "ㅉ", "ㅊ") and s.v in ("ㅕ", "ㅑ", "ㅛ", "ㅠ"):
            s.v = {"ㅕ": "ㅓ", "ㅑ": "ㅏ", "ㅛ": "ㅗ", "ㅠ": "ㅜ"}[s.v]  # 가져 -> 가저


def _boundary(s: _Syl, n: _Syl, linked: bool = True) -> None:
    """Apply the rules between coda s.f and the next onset n.i, leaving s.f a representative final.

    `linked`: a phrase's words are read as one stretch, so a final moves onto the next word's vowel (옷 안 -> 오단),
    ㄴ/ㄹ assimilate across the space and a word after an obstruent final is tensed. Unlinked, each word keeps its
    own final before a vowel or ㄴ/ㄹ and its own first consonant: for Kokoro this was heard better
    (docs/speech-quality.md), as it keeps the listener's word boundaries."""
    cross = n.word_start
    f = s.f
    if n.i == "ㅇ":  # next syllable starts with a vowel
        if f in _H_FINALS:  # 놓아 -> 노아, 않은 -> 아는, 싫어 -> 시러 (12항 4)
            f = _H_FINALS[f]
        if not cross and n.v == "ㅣ" and f in ("ㄷ", "ㅌ", "ㄾ"):  # 구개음화 (17항): 굳이 -> 구지, 같이 -> 가치
            s.f, n.i = {"ㄷ": ("", "ㅈ"), "ㅌ": ("", "ㅊ"), "ㄾ": ("ㄹ", "ㅊ")}[f]
            return
        if cross:  # across words the neutralised final links on (15항): 옷 안 -> 오단
            f = _NEUTRAL[f]
            if not linked:
                s.f = f
                return
            if f not in ("", "ㅇ"):
                s.f, n.i = "", f
                return
        elif f in _SPLIT:  # 14항: 값이 -> 갑씨, 읽어 -> 일거
            s.f, n.i = _SPLIT[f]
            return
        elif f not in ("", "ㅇ"):  # 13항: 옷이 -> 오시
            s.f, n.i = "", f
            return
        s.f = f
        return

    if f in _H_FINALS:  # ㅎ-final before a consonant (12항)
        rest = _H_FINALS[f]
        if n.i in _ASPIRATE:  # 좋다 -> 조타, 않고 -> 안코
            f, n.i = rest, _ASPIRATE[n.i]
        elif n.i == "ㅅ":  # 닿소 -> 다쏘
            f, n.i = rest, "ㅆ"
        elif n.i == "ㄴ":  # 놓는 -> 논는, 않네 -> 안네, 뚫는 -> 뚤른
            f = rest or "ㄴ"
        elif n.i == "ㅎ":
            f = rest
        else:
            f = _NEUTRAL[f]
    elif n.i == "ㅎ" and f in _BEFORE_H:  # aspiration: 축하 -> 추카, 옷 한 -> 오탄, 앉히다 -> 안치다
        if f == "ㄷ" and n.v == "ㅣ" and not cross:  # 굳히다 -> 구치다 (17항 붙임)
            s.f, n.i = "", "ㅊ"
            return
        s.f, n.i = _BEFORE_H[f]
        return

    orig = f
    if f == "ㄺ" and n.i == "ㄱ" and not cross and n.text != "과":  # verb stem 맑게 -> 말께, noun 흙과 -> 흑꽈 (11항)
        f = "ㄹ"
    elif f == "ㄼ" and s.text.startswith("밟"):  # 밟다 -> 밥따 (10항 다만)
        f = "ㅂ"
    else:
        f = _NEUTRAL[f]

    # 경음화
    if n.i in _TENSE and (linked or not cross):  # unlinked words keep their own first consonant
        if f in ("ㄱ", "ㄷ", "ㅂ") or (orig in ("ㄺ", "ㄵ", "ㄻ", "ㄼ", "ㄾ") and n.i != "ㅂ"):
            n.i = _TENSE[n.i]  # 국밥 -> 국빱, 앉고 -> 안꼬, 넓게 -> 널께 (23-25항)
        elif f == "ㄹ" and cross and s.word_end and n.text in _AFTER_ADNOMINAL_L and _adnominal(s):
            n.i = _TENSE[n.i]  # 할 것 -> 할 껏 (27항)
        elif f == "ㄹ" and not cross and n.i in ("ㄷ", "ㅅ", "ㅈ") and n.text not in _ENDING_SYLLABLES:
            n.i = _TENSE[n.i]  # 갈등 -> 갈뜽 (26항)

    # 비음화 and 유음화
    if cross and not linked and (n.i == "ㄹ" or f == "ㄹ"):
        s.f = f
        return
    if n.i == "ㄹ":
        if f in ("ㅁ", "ㅇ"):  # 담력 -> 담녁, 대통령 -> 대통녕 (19항)
            n.i = "ㄴ"
        elif f in ("ㄱ", "ㄷ", "ㅂ"):  # 막론 -> 망논, 협력 -> 혐녁 (19항 붙임)
            n.i = "ㄴ"
        elif f == "ㄴ":  # 신라 -> 실라 (20항)
            f = "ㄹ"
    elif n.i == "ㄴ" and f == "ㄹ":  # 칼날 -> 칼랄 (20항)
        n.i = "ㄹ"
    if n.i in ("ㄴ", "ㅁ") and f in _NASAL:  # 국물 -> 궁물, 밥물 -> 밤물 (18항)
        f = _NASAL[f]
    s.f = f


def _adnominal(s: _Syl) -> bool:
    """A word-final ㄹ before a dependent noun is the adnominal -(으)ㄹ (할, 될, 있을) unless it is the particle 를."""
    return s.text != "를"


def _phrase_syllables(phrase: str, linked: bool = True) -> list[_Syl]:
    words = _words(phrase)
    for w in words:
        _vowels(w)
    syls = [s for w in words for s in w]
    for a, b in zip(syls, syls[1:]):
        _boundary(a, b, linked)
    if syls:
        last = syls[-1]
        last.f = _NEUTRAL[last.f]
    return syls


# Phrases: runs of Hangul words separated by spaces; anything else (punctuation) splits phrases.
_PHRASE = re.compile(r"[\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)*")


def pronounce_hangul(text: str) -> str:
    """Text as pronounced, spelled in Hangul (같이 -> 가치); spaces and other characters kept."""
    def one(m: re.Match) -> str:
        syls = _phrase_syllables(m.group())
        out = []
        for s in syls:
            if s.word_start and out:
                out.append(" ")
            out.append(compose_jamo_characters(s.i, s.v, s.f or None))
        return "".join(out)

    return _PHRASE.sub(one, text)


# eSpeak NG Korean phoneme mnemonics (phsource/ph_korean plus the base table it inherits).
_VOWEL = {
    "ㅏ": "a", "ㅐ": "E", "ㅑ": "ja", "ㅒ": "jE", "ㅓ": "@", "ㅔ": "e", "ㅕ": "j@", "ㅖ": "je", "ㅗ": "o",
    "ㅘ": "wa", "ㅙ": "we", "ㅚ": "we", "ㅛ": "jo", "ㅜ": "u", "ㅝ": "w@", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "ju",
    "ㅡ": "u-", "ㅢ": "u-i", "ㅣ": "i",
}
# Onsets: (phrase- or word-initial, between voiced sounds). Lax stops are voiceless at the start, voiced inside.
_ONSET = {
    "ㄱ": ("k", "g"), "ㄲ": ("k-", "k-"), "ㅋ": ("kh", "kh"),
    "ㄷ": ("t", "d"), "ㄸ": ("t-", "t-"), "ㅌ": ("th", "th"),
    "ㅂ": ("p", "b"), "ㅃ": ("p-", "p-"), "ㅍ": ("ph", "ph"),
    "ㅈ": ("tS;", "dZ;"), "ㅉ": ("tS;-", "tS;-"), "ㅊ": ("tS;h", "tS;h"),
    "ㅅ": ("s", "s"), "ㅆ": ("s-", "s-"),
    "ㄴ": ("n", "n"), "ㅁ": ("m", "m"), "ㄹ": ("*", "*"), "ㅎ": ("h", "h"), "ㅇ": ("", ""),
}
_CODA = {"ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p", "ㅇ": "N", "": ""}


def _phonemes(syls: list[_Syl]) -> str:
    out = []
    prev = None
    for s in syls:
        if s.word_start and out:
            out.append(" ")
        voiced = prev is not None and (prev.f in ("", "ㄴ", "ㅁ", "ㅇ", "ㄹ")) and not s.word_start
        onset = _ONSET[s.i][1 if voiced else 0]
        if s.i == "ㄹ" and prev is not None and prev.f == "ㄹ":
            onset = "l"  # ㄹㄹ is a long clear [l:], not a flap
        out.append(onset + _VOWEL[s.v] + _CODA[s.f])
        prev = s
    return "".join(out)


def pronounce(text: str) -> str:
    """Hangul text (normalised: no digits or Latin) -> eSpeak NG input with `[[...]]` phonemes, no stress marks."""
    return _PHRASE.sub(lambda m: "[[" + _phonemes(_phrase_syllables(m.group())) + "]]", text)


# --- IPA for Kokoro ------------------------------------------------------------------------------------------------
# Kokoro-82M reads IPA characters from its vocabulary; only those below are used. Tense consonants are written
# as a glottal stop before the plain stop (ʔk), which is how Kokoro's Japanese voices were trained on geminates (っ).
# ㅓ is written ɔ, not ʌ: recognisers heard it as ㅏ less often (Vosk CER 0.214 -> 0.185 on the dev set).
_IPA_VOWEL = {
    "ㅏ": "a", "ㅐ": "e", "ㅑ": "ja", "ㅒ": "je", "ㅓ": "ɔ", "ㅔ": "e", "ㅕ": "jɔ", "ㅖ": "je", "ㅗ": "o",
    "ㅘ": "wa", "ㅙ": "we", "ㅚ": "we", "ㅛ": "jo", "ㅜ": "u", "ㅝ": "wɔ", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "ju",
    "ㅡ": "ɯ", "ㅢ": "ɰi", "ㅣ": "i",
}
# (at the start of a word, between voiced sounds inside a word)
_IPA_ONSET = {
    "ㄱ": ("k", "ɡ"), "ㄲ": ("ʔk", "ʔk"), "ㅋ": ("kʰ", "kʰ"),
    "ㄷ": ("t", "d"), "ㄸ": ("ʔt", "ʔt"), "ㅌ": ("tʰ", "tʰ"),
    "ㅂ": ("p", "b"), "ㅃ": ("ʔp", "ʔp"), "ㅍ": ("pʰ", "pʰ"),
    "ㅈ": ("ʨ", "ʥ"), "ㅉ": ("ʔʨ", "ʔʨ"), "ㅊ": ("ʨʰ", "ʨʰ"),
    "ㅅ": ("s", "s"), "ㅆ": ("ʔs", "ʔs"),
    "ㄴ": ("n", "n"), "ㅁ": ("m", "m"), "ㄹ": ("ɾ", "ɾ"), "ㅎ": ("h", "h"), "ㅇ": ("", ""),
}
_IPA_CODA = {"ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p", "ㅇ": "ŋ", "": ""}
_PALATAL = ("i", "j", "wi")


def _ipa_syllables(syls: list[_Syl]) -> str:
    out = []
    prev = None
    for s in syls:
        if s.word_start and out:
            out.append(" ")
        voiced = prev is not None and prev.f in ("", "ㄴ", "ㅁ", "ㅇ", "ㄹ") and not s.word_start
        onset = _IPA_ONSET[s.i][1 if voiced else 0]
        vowel = _IPA_VOWEL[s.v]
        if s.i == "ㄹ" and prev is not None and prev.f == "ㄹ":
            onset = "l"  # ㄹㄹ is a long clear [l:], not a flap
        elif s.i in ("ㅅ", "ㅆ") and vowel.startswith(_PALATAL):
            onset = onset.replace("s", "ɕ")
        out.append(onset + vowel + _IPA_CODA[s.f])
        prev = s
    return "".join(out)


def ipa(text: str) -> str:
    """Hangul text (normalised: no digits or Latin) -> IPA after the pronunciation rules; punctuation kept."""
    return _PHRASE.sub(lambda m: _ipa_syllables(_phrase_syllables(m.group(), linked=False)), text)
