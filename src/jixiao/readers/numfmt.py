"""Render a spreadsheet cell's value through its number format, as Excel and WPS display it.

Covers what forms use: ``General``, fixed decimals (``0.00``), thousands separators (``#,##0``), percentages
(``0.00%``), scaling commas (``#,##0,``), scientific (``0.00E+00``), literal text and currency in a section
(``¥#,##0.00``, ``0.00"万元"``), sections for positive;negative;zero;text, colour and locale tags, and dates and
times (``yyyy-mm-dd``, ``yyyy"年"m"月"d"日"``, ``h:mm``).  Rounding is half away from zero, as Excel does.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_BRACKET = re.compile(r"\[([^\]]*)\]")
_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+", re.IGNORECASE)
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def render(value: object, fmt: str | None) -> str:
    """The text a cell shows: ``render(0.9898, "0.00%")`` → ``98.98%``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, fmt or "")
    if isinstance(value, dt.timedelta):
        return str(value)
    if not isinstance(value, int | float):
        return str(value)
    fmt = (fmt or "General").strip()
    sections = _split_sections(fmt)
    section = sections[0]
    negative_own = False
    if value < 0 and len(sections) > 1 and sections[1]:
        section, negative_own = sections[1], True
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    section = _strip_brackets(section)
    number = abs(value) if negative_own else value
    if section.lower() in ("general", ""):
        return general(number)
    if _is_date_section(section):
        from openpyxl.utils.datetime import from_excel

        try:
            return _date(from_excel(value), section)
        except (ValueError, OverflowError):
            return general(value)
    return _number(number, section)


def general(value: float) -> str:
    """Excel's General format: integers without a decimal point, at most 11 significant digits."""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    text = f"{value:.11g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}E{exp[0]}{exp[1:].lstrip('0').rjust(2, '0')}"
    return text


def _split_sections(fmt: str) -> list[str]:
    out, cur, quoted, i = [], [], False, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(fmt):
            cur.append(fmt[i : i + 2])
            i += 2
            continue
        elif ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _strip_brackets(section: str) -> str:
    """Drop colour, condition and locale tags; a currency tag ``[$¥-804]`` leaves its symbol."""

    def keep(m: re.Match[str]) -> str:
        inner = m.group(1)
        if inner.startswith("$"):
            return '"' + inner[1:].split("-")[0] + '"'
        if re.fullmatch(r"h+|m+|s+", inner, re.IGNORECASE):  # elapsed time [h]:mm
            return inner
        return ""

    return _BRACKET.sub(keep, section)


def _is_date_section(section: str) -> bool:
    plain = re.sub(r'"[^"]*"|\\.', "", section).lower()
    return bool(re.search(r"[ymdhs]", plain)) and not re.search(r"[0#?]", plain)


