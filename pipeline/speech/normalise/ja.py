"""Japanese normalisation: numbers to hiragana readings (eSpeak NG's Japanese voice reads kana, not kanji).

num2words gives the readings (reading=True). Months and the irregular day readings (ついたち, はつか) are a small
table here. Counter sound changes (一本 = いっぽん, 三本 = さんぼん) are out of scope: the number is read plainly.
"""

from __future__ import annotations

import re

from num2words import num2words

_MONTH = {4: "しがつ", 7: "しちがつ", 9: "くがつ"}
_DAY = {1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか", 8: "ようか",
        9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか"}
_CURRENCY = {"$": "ドル", "US$": "ドル", "¥": "えん", "￥": "えん", "€": "ユーロ", "£": "ポンド", "₩": "ウォン"}
_NUM = r"\d[\d,]*(?:\.\d+)?"


def cardinal(text: str) -> str:
    value = text.replace(",", "")
    number = float(value) if "." in value else int(value)
    if number == 0:
        return "ゼロ"
    return num2words(number, lang="ja", reading=True)


def _month(m: re.Match) -> str:
    n = int(m[1])
    return _MONTH.get(n) or cardinal(m[1]) + "がつ"


def _day(m: re.Match) -> str:
    n = int(m[1])
    return _DAY.get(n) or cardinal(m[1]) + "にち"


def normalise(text: str) -> str:
    text = re.sub(r"[０-９]", lambda m: chr(ord(m[0]) - 0xFEE0), text).replace("％", "%")
    # A leading minus (no digit just before it, so 15-20 stays a range).
    text = re.sub(r"(?<![A-Za-z\d.,])(?<!\d\s)[-−－](?=\d)", "マイナス", text)
    text = re.sub(r"(\d{1,2})月", _month, text)
    text = re.sub(r"(\d{1,2})日", _day, text)
    text = re.sub(r"(\d+)年", lambda m: cardinal(m[1]) + "ねん", text)
    text = re.sub(rf"({_NUM})\s?%", lambda m: cardinal(m[1]) + "パーセント", text)
    text = re.sub(rf"(US\$|[$¥￥€£₩])\s?({_NUM})(万|億)?",
                  lambda m: cardinal(m[2]) + {"万": "まん", "億": "おく", None: ""}[m[3]] + _CURRENCY[m[1]], text)
    text = re.sub(rf"({_NUM})円", lambda m: cardinal(m[1]) + "えん", text)
    text = re.sub(rf"({_NUM})\s?[-~～〜]\s?(?={_NUM})", lambda m: cardinal(m[1]) + "から", text)
    return re.sub(_NUM, lambda m: cardinal(m[0]), text)
