"""Mandarin Chinese normalisation: Arabic numerals to Chinese numerals (eSpeak NG's cmn voice reads hanzi).

Hand-written (about 40 lines) rather than a dependency: num2words has no Chinese, and the rules needed here
(groups of 万/亿, one 零 per gap, 十 not 一十 at the start, 两 before 千/万/亿, years digit by digit) are short.
Latin words are left as they are.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"


def _group(n: int) -> str:
    """0 < n < 10000, with 零 for inner gaps (1005 -> 一千零五)."""
    out, gap = [], False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            out.append(("零" if gap and out else "") + _DIGITS[d] + name)
            gap = False
        else:
            gap = True
    return "".join(out)


def cardinal(n: int) -> str:
    if n == 0:
        return "零"
    if n < 0:
        return "负" + cardinal(-n)
    groups, i = [], 0
    while n:
        n, g = divmod(n, 10000)
        groups.append((g, i))
        i += 1
    out, pending_zero = [], False
    for g, i in reversed(groups):
        if not g:
            pending_zero = bool(out)
            continue
        word = _group(g)
        if out and (g < 1000 or pending_zero):
            word = "零" + word if not word.startswith("零") else word
        out.append(word + ("", "万", "亿", "万亿")[i])
        pending_zero = False
    text = "".join(out)
    text = re.sub(r"^一十", "十", text)
    # 两 before 千/万/亿 is how numbers are said (两千, 两万).
    return re.sub(r"(?:(?<=^)|(?<=[亿万]))二(?=[千万亿])", "两", text)


def decimal(text: str) -> str:
    whole, _, frac = text.replace(",", "").partition(".")
    words = cardinal(int(whole or "0"))
    return words + ("点" + "".join(_DIGITS[int(d)] for d in frac) if frac else "")


def _digits(s: str) -> str:
    return "".join(_DIGITS[int(c)] for c in s)


_CURRENCY = {"$": "美元", "US$": "美元", "¥": "元", "￥": "元", "€": "欧元", "£": "英镑", "₩": "韩元"}
_NUM = r"\d[\d,]*(?:\.\d+)?"


def normalise(text: str) -> str:
    text = text.replace("％", "%")
    # A leading minus (no digit just before it, so 15-20 stays a range).
    text = re.sub(r"(?<![A-Za-z\d.,])(?<!\d\s)[-−－](?=\d)", "负", text)
    text = re.sub(r"(\d{4})年", lambda m: _digits(m[1]) + "年", text)  # 2008年 -> 二零零八年
    text = re.sub(rf"({_NUM})\s?%", lambda m: "百分之" + decimal(m[1]), text)
    text = re.sub(rf"(US\$|[$¥￥€£₩])\s?({_NUM})(万|亿)?",
                  lambda m: decimal(m[2]) + (m[3] or "") + _CURRENCY[m[1]], text)
    text = re.sub(r"(?<![\d,.])0\d+(?:-\d+)*|\d+(?:-\d+){2,}", lambda m: _digits(m[0].replace("-", "")), text)
    text = re.sub(rf"({_NUM})\s?[-~～]\s?(?={_NUM})", lambda m: decimal(m[1]) + "到", text)
    return re.sub(_NUM, lambda m: decimal(m[0]), text)