def _literals(section: str) -> list[tuple[bool, str]]:
    """Split a section into (is_code, text) pieces: quoted strings and escapes are literal."""
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            out.append((False, section[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append((False, section[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(section):  # padding the width of the next character
            out.append((False, " "))
            i += 2
        elif ch == "*" and i + 1 < len(section):  # fill character: nothing in plain text
            i += 2
        else:
            out.append((True, ch))
            i += 1
    return out


def _number(value: float, section: str) -> str:
    pieces = _literals(section)
    code = "".join(t for c, t in pieces if c)
    positions = [k for k, (c, t) in enumerate(pieces) if c and t in "0#?"]
    if not positions:  # literal text only; ``@`` stands for the value itself
        return "".join(general(value) if c and t == "@" else t for c, t in pieces)
    first, last = positions[0], positions[-1]
    core = "".join(t for c, t in pieces[first : last + 1] if c)
    prefix = "".join(t for _, t in pieces[:first])
    suffix_pieces = pieces[last + 1 :]
    scale = 0
    while suffix_pieces and suffix_pieces[0] == (True, ","):
        scale += 1
        suffix_pieces = suffix_pieces[1:]
    suffix = "".join(t for _, t in suffix_pieces)
    if "%" in code:
        value *= 100
    value /= 1000**scale
    if re.search(r"[eE][+-]", core) or re.search(r"^[eE][+-]", suffix):
        return prefix + _scientific(value, core + suffix) if "E" in core.upper() else general(value)
    integer, _, fraction = core.partition(".")
    decimals = sum(1 for ch in fraction if ch in "0#?")
    min_decimals = sum(1 for ch in fraction if ch == "0")
    min_int = sum(1 for ch in integer if ch == "0")
    try:
        q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return general(value)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    while len(frac) > min_decimals and frac.endswith("0"):
        frac = frac[:-1]
    whole = "" if int(whole) == 0 and min_int == 0 else whole.rjust(min_int, "0")
    if "," in integer and whole:
        whole = f"{int(whole):,}".rjust(min_int, "0")
    body = whole + ("." + frac if frac else ("." if "." in core else ""))
    return f"{sign}{prefix}{body}{suffix}"


def _scientific(value: float, core: str) -> str:
    mantissa = core.upper().split("E")[0]
    decimals = len(mantissa.partition(".")[2])
    text = f"{value:.{decimals}E}"
    m, exp = text.split("E")
    return f"{m}E{exp[0]}{exp[1:].lstrip('0').rjust(2, '0')}"


def _date(value: dt.datetime | dt.date | dt.time, fmt: str) -> str:
    section = _strip_brackets(_split_sections(fmt)[0]) if fmt else ""
    if not section or section.lower() == "general" or not _is_date_section(section):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    pieces = _literals(section)
    code = "".join(t if c else "\0" * len(t) for c, t in pieces)
    literal = "".join("\0" * len(t) if c else t for c, t in pieces)
    out: list[str] = []
    i = 0
    last_was_hour = False
    twelve = bool(re.search(r"am/pm|a/p", code, re.IGNORECASE))
    while i < len(code):
        if code[i] == "\0":
            out.append(literal[i])
            i += 1
            continue
        m = _DATE_TOKEN.match(code, i)
        if m is None:
            out.append(code[i])
            i += 1
            continue
        tok = m.group(0)
        low = tok.lower()
        rest = code[m.end() :].lstrip(" \0").lower()
        minute = low in ("m", "mm") and (last_was_hour or rest.startswith("s"))
        out.append(_date_part(value, low, minute, twelve))
        last_was_hour = low in ("h", "hh")
        i = m.end()
    return "".join(out)


def _date_part(value: dt.datetime | dt.date | dt.time, tok: str, minute: bool, twelve: bool) -> str:
    d = value if not isinstance(value, dt.time) else None
    t = (
        value
        if isinstance(value, dt.time)
        else (value.time() if isinstance(value, dt.datetime) else dt.time(0))
    )
    if tok == "yyyy" and d is not None:
        return f"{d.year:04d}"
    if tok == "yy" and d is not None:
        return f"{d.year % 100:02d}"
    if tok in ("m", "mm"):
        if minute:
            return f"{t.minute:02d}" if tok == "mm" else str(t.minute)
        return "" if d is None else (f"{d.month:02d}" if tok == "mm" else str(d.month))
    if tok in ("mmm", "mmmm") and d is not None:
        return f"{d.month}月"
    if tok in ("d", "dd") and d is not None:
        return f"{d.day:02d}" if tok == "dd" else str(d.day)
    if tok in ("ddd", "dddd") and d is not None:
        return _WEEKDAYS[d.weekday()]
    if tok in ("h", "hh"):
        hour = t.hour % 12 or 12 if twelve else t.hour
        return f"{hour:02d}" if tok == "hh" else str(hour)
    if tok in ("s", "ss"):
        return f"{t.second:02d}" if tok == "ss" else str(t.second)
    if tok in ("am/pm", "a/p"):
        am = t.hour < 12
        return ("AM" if am else "PM") if tok == "am/pm" else ("A" if am else "P")
    if tok.startswith("."):
        return "." + f"{t.microsecond:06d}"[: len(tok) - 1]
    return ""
