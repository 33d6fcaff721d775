"""Korean text normalisation: read numbers, symbols and Latin script the way a Korean news announcer does.

Numbers are hand-written rather than taken from num2words: its Korean is Sino-Korean only, so it cannot say
세 명 / 스무 살 / 네 시, and its ordinals are wrong (7번째 must be 일곱 번째, 1번째 첫 번째). The reading of a
number is chosen by the counter that follows it. Output spacing follows standard Korean spacing: a space between
a number and its counter (세 명, 이천구 년), groups of 만 separated (만 팔천오백, 십이억 오천만), months
written as one word (유월, 오월). Pronunciation rules (연음, 비음화...) are not applied here: the G2P does that.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- numbers

_SINO_DIGITS = "영일이삼사오육칠팔구"
_CODE_DIGITS = "공일이삼사오육칠팔구"  # digit strings (phone numbers, codes) read 0 as 공
_NATIVE_ONES = ["", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉"]
_NATIVE_TENS = ["", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"]
_BIG = ["", "만", "억", "조", "경"]


def _sino_group(n: int) -> str:
    """0 < n < 10000; 천/백/십 take no 일 (천구백, not 일천구백)."""
    out = []
    for value, name in ((1000, "천"), (100, "백"), (10, "십")):
        d, n = divmod(n, value)
        if d:
            out.append(("" if d == 1 else _SINO_DIGITS[d]) + name)
    if n:
        out.append(_SINO_DIGITS[n])
    return "".join(out)


def sino(n: int) -> str:
    """Sino-Korean cardinal, 만-groups separated by spaces: 18500 -> 만 팔천오백, 120000000 -> 일억 이천만."""
    if n == 0:
        return "영"
    if n >= 10**20:
        return digits(str(n), zero="영")
    groups = []
    i = 0
    while n:
        n, g = divmod(n, 10000)
        if g:
            # 만 takes no 일 at the start of a number (만 명); 억, 조 do (일억).
            word = "" if (g == 1 and i == 1) else _sino_group(g)
            groups.append(word + _BIG[i])
        i += 1
    return " ".join(reversed(groups))


def native(n: int) -> str:
    """Native-Korean number in the form used before a counter (1..99): 한, 두, 스무, 스물한, 아흔아홉."""
    tens, ones = divmod(n, 10)
    if tens == 2 and ones == 0:
        return "스무"
    return _NATIVE_TENS[tens] + _NATIVE_ONES[ones]


def digits(s: str, zero: str = "공") -> str:
    table = _CODE_DIGITS if zero == "공" else _SINO_DIGITS
    return "".join(table[int(c)] for c in s if c.isdigit())


def decimal(int_part: int, frac: str) -> str:
    return f"{sino(int_part)} 점 {digits(frac, zero='영')}" if frac else sino(int_part)


# ---------------------------------------------------------------- counters

# Counters that take native-Korean numbers (up to 99; from 100 on Korean switches to Sino-Korean numbers).
_NATIVE = """명 사람 시간 개 살 마리 번 권 장 대 척 곳 가지 달 잔 벌 그루 채 통 군데 켤레 쌍 자루 송이 알 바퀴 줄
끼 발 병 봉지 상자 편 곡 건 차례 배 팀 개비 그릇 접시 골""".split()
# Counters and units read with Sino-Korean numbers; listed so the reading is spaced from the number and so that
# longer words win over a native counter they start with (개국, 개월 are Sino; 개 is native).
_SINO = """년 월 일 분 초 원 달러 위안 엔 유로 파운드 루블 위 차 층 호 번지 회 개국 개월 개년 주 주년 주일 세 도
킬로그램 그램 밀리그램 톤 미터 킬로미터 센티미터 밀리미터 퍼센트 퍼센트포인트 포인트 헤르츠 킬로헤르츠 메가헤르츠
기가헤르츠 킬로와트 메가와트 기가와트 리터 밀리리터 평 배럴 부 기 선 승 패 점 단계 학년 등 인 국 시즌 시리즈
년간 일간 개국씩 헥타르 제곱미터 제곱킬로미터 데시벨 볼트 와트 바이트 기가바이트 메가바이트 테라바이트
베이시스포인트""".split()
_COUNTER_RE = re.compile(
    "|".join(sorted({*_NATIVE, *_SINO, "시", "번째", "째"}, key=len, reverse=True))
)

# Symbol and Latin units after a number, longest first; "prefix" units are said before the number (시속 백 킬로미터).
_UNITS = {
    "%p": "퍼센트포인트", "%": "퍼센트", "km/h": "킬로미터", "m/s": "미터", "km²": "제곱킬로미터", "m²": "제곱미터",
    "m³": "세제곱미터", "km": "킬로미터", "cm": "센티미터", "mm": "밀리미터", "m": "미터", "kg": "킬로그램",
    "mg": "밀리그램", "g": "그램", "t": "톤", "kHz": "킬로헤르츠", "MHz": "메가헤르츠", "GHz": "기가헤르츠",
    "Hz": "헤르츠", "kWh": "킬로와트시", "kW": "킬로와트", "MW": "메가와트", "GW": "기가와트", "W": "와트",
    "kV": "킬로볼트", "V": "볼트", "mAh": "밀리암페어시", "mL": "밀리리터", "ml": "밀리리터", "L": "리터",
    "l": "리터", "ha": "헥타르", "°C": "도", "°F": "도", "°": "도", "GB": "기가바이트", "MB": "메가바이트",
    "TB": "테라바이트", "KB": "킬로바이트", "Mbps": "메가비피에스", "Gbps": "기가비피에스", "ppm": "피피엠",
    "dB": "데시벨", "bp": "베이시스포인트", "cc": "시시",
}
_UNIT_PREFIX = {"km/h": "시속", "m/s": "초속", "°F": "화씨"}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))

_CURRENCY = {"US$": "달러", "$": "달러", "₩": "원", "€": "유로", "£": "파운드", "¥": "엔"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# An amount: digits with optional Korean multipliers, possibly several groups (1억 2,000만, 3천만, 5백).
_PART = rf"(?:{_NUM})[천백]?[조억만]?"
_AMOUNT = rf"(?:(?:{_NUM})[천백]?[조억만]\s?)*{_PART}"
_NUMBER_RE = re.compile(
    rf"(?:(?<![가-힣])(?P<je>제)\s?)?(?:(?P<cur>US\$|[$₩€£¥])\s?)?(?P<amt>{_AMOUNT})(?P<yeo>여)?"
    rf"(?:(?P<usp>\s?)(?P<unit>{_UNIT_RE})(?![A-Za-z])|(?P<csp>\s?)(?P<counter>{_COUNTER_RE.pattern}))?"
)
_RANGE_RE = re.compile(
    rf"(?P<a>(?:(?:US\$|[$₩€£¥])\s?)?{_AMOUNT})\s?~\s?(?=(?:(?:US\$|[$₩€£¥])\s?)?\d)"
)


def _amount_value(amt: str) -> tuple[int, str] | None:
    """(integer value, decimal digits) of an amount; decimals only without multipliers (else None, read as written)."""
    total = 0
    for num, small, big in re.findall(r"([\d,.]+)([천백]?)([조억만]?)", amt.replace(" ", "")):
        whole, _, frac = num.replace(",", "").partition(".")
        if frac and (small or big):
            return None
        mult = {"": 1, "천": 1000, "백": 100}[small] * {"": 1, "만": 10**4, "억": 10**8, "조": 10**12}[big]
        total += int(whole) * mult
        if frac:
            return total, frac
    return total, ""


def _read_amount(amt: str) -> str:
    v = _amount_value(amt)
    if v is not None:
        return decimal(*v)
    # 1.5억 -> 일 점 오억: a decimal with a multiplier is read as written.
    out = []
    for num, small, big in re.findall(r"([\d,.]+)([천백]?)([조억만]?)", amt.replace(" ", "")):
        whole, _, frac = num.replace(",", "").partition(".")
        out.append(decimal(int(whole), frac) + small + big)
    return " ".join(out)


# 번 before these nouns is a label (3번 출구 = 삼 번 출구), not a count (세 번).
_LABELLED = re.compile(r"\s?(?:출구|국도|고속도로|도로|버스|노선|선수|타자|문항|항목|문제|게이트|채널|트랙|좌석|홀|방|환자|확진자|후보)")


def _read(amt: str, counter: str, forced_sino: bool, after: str = "") -> tuple[str, str]:
    """(number, counter) as said: the counter decides between native and Sino-Korean numbers."""
    v = _amount_value(amt)
    n, frac = v if v is not None else (-1, "x")
    simple = not frac and 1 <= n <= 99 and not forced_sino
    if counter == "번" and _LABELLED.match(after):
        simple = False
    if counter == "월" and not frac and n in (6, 10):
        return ("유월" if n == 6 else "시월"), ""
    if counter == "월" and v is not None and not frac:
        return sino(n) + "월", ""
    if counter == "번째" and simple:
        return ("첫" if n == 1 else native(n)), "번째"
    if counter == "째" and simple:
        return ({1: "첫", 2: "둘", 3: "셋", 4: "넷"}.get(n) or native(n)) + "째", ""
    if counter == "시" and simple and n <= 12:
        return native(n), "시"
    if counter == "대" and simple and n % 10 == 0:  # 20대 = one's twenties; 차 3대 = 세 대
        return sino(n), "대"
    if counter in _NATIVE and simple:
        return native(n), counter
    return _read_amount(amt), counter


def _number(m: re.Match) -> str:
    amt, cur, counter, unit = m["amt"], m["cur"], m["counter"], m["unit"]
    je = "제" if m["je"] else ""
    yeo = m["yeo"] or ""
    if unit:
        prefix = _UNIT_PREFIX.get(unit, "")
        prefix = prefix + " " if prefix and not m.string[: m.start()].rstrip().endswith(prefix) else ""
        return f"{prefix}{je}{_read_amount(amt)}{yeo} {_UNITS[unit]}"
    if counter:
        number, said_counter = _read(amt, counter, bool(je or yeo or cur), m.string[m.end():])
        head = f"{je}{number}{yeo}"
        body = f"{head} {said_counter}" if said_counter else head
        return f"{body} {_CURRENCY[cur]}" if cur else body
    body = f"{je}{_read_amount(amt)}{yeo}"
    return f"{body} {_CURRENCY[cur]}" if cur else body


def _range(m: re.Match) -> str:
    """15~20명 -> 열다섯 명에서 스무 명: the counter (or unit) of the second number is repeated on the first."""
    rest = m.string[m.end():]
    second = _NUMBER_RE.match(rest)
    tail = ""
    if second:
        if second["unit"]:
            tail = second["usp"] + second["unit"]
        elif second["counter"]:
            tail = second["csp"] + second["counter"]
        if second["cur"] and not m["a"].lstrip().startswith(tuple(_CURRENCY)):
            return f"{second['cur']}{m['a']}{tail}에서 "
    return f"{m['a']}{tail}에서 "


# ---------------------------------------------------------------- dates, times, digit strings


def _date(m: re.Match) -> str:
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0)
    return f"{y}년 {mo}월 {d}일"


def _code(m: re.Match) -> str:
    return " ".join(digits(part) for part in re.split(r"[-\s]", m.group(0)) if part)


_EVENTS = "운동|혁명|사태|항쟁|민주화|절|선언|공동선언|합의|전쟁|참사|사변|정신"


def _anniversary(m: re.Match) -> str:
    # 6·25, 5·18, 3·1: the month as a number, the day digit by digit (육이오, 오일팔).
    return sino(int(m[1])) + digits(m[2], zero="영")


def _versus(m: re.Match) -> str:
    return f"{sino(int(m[1]))} 대 {sino(int(m[2]))}"


_COUNTED_RANGE_RE = re.compile(
    rf"(?<![\d,.])(\d[\d,]*)\s?-\s?(?=\d[\d,.]*\s?(?:{_COUNTER_RE.pattern}|{_UNIT_RE}))"
)


def _fraction(m: re.Match) -> str:
    return f"{sino(int(m[2]))}분의 {sino(int(m[1]))}"


# ---------------------------------------------------------------- Latin script

_LETTERS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    "에이 비 시 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 지".split()
)))  # Z is 지 as in 디엠지 (DMZ), the common broadcast reading

# Acronyms said as words (exact case), and words with an established Korean form (any case).
_ACRONYMS = {
    "UN": "유엔", "NATO": "나토", "UNESCO": "유네스코", "UNICEF": "유니세프", "UNHCR": "유엔에이치시알",
    "ASEAN": "아세안", "OPEC": "오펙", "FIFA": "피파", "NASA": "나사", "NASDAQ": "나스닥", "KOTRA": "코트라",
    "KAIST": "카이스트", "POSCO": "포스코", "OK": "오케이", "TV": "티브이", "CCTV": "시시티비", "COVID": "코로나",
    "SARS": "사스", "MERS": "메르스", "AIDS": "에이즈", "APEC": "에이펙", "IMF": "아이엠에프", "WHO": "더블유에이치오",
    "KOSPI": "코스피", "KOSDAQ": "코스닥", "LED": "엘이디", "PIN": "핀", "LOL": "엘오엘", "UFO": "유에프오",
    "G7": "지세븐", "G8": "지에이트", "G20": "지이십", "MP3": "엠피스리", "3D": "쓰리디", "5G": "오지",
    "4K": "포케이", "U.N.": "유엔",
}
_WORDS = {
    "k-pop": "케이팝", "kpop": "케이팝", "k-drama": "케이드라마", "covid": "코로나", "covid-19": "코로나 일구",
    "samsung": "삼성", "hyundai": "현대", "google": "구글", "apple": "애플", "youtube": "유튜브",
    "facebook": "페이스북", "twitter": "트위터", "iphone": "아이폰", "netflix": "넷플릭스", "microsoft": "마이크로소프트",
    "internet": "인터넷", "radio": "라디오", "news": "뉴스", "online": "온라인", "email": "이메일", "e-mail": "이메일",
    "wi-fi": "와이파이", "wifi": "와이파이", "app": "앱", "seoul": "서울", "pyongyang": "평양", "korea": "코리아",
    "reuters": "로이터", "yonhap": "연합", "brexit": "브렉시트", "trump": "트럼프", "biden": "바이든",
    "kim": "김", "lee": "이", "park": "박", "the": "더", "and": "앤드", "of": "오브", "new": "뉴", "york": "욕",
    "times": "타임스", "post": "포스트", "washington": "워싱턴", "china": "차이나", "daily": "데일리",
    "smartphone": "스마트폰", "chatgpt": "챗지피티", "openai": "오픈에이아이", "tiktok": "틱톡", "usb": "유에스비",
    "dmz": "디엠지", "nk": "엔케이", "putin": "푸틴", "xi": "시", "jinping": "진핑", "london": "런던",
    "moscow": "모스크바", "beijing": "베이징", "tokyo": "도쿄", "obama": "오바마", "macron": "마크롱",
    "geneva": "제네바", "unification": "유니피케이션", "north": "노스", "south": "사우스", "voice": "보이스",
    "free": "프리", "asia": "아시아", "america": "아메리카",
}

# Rule-based English -> Hangul for unknown words: a spelling-based approximation (keep it simple), not a pronouncer.
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
# Graphemes, longest first. Upper-case letters are glides/special consonants: W (w), Y (y), S (sh), N (ng).
_GRAPHEMES = [
    ("mc", "ㅁㅐㅋ"), ("tion", "Sㅓㄴ"), ("sion", "Sㅓㄴ"), ("tch", "ㅊ"), ("sch", "ㅅㅋ"), ("eau", "ㅗ"),
    ("ch", "ㅊ"), ("sh", "S"), ("th", "ㅅ"), ("ph", "ㅍ"),
    ("ck", "ㅋ"), ("ng", "N"), ("gh", ""), ("wh", "W"), ("qu", "ㅋW"), ("ee", "ㅣ"), ("ea", "ㅣ"), ("oo", "ㅜ"),
    ("ou", "ㅏㅜ"), ("ai", "ㅔㅣ"), ("ay", "ㅔㅣ"), ("ei", "ㅔㅣ"), ("ey", "ㅔㅣ"), ("oa", "ㅗ"), ("au", "ㅗ"),
    ("aw", "ㅗ"), ("ow", "ㅗㅜ"), ("oi", "ㅗㅣ"), ("oy", "ㅗㅣ"), ("ie", "ㅣ"), ("ue", "ㅜ"), ("x", "ㅋㅅ"),
    ("a", "ㅏ"), ("e", "ㅔ"), ("i", "ㅣ"), ("o", "ㅗ"), ("u", "ㅓ"), ("b", "ㅂ"), ("c", "ㅋ"), ("d", "ㄷ"),
    ("f", "ㅍ"), ("g", "ㄱ"), ("h", "ㅎ"), ("j", "ㅈ"), ("k", "ㅋ"), ("l", "ㄹ"), ("m", "ㅁ"), ("n", "ㄴ"),
    ("p", "ㅍ"), ("q", "ㅋ"), ("r", "ㄹ"), ("s", "ㅅ"), ("t", "ㅌ"), ("v", "ㅂ"), ("w", "W"), ("z", "ㅈ"),
]
_CODA = {"ㄴ": "ㄴ", "ㅁ": "ㅁ", "N": "ㅇ", "ㄹ": "ㄹ", "ㅋ": "ㄱ", "ㅍ": "ㅂ"}  # codas Korean loanwords keep
_GLIDE = {"W": {"ㅏ": "ㅘ", "ㅓ": "ㅝ", "ㅗ": "ㅝ", "ㅔ": "ㅞ", "ㅣ": "ㅟ", "ㅐ": "ㅙ"},
          "Y": {"ㅏ": "ㅑ", "ㅓ": "ㅕ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ"},
          "S": {"ㅏ": "ㅑ", "ㅓ": "ㅕ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ"}}


def _syllable(cho: str, jung: str, jong: str = "") -> str:
    return chr(0xAC00 + (_CHO.index(cho) * 21 + _JUNG.index(jung)) * 28 + _JONG.index(jong or " "))


def _jamo(word: str) -> list[str]:
    w = word.lower()
    if len(w) > 3 and w.endswith("e") and w[-2] not in "aeiouy":
        w = w[:-1]  # silent final e
    w = re.sub(r"(?<=[aeiou])r(?![aeiou])", "", w)  # non-rhotic, as in Korean loanwords (port -> 포트)
    w = re.sub(r"([b-df-hj-km-np-tv-z])\1", r"\1", w)  # double letters are one sound
    w = re.sub(r"(?<=[aeiou])l(?=[aeiouy])", "ll", w)  # 멜라니아, not 메라니아
    w = re.sub(r"(?<![cstpgw])h(?![aeiouy])", "", w)  # John -> 존
    w = re.sub(r"c(?=[eiy])", "s", w)
    w = re.sub(r"g(?=[eiy])", "j", w)
    w = re.sub(r"(?:^|(?<=[aeiou]))y(?=[aeiou])", "Y", w)
    out: list[str] = []
    i = 0
    while i < len(w):
        if w[i] == "Y":
            out.append("Y")
            i += 1
            continue
        g, j = next(((g, j) for g, j in _GRAPHEMES if w.startswith(g, i)), (w[i], ""))
        out.extend(j)
        i += len(g)
    return out


def transliterate(word: str) -> str:
    """Unknown English word -> Hangul by spelling rules (London -> 론돈); readable, not exact."""
    units = _jamo(word)
    out: list[str] = []
    i = 0
    while i < len(units):
        j = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else "."
        if j in _JUNG:
            out.append(_syllable("ㅇ", j))
        elif nxt in _JUNG and j in _GLIDE:
            cho = "ㅅ" if j == "S" else "ㅇ"
            out.append(_syllable(cho, _GLIDE[j].get(nxt, nxt)))
            i += 1
        elif nxt in _JUNG:
            out.append(_syllable("ㅇ" if j == "N" else j, nxt))
            i += 1
        elif j in _CODA and out and units[i - 1] in _JUNG and (ord(out[-1]) - 0xAC00) % 28 == 0:
            out[-1] = chr(ord(out[-1]) + _JONG.index(_CODA[j]))
        else:
            out.append({"S": "시", "W": "우", "Y": "이", "N": "응"}.get(j) or _syllable(j, "ㅣ" if j in "ㅈㅊ" else "ㅡ"))
        i += 1
    return "".join(out)


def _spell(token: str) -> str:
    return "".join(_LETTERS.get(c, "") for c in token.upper() if c.isalpha())


def _latin_word(token: str) -> str:
    if token in _ACRONYMS:
        return _ACRONYMS[token]
    if token.lower() in _WORDS:
        return _WORDS[token.lower()]
    if re.fullmatch(r"(?:[A-Za-z]\.)+", token):
        return _spell(token)  # U.K., E.U.
    if "&" in token:
        return "앤".join(_latin_word(p) for p in token.split("&"))
    if "-" in token or "." in token:
        return " ".join(_latin_word(p) for p in re.split(r"[-.]", token) if p)
    letters = token.replace("'", "").replace("’", "")
    vowels = sum(c in "AEIOUaeiou" for c in letters)
    if letters.isupper() and (len(letters) < 5 or vowels / len(letters) < 0.35):
        return _spell(letters)
    if len(letters) == 1:
        return _spell(letters)
    return transliterate(letters)


_LATIN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’]*(?:[-&.][A-Za-z]+)*")
_LATIN_TABLE_RE = re.compile(
    "|".join(rf"(?<![A-Za-z0-9]){re.escape(k)}(?![A-Za-z0-9])"
             for k in sorted([*_ACRONYMS, *_WORDS], key=len, reverse=True) if re.search(r"[\d\-.]", k)),
    re.IGNORECASE,
)


def _latin_table(m: re.Match) -> str:
    t = m.group(0)
    return _ACRONYMS.get(t) or _WORDS.get(t.lower()) or t


# ---------------------------------------------------------------- punctuation and symbols

_HANJA = {"北": "북한", "南": "남한", "美": "미국", "中": "중국", "日": "일본", "韓": "한국", "英": "영국", "佛": "프랑스",
          "獨": "독일", "露": "러시아", "與": "여당", "野": "야당", "軍": "군", "檢": "검찰", "靑": "청와대", "故": "고"}
_SPECIAL_CHARS = {"㎡": "m²", "㎢": "km²", "㎥": "m³", "℃": "°C", "℉": "°F", "％": "%", "～": "~", "〜": "~",
                  "∼": "~", "‧": "·", "・": "·", "ㆍ": "·", "･": "·"}


def _prepare(text: str) -> str:
    """Fold full-width forms and unit signs to ASCII (NFKC), but never Hangul jamo (NFKC would break them)."""
    text = "".join(_SPECIAL_CHARS.get(c, c) for c in text)
    out = []
    for c in text:
        if "\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" or c in "²³·":
            out.append(c)
        else:
            out.append(unicodedata.normalize("NFKC", c))
    return "".join(out)


def _punctuation(text: str) -> str:
    text = re.sub(r"[\"“”„‟'‘’«»「」『』《》〈〉<>]", "", text)  # quotes and title marks: no pause
    text = re.sub(r"[)\]）](?=[가-힣])", "", text)  # (IAEA)는: the particle stays on the word
    text = re.sub(r"[()\[\]{}（）【】〔〕—–―:;|]", ",", text)  # asides and dashes: a pause
    text = re.sub(r"\s-\s|(?<=[가-힣])-(?=[가-힣])", ", ", text)
    text = re.sub(r"…|\.{2,}", ",", text)
    text = re.sub(r"([가-힣]+)·(?=([가-힣]+))", _interpunct, text)
    text = re.sub(r"\s*&\s*", " 앤 ", text)
    text = re.sub(r"±\s*", " 플러스마이너스 ", text)
    text = re.sub(r"\s*\+\s*", " 플러스 ", text)
    text = re.sub(r"\s*[×]\s*", " 곱하기 ", text)
    text = re.sub(r"@", " 앳 ", text)
    text = re.sub(r"\s*/\s*", ", ", text)
    text = re.sub(r"\s*~\s*(?=[가-힣\ue000-\uefff])", "에서 ", text)
    # Anything else that is not Hangul, a kept punctuation mark, a lexicon placeholder or a CJK character goes.
    text = re.sub(r"[^\s가-힣ㄱ-ㆎ\u1100-\u11ff.,?!\ue000-\uefff\u3400-\u9fff\uf900-\ufaff]", " ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,?!])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.?!])", r"\1", text)
    text = re.sub(r"^[\s,.]+", "", text)
    text = re.sub(r",(?=\S)", ", ", text)
    return text.strip().rstrip(",").strip()


def _interpunct(m: re.Match) -> str:
    # 한·미 -> 한미 (one word), 정치·경제 -> 정치 경제.
    return m[1] if len(m[1]) == 1 and len(m[2]) == 1 else m[1] + " "


# ---------------------------------------------------------------- particles after a substituted word

# Particle pairs (after a consonant, after a vowel); only forms directly attached and ending the word.
_PARTICLES = {"은": "은는", "는": "은는", "이": "이가", "가": "이가", "을": "을를", "를": "을를", "과": "과와",
              "와": "과와", "으로": "으로로", "로": "으로로"}
PARTICLE_RE = re.compile(r"(?:으로|로|은|는|이|가|을|를|과|와)(?![가-힣])")


def particle_after(word: str, particle: str) -> str:
    """The particle form that fits the last syllable of `word` (조선중앙통신 + 는 -> 은)."""
    last = next((c for c in reversed(word) if "가" <= c <= "힣"), None)
    if last is None:
        return particle
    jong = (ord(last) - 0xAC00) % 28
    if particle in ("으로", "로"):
        return "로" if jong in (0, 8) else "으로"  # 8 = ㄹ: 서울로
    pair = _PARTICLES[particle]
    return pair[0] if jong else pair[1]


# A Latin word with the particle written after it (CAHR가, UNHCR)는): the writer chose the particle for the English
# letter names; it is chosen again for the Korean reading (알가 -> 알이, 시알는 -> 시알은).
_LATIN_WORD_RE = re.compile(rf"(?P<latin>{_LATIN_RE.pattern})(?P<close>[)\]’'\"”]?)(?P<particle>{PARTICLE_RE.pattern})?")


def _latin_with_particle(m: re.Match) -> str:
    word = _latin_word(m["latin"])
    particle = m["particle"]
    return word + m["close"] + (particle_after(word, particle) if particle else "")


# ---------------------------------------------------------------- the pipeline


def normalise(text: str) -> str:
    text = _prepare(text)
    # Standalone news hanja (美 국무부 -> 미국 국무부).
    text = re.sub(r"(?<![\u4e00-\u9fff])([北南美中日韓英佛獨露與野軍檢靑故])(?![\u4e00-\u9fff])",
                  lambda m: _HANJA[m[1]], text)
    text = _LATIN_TABLE_RE.sub(_latin_table, text)  # K-pop, COVID-19, G7, U.S. before the number rules
    # Letter codes with numbers: F-35 -> 에프 35, A380 -> 에이 380 (the number rules then read the number).
    text = re.sub(r"(?<![A-Za-z0-9])([A-Z]{1,4})-?(?=\d)", lambda m: _spell(m[1]) + " ", text)
    # Dates and times written with separators.
    text = re.sub(r"(?<![\d.])(\d{4})[.\-/]\s?(\d{1,2})[.\-/]\s?(\d{1,2})\.?(?![\d.])", _date, text)
    text = re.sub(r"(?<![\d:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])",
                  lambda m: f"{int(m[1])}시" + (f" {int(m[2])}분" if int(m[2]) else ""), text)
    text = re.sub(r"(?<![\d:])(\d+):(\d+)(?![\d:])", _versus, text)  # ratios 2:1
    text = re.sub(r"(?<![\d,.])(\d{1,3})(?:대| 대 )(\d{1,3})(?![\d,.])", _versus, text)  # 1대1, 3 대 2
    # Digit strings: phone numbers (010-1234-5678, 02-123-4567) and numbers with a leading zero (007).
    text = re.sub(r"(?<![\d,.])\d+(?:-\d+){2,}(?![\d,])|(?<![\d,.])0\d{1,3}-\d{3,4}(?![\d,])", _code, text)
    text = re.sub(r"(?<![\d,.])0+(\d+)(?=\s?[월일시분초])", r"\1", text)  # zero-padded 05월 05일
    text = re.sub(r"(?<![\d,.])0\d+(?![\d.,])", lambda m: digits(m.group(0)), text)
    text = re.sub(r"(?<![\d,.])(\d{1,2})·(\d{1,2})(?![\d,.])", _anniversary, text)
    text = re.sub(rf"(?<![\d,.])(\d{{1,2}})\.(\d{{1,2}})(?=\s?(?:{_EVENTS}))", _anniversary, text)  # 3.1운동
    text = re.sub(r"(?<![\d,./])([1-4])/4\s?분기", lambda m: sino(int(m[1])) + "사분기", text)  # 3/4분기 = 삼사분기
    text = re.sub(r"(?<![\d,./])(\d{1,2})/(\d{1,3})(?![\d/])", _fraction, text)
    # Year ranges with a hyphen (2010-2012년) and scores (3-2).
    text = re.sub(r"(?<![\d,.])(\d{4})\s?-\s?(?=\d{4}(?!\d))", r"\1~", text)
    text = _COUNTED_RANGE_RE.sub(r"\1~", text)
    text = re.sub(r"(?<![\d,.])(\d{1,2})-(\d{1,2})(?![\d,.])", _versus, text)  # scores 3-2
    # A minus sign before a number (-0.2%, −5도): it changes the news, so it is read, never dropped as punctuation.
    text = re.sub(r"(?<![\w.,\-−])[-−](?=\d)", "마이너스 ", text)
    text = _RANGE_RE.sub(_range, text)
    text = _NUMBER_RE.sub(_number, text)
    text = _LATIN_WORD_RE.sub(_latin_with_particle, text)
    text = _punctuation(text)
    # The guarantee: nothing ASCII-alphanumeric reaches the voice.
    text = re.sub(r"\d+", lambda m: digits(m.group(0), zero="영"), text)
    text = re.sub(r"[A-Za-z]+", lambda m: _spell(m.group(0)), text)
    return text
