"""English text normalisation for speech (American broadcast style).

Numbers come from num2words, wrapped to drop the British "and" and the commas it puts inside numbers
(one hundred fifty thousand). Years are read as pairs, dates as ordinals, amounts before their currency word,
initialisms letter by letter (U S, G D P) and abbreviations expanded.
"""

from __future__ import annotations

import re

from num2words import num2words

_ONES = "zero one two three four five six seven eight nine".split()


def cardinal(n: int) -> str:
    words = num2words(n, lang="en")
    return re.sub(r",| and\b", "", words)


def ordinal(n: int) -> str:
    return re.sub(r",| and\b", "", num2words(n, lang="en", to="ordinal"))


def year(n: int) -> str:
    return re.sub(r",| and\b", "", num2words(n, lang="en", to="year"))


def decimal(text: str) -> str:
    """'3.5' -> three point five, '1,200' -> one thousand two hundred."""
    whole, _, frac = text.replace(",", "").partition(".")
    words = cardinal(int(whole or "0"))
    return f"{words} point {' '.join(_ONES[int(d)] for d in frac)}" if frac else words


def _plural(words: str) -> str:
    """nineteen ninety -> nineteen nineties, twenty -> twenties."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


# ---------------------------------------------------------------- abbreviations

# Titles before a name: the period never ends a sentence there.
_TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Prof": "Professor", "Gen": "General",
    "Gov": "Governor", "Sen": "Senator", "Rep": "Representative", "Lt": "Lieutenant", "Col": "Colonel",
    "Capt": "Captain", "Sgt": "Sergeant", "Rev": "Reverend", "Pres": "President", "Mt": "Mount", "Ft": "Fort",
}
# Other abbreviations: a following capital or the end of the text means the period also ends a sentence.
_ABBREVIATIONS = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June", "Jul": "July",
    "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October", "Nov": "November",
    "Dec": "December", "Jr": "Junior", "Sr": "Senior", "Inc": "Incorporated", "Corp": "Corporation",
    "Ltd": "Limited", "Co": "Company", "Ave": "Avenue", "Blvd": "Boulevard", "vs": "versus", "etc": "et cetera",
    "approx": "approximately", "Dept": "Department", "Univ": "University", "est": "established",
}
_MONTHS = ("January February March April May June July August September October November December").split()
# Acronyms said as words; every other all-capital token is spelled out.
_WORD_ACRONYMS = {"NATO", "UNESCO", "UNICEF", "NASA", "OPEC", "ASEAN", "AIDS", "COVID", "FIFA", "NASDAQ", "SARS",
                  "MERS", "UEFA", "OK", "I", "A", "KOTRA", "KAIST", "UNITA", "INTERPOL"}
_UNITS = {
    "km": "kilometer", "m": "meter", "cm": "centimeter", "mm": "millimeter", "kg": "kilogram", "g": "gram",
    "mg": "milligram", "kHz": "kilohertz", "MHz": "megahertz", "GHz": "gigahertz", "Hz": "hertz",
    "kW": "kilowatt", "MW": "megawatt", "GW": "gigawatt", "kWh": "kilowatt hour", "mph": "mile per hour",
    "km/h": "kilometer per hour", "lb": "pound", "lbs": "pound", "ft": "foot", "mi": "mile", "GB": "gigabyte",
    "MB": "megabyte", "TB": "terabyte", "°C": "degree Celsius", "°F": "degree Fahrenheit", "°": "degree",
}
_IRREGULAR_PLURAL = {"foot": "feet", "degree Celsius": "degrees Celsius", "degree Fahrenheit": "degrees Fahrenheit",
                     "mile per hour": "miles per hour", "kilometer per hour": "kilometers per hour",
                     "kilowatt hour": "kilowatt hours", "hertz": "hertz", "kilohertz": "kilohertz",
                     "megahertz": "megahertz", "gigahertz": "gigahertz"}
_CURRENCY = {"$": ("dollar", "cent"), "US$": ("dollar", "cent"), "€": ("euro", "cent"), "£": ("pound", "penny"),
             "¥": ("yen", ""), "₩": ("won", "")}
_SCALE = r"(?:thousand|million|billion|trillion)"
# Written scale suffixes (£3m, $2bn, 5k); a bare "3m" stays meters.
_SUFFIX = {"k": "thousand", "K": "thousand", "m": "million", "mn": "million", "bn": "billion", "tn": "trillion"}
_DENOMINATOR = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _abbreviation(m: re.Match) -> str:
    word, rest = m[1], m.string[m.end():]
    if word in _TITLES:
        return _TITLES[word]
    if word in ("No", "Nos") and re.match(r"\s*\d", rest):
        return "number" if word == "No" else "numbers"
    if word == "St":
        return "Saint" if re.match(r"\s+[A-Z]", rest) else "Street" + ("." if not rest.strip() else "")
    full = _ABBREVIATIONS.get(word) or _ABBREVIATIONS.get(word.lower())
    if full is None:
        return m.group(0)
    # Only a company or name suffix can also end the sentence before a capital; months and "vs." cannot.
    suffix = word in ("Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "etc")
    ends = rest.strip() == "" or (suffix and re.match(r"\s+[A-Z]", rest))
    return full + ("." if ends else "")


def _spell(letters: str) -> str:
    return " ".join(letters.upper())


# Whether a capitalised token can be said as an English word is decided by its shape, not by a list of places:
# syllables made of an onset English allows, a vowel group and a coda (SEOUL, PYONGYANG, UNICEF are words; HRNK,
# UNHCR, NGO, OECD are not). Short tokens (up to 3 letters) are spelled unless listed as words.
_ONSETS = ("b bl br c ch cl cr d dr f fl fr g gl gr gu h j k kh kl kr l m n p ph pl pr pyo ps qu r s sc sch scr sh "
           "sk sl sm sn sp spl spr squ st str sw t th thr tr ts tw v w wh wr y z zh").split()
_CODAS = ("b c ch ck ct d f ff ft g gh ght h k l ld lf lk ll lm ln lp ls lt m mb mp mps n nc nch nd ng nk ns nt "
          "nth p ph pt r rb rc rch rd rf rg rk rl rm rn rp rs rst rt rth s sh sk sp ss st t tch th ts v w x y z").split()
_SYLLABLE = (rf"(?:{'|'.join(sorted(_ONSETS, key=len, reverse=True))})?"
             r"(?:[aeiou]{1,2}|eau|eou|iou|ya|ye|yo|yu|y)"
             rf"(?:{'|'.join(sorted(_CODAS, key=len, reverse=True))})?")
_WORD_SHAPE = re.compile(rf"(?:{_SYLLABLE})+", re.I)


def sayable(token: str) -> bool:
    """True when a capitalised token reads as a word (4+ letters, English syllable shape)."""
    core = token.rstrip("s") if len(token) > 4 else token
    if re.search(r"[aeiou]{3,}", re.sub(r"eau|eou|iou", "", core, flags=re.I), re.I):
        return False  # IAEA: a run of vowels is letters
    return len(core) >= 4 and bool(_WORD_SHAPE.fullmatch(core))


def _initialism(token: str) -> str:
    if token in _WORD_ACRONYMS:
        return token.capitalize() if len(token) > 1 else token
    plural = token.endswith("s")
    core = token[:-1] if plural else token
    if core in _WORD_ACRONYMS:
        return core.capitalize() + ("s" if plural else "")
    if sayable(token):
        return token.capitalize()  # a word in capitals (SEOUL, UNICEF), not an initialism
    return _spell(core) + ("'s" if plural else "")


def _words_in_capitals(text: str) -> str:
    """A dateline (SEOUL, March 14 -- / UNITED NATIONS (AP) --) or a run of three or more words in capitals is
    shouted or styled text: read as words, whatever their shape."""
    def words(m: re.Match) -> str:
        return re.sub(r"[A-Z][A-Z'’]+", lambda w: w[0] if w[0] in _KEEP_SPELLED else w[0].capitalize(), m[0])

    text = re.sub(r"^\s*[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*(?=\s*(?:,|\(|—|–|-\s))", words, text)
    return re.sub(r"\b[A-Z][A-Z'’]+(?:\s+[A-Z][A-Z'’]+){2,}\b", words, text)


_KEEP_SPELLED = {"AP", "AFP", "UPI", "DPA", "UN", "US", "UK", "EU"}  # agencies and bodies inside datelines stay letters

# ---------------------------------------------------------------- web addresses

_TLD_WORDS = {"com", "org", "net", "gov", "edu", "int", "mil", "info", "news", "media", "online", "io"}
_TLDS = sorted(_TLD_WORDS | set("kr kp jp cn uk us eu ch de fr ru au ca tv fm be nl se no int".split()), key=len, reverse=True)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_URL = re.compile(
    rf"(?<![\w@/.])(?P<scheme>https?://)?(?P<www>www\.)?(?P<host>(?:{_LABEL}\.)+(?:{'|'.join(_TLDS)}))"
    rf"(?P<path>/[\w\-./%?=&#~+]*)?(?![\w@])",
    re.I,
)
_EMAIL = re.compile(rf"(?<![\w.])(?P<user>[\w+-]+(?:\.[\w+-]+)*)@(?P<host>(?:{_LABEL}\.)+[a-z]{{2,}})\b", re.I)


def _say_label(label: str) -> str:
    """One part of an address: a word when it reads as one, else letter by letter (hrnk -> h r n k)."""
    parts = [p for p in re.split(r"[-_+]", label) if p]
    out = []
    for p in parts:
        if p.isdigit():
            out.append(" ".join(_ONES[int(d)] for d in p))
        elif p.lower() in _TLD_WORDS or sayable(p):
            out.append(p.lower())
        else:
            out.append(" ".join(p.lower()))
    return " ".join(out)


def _url(m: re.Match) -> str:
    # a sentence's closing period or comma is not part of the address
    path = m["path"] or ""
    trail = re.search(r"[.,;:!?)]+$", path)
    path, tail = (path[: trail.start()], trail[0]) if trail else (path, "")
    said = ["w w w"] if m["www"] else []
    said += [_say_label(label) for label in m["host"].split(".")]
    spoken = " dot ".join(said)
    for piece in [p for p in path.split("/")][1:]:
        spoken += " slash" + (" " + " dot ".join(_say_label(x) for x in piece.split(".") if x) if piece else "")
    return spoken + tail


def _email(m: re.Match) -> str:
    user = " dot ".join(_say_label(p) for p in m["user"].split("."))
    return f"{user} at " + " dot ".join(_say_label(p) for p in m["host"].split("."))



# ---------------------------------------------------------------- numbers


def _money(m: re.Match) -> str:
    unit, sub = _CURRENCY[m["cur"]]
    amount, scale = m["amt"], m["scale"] or _SUFFIX.get(m["suf"] or "")
    if scale:
        return f"{decimal(amount)} {scale} {unit if unit in ('yen', 'won') else unit + 's'}"
    whole, _, frac = amount.replace(",", "").partition(".")
    n = int(whole or "0")
    plural = unit if unit in ("yen", "won") or n == 1 else unit + "s"
    if frac and sub and len(frac) == 2:
        cents = int(frac)
        sub_word = sub if cents == 1 else ("pence" if sub == "penny" else sub + "s")
        if n == 0:
            return f"{cardinal(cents)} {sub_word}"
        return f"{cardinal(n)} {plural}" + (f" and {cardinal(cents)} {sub_word}" if cents else "")
    if frac:
        return f"{decimal(amount)} {unit if unit in ('yen', 'won') else unit + 's'}"
    return f"{cardinal(n)} {plural}"


def _unit(m: re.Match) -> str:
    value, unit = m["num"], _UNITS[m["unit"]]
    if value.replace(",", "") != "1":
        unit = _IRREGULAR_PLURAL.get(unit, unit + "s")
    return f"{decimal(value)} {unit}"


def _date(m: re.Match) -> str:
    return f"{m[1]} {ordinal(int(m[2]))}"


def _day_first(m: re.Match) -> str:
    """9 October -> October ninth (American broadcast order); a year after it is set off by a comma."""
    return f"{m[2]} {ordinal(int(m[1]))}" + (", " if m[3] else "")


def _us_date(m: re.Match) -> str:
    """12/05/2023 -> December fifth, twenty twenty-three (month first, as in American usage)."""
    month, day, yr = int(m[1]), int(m[2]), int(m[3])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m[0]
    return f"{_MONTHS[month - 1]} {ordinal(day)}, {year(yr)}"


def _fraction(m: re.Match) -> str:
    """3/4 -> three quarters, 1/2 -> one half, 2/3 -> two thirds. Halves to tenths only: 9/11 is a name."""
    num, den = int(m[1]), int(m[2])
    if not 0 < num < den <= 10:
        return m[0]
    one, many = _DENOMINATOR.get(den) or (ordinal(den), ordinal(den) + "s")
    return f"{cardinal(num)} {one if num == 1 else many}"


def _time(m: re.Match) -> str:
    h, mins, suffix = int(m[1]), int(m[2]), m[3]
    if mins == 0:
        said = cardinal(h) if suffix else f"{cardinal(h)} o'clock"
    elif mins < 10:
        said = f"{cardinal(h)} oh {cardinal(mins)}"
    else:
        said = f"{cardinal(h)} {cardinal(mins)}"
    return said + (f" {suffix[0].lower()} m" if suffix else "")


def _is_year(n: int) -> bool:
    return 1100 <= n <= 2099


def _number(text: str) -> str:
    if "." in text or "," in text:
        return decimal(text)
    n = int(text)
    if len(text) > 1 and text.startswith("0"):
        return " ".join(_ONES[int(d)] for d in text)
    return year(n) if len(text) == 4 and _is_year(n) else cardinal(n)


def normalise(text: str) -> str:
    text = re.sub(r"[“”„‟«»]", '"', text)
    text = re.sub(r"[‘’]", "'", text)
    text = text.replace("–", "-").replace("—", " - ")
    text = _EMAIL.sub(_email, text)
    text = _URL.sub(_url, text)
    text = _words_in_capitals(text)
    # Month abbreviations without their period, next to a day: Nov 28, 9 Oct
    text = re.sub(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b(?=\s+\d)|(?<=\d\s)(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b(?!\.)",
                  lambda m: _ABBREVIATIONS[m[1] or m[2]], text)
    # a.m. / p.m. (keep a sentence-final period), e.g., i.e.
    text = re.sub(r"\b([ap])\.\s?m\.(?=\s*$)", r"\1 m.", text, flags=re.I)
    text = re.sub(r"\b([ap])\.\s?m\.?(?![a-z])", r"\1 m", text, flags=re.I)
    text = re.sub(r"\be\.g\.", "for example", text)
    text = re.sub(r"\bi\.e\.", "that is", text)
    text = re.sub(r"\b([A-Z][a-z]{0,4}|No|Nos|vs|etc|approx|est)\.", _abbreviation, text)
    text = re.sub(r"\bU\.S\.A\.", "U S A", text)
    # Dotted initialisms: U.S. -> U S (a sentence-final one keeps its period).
    text = re.sub(r"\b((?:[A-Z]\.){2,})(?=\s*$)", lambda m: _spell(m[1].replace(".", "")) + ".", text)
    text = re.sub(r"\b((?:[A-Z]\.){2,})", lambda m: _spell(m[1].replace(".", "")), text)
    # A leading minus (not a range: no digit just before it).
    text = re.sub(r"(?<![\w.,])(?<!\d\s)-(?=\d)", "minus ", text)
    # Times and dates.
    text = re.sub(r"\b(\d{1,2}):(\d{2})(?:\s?([ap] m)\b)?", _time, text)
    text = re.sub(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])", _us_date, text)
    text = re.sub(r"(?<![\d/])(?<!\d[.,])(\d{1,2})/(\d{1,2})(?![\d/]|[.,]\d)", _fraction, text)
    text = re.sub(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({'|'.join(_MONTHS)})\b(,?\s+(?=\d{{4}}\b))?", _day_first, text)
    text = re.sub(rf"\b({'|'.join(_MONTHS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?![\d,]\d)", _date, text)
    # Money, percentages, units, ordinals, decades, ranges.
    text = re.sub(rf"(?P<cur>US\$|[$€£¥₩])\s?(?P<amt>{_NUM})(?:\s(?P<scale>{_SCALE})|(?P<suf>k|K|mn|m|bn|tn)(?![A-Za-z]))?", _money, text)
    text = re.sub(rf"(?<![\w.,])({_NUM})(k|K|bn|tn)(?![A-Za-z])", lambda m: f"{decimal(m[1])} {_SUFFIX[m[2]]}", text)
    text = re.sub(rf"({_NUM})\s?%", lambda m: f"{decimal(m[1])} percent", text)
    unit_re = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    text = re.sub(rf"(?P<num>{_NUM})\s?(?P<unit>{unit_re})(?![A-Za-z])", _unit, text)
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal(int(m[1])), text)
    text = re.sub(r"\b(\d{2})(\d0)'?s\b", lambda m: _plural(year(int(m[1] + m[2]))), text)
    text = re.sub(r"'(\d0)s\b", lambda m: _plural(cardinal(int(m[1]))), text)
    # Phone numbers and codes digit by digit (a leading zero, three groups or 555-1234), then ranges.
    text = re.sub(r"(?<![\d,.])(?:0\d*(?:-\d+)+|\d+(?:-\d+){2,}|\d{3}-\d{4})(?!\d|,\d)",
                  lambda m: ", ".join(" ".join(_ONES[int(d)] for d in g) for g in m.group(0).split("-")), text)
    text = re.sub(r"(?<=\d)\s?-\s?(?=\d)", " to ", text)
    text = re.sub(r"(?<![\w.])-(?=\d)", "minus ", text)
    # Letters with numbers (G7, F-35, COVID-19) and initialisms (GDP, NGOs).
    text = re.sub(r"\b([A-Z]+)-?(?=\d)", lambda m: _initialism(m[1]) + " ", text)
    text = re.sub(r"\b[A-Z]{2,}s?\b", lambda m: _initialism(m[0]), text)
    text = re.sub(r"(?<=[A-Za-z])/(?=or\b)", " ", text)  # and/or, either/or
    text = re.sub(r"(?<=[A-Za-z])\s*/\s*(?=[A-Za-z])", " or ", text)  # and/or, km/h is done above; 24/7 is twenty-four seven
    text = text.replace("/", " ")
    text = re.sub(_NUM, lambda m: _number(m[0]), text)
    text = text.replace("&", " and ").replace("+", " plus ").replace("@", " at ").replace("#", " number ")
    text = re.sub(r"[()\[\]{}]", ", ", text)  # an aside is a pause
    text = re.sub(r"\s+([,.?!;:])", r"\1", re.sub(r"\s+", " ", text))
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",(?=[.?!;:])", "", text)
    text = re.sub(r",\s+-\s", ", ", text)  # a dateline's agency, then its dash: one pause
    text = re.sub(r"^[\s,]+", "", text)
    return re.sub(r"\d", lambda m: " " + _ONES[int(m.group(0))] + " ", text).strip()
