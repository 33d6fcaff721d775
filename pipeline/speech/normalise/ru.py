"""Russian normalisation: numbers, decimals, percentages, years, day-month dates, money (num2words).

Case agreement is mostly out of scope: numbers are read in the nominative, except years before год/году/года/г.
and days before a month name in the genitive, which are read as ordinals in the case those words ask for.
Nouns after numbers (процент, доллар) agree in number (1 процент, 2 процента, 5 процентов).
"""

from __future__ import annotations

import re

from num2words import num2words

_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
_YEAR_CASE = {"год": "n", "году": "p", "года": "g", "г.": "g", "годом": "i"}
_NOUNS = {"%": ("процент", "процента", "процентов"), "$": ("доллар", "доллара", "долларов"),
          "€": ("евро", "евро", "евро"), "₽": ("рубль", "рубля", "рублей"), "£": ("фунт", "фунта", "фунтов")}


def cardinal(n: int) -> str:
    return re.sub(r"^одна тысяча", "тысяча", num2words(n, lang="ru"))


def decimal(text: str) -> str:
    whole, _, frac = text.replace(",", ".").replace(" ", "").partition(".")
    if not frac:
        return cardinal(int(whole))
    return num2words(float(f"{whole}.{frac}"), lang="ru")


def _plural(text: str, forms: tuple[str, str, str]) -> str:
    if re.search(r"[.,]\d", text):
        return forms[1]  # 2,5 процента
    n = int(re.sub(r"\D", "", text))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def _year(m: re.Match) -> str:
    word = m[2]
    said = num2words(int(m[1]), lang="ru", to="ordinal", case=_YEAR_CASE[word])
    return re.sub(r"^одна тысяча", "тысяча", said) + " " + ("года" if word == "г." else word)


_NUM = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"


def normalise(text: str) -> str:
    # A leading minus (no digit just before it, so 15-20 stays a range).
    text = re.sub(r"(?<![A-Za-z\d.,])(?<!\d\s)[-−－](?=\d)", "минус ", text)
    text = re.sub(r"(\d{3,4})\s?(году|года|годом|год|г\.)", _year, text)
    text = re.sub(rf"\b(\d{{1,2}})\s+({'|'.join(_MONTHS)})",
                  lambda m: num2words(int(m[1]), lang="ru", to="ordinal", case="g", gender="n") + " " + m[2], text)
    text = re.sub(rf"({_NUM})\s?%", lambda m: f"{decimal(m[1])} {_plural(m[1], _NOUNS['%'])}", text)
    text = re.sub(rf"([$€£])\s?({_NUM})", lambda m: f"{decimal(m[2])} {_plural(m[2], _NOUNS[m[1]])}", text)
    text = re.sub(rf"({_NUM})\s?([₽])", lambda m: f"{decimal(m[1])} {_plural(m[1], _NOUNS[m[2]])}", text)
    text = re.sub(rf"({_NUM})\s?[-–—]\s?(?={_NUM})", lambda m: decimal(m[1]) + " — ", text)
    return re.sub(_NUM, lambda m: decimal(m[0]), text)
