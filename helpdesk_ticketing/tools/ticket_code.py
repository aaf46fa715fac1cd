"""Ticket codes named in free text (SMS, e-mail subjects), read with the company's ticket sequence.

A sequence with the prefix ``HD/%(year)s/`` and padding 5 gives codes like ``HD/2026/00042``.
Customers write them as ``HD/2026/00042``, ``hd-2026-42`` or ``HD 2026 00042`` (the full code), or
as ``HD42``, ``HD-42``, ``#HD00042`` (the short code: the number only, the newest ticket wins).
"""
import functools
import re
from typing import NamedTuple

# Digits of the date parts an ir.sequence prefix may hold (with their range_ and current_ variants).
PLACEHOLDER_DIGITS = {
    "year": 4, "month": 2, "day": 2, "y": 2, "doy": 3, "woy": 2, "weekday": 1, "h24": 2, "h12": 2,
    "min": 2, "sec": 2, "isoyear": 4, "isoy": 2, "isoweek": 2,
}
PLACEHOLDER = re.compile(r"%\(((?:range_|current_)?(\w+))\)s")
# Any separator customers type between the parts of a code, whatever the sequence uses.
SEPARATOR = r"\s*[/\-_.:\s]\s*"
# The number part of a stored code: its last run of digits (the index helpdesk_ticket_code_number_idx).
CODE_NUMBER_SQL = r"ltrim(substring(%s, '(\d+)\D*$'), '0')"
CODE_NUMBER = re.compile(r"(\d+)\D*$")


class CodeFormat(NamedTuple):
    """How one sequence's codes are written and found in text."""

    prefix: str
    suffix: str
    padding: int
    full_re: re.Pattern
    short_re: re.Pattern | None  # None when the prefix starts with no letters (no short form)
    head: str  # the letters a code starts with (HD), upper case

    def full_code(self, match):
        """The stored code a full-code match names (HD/2026/00042 for hd-2026-42)."""
        parts = {name: value for name, value in match.groupdict().items() if name != "number"}
        number = f"{int(match.group('number')):0{self.padding}d}"
        try:
            return self.prefix % parts + number + (self.suffix % parts if self.suffix else "")
        except (KeyError, TypeError, ValueError):  # a suffix with a part the code's text does not give
            return self.prefix % parts + number


def code_number(code):
    """The number part of a stored code without leading zeros ("42" for HD/2026/00042), or None."""
    match = CODE_NUMBER.search(code or "")
    return match.group(1).lstrip("0") if match else None


@functools.lru_cache(maxsize=32)
def code_format(prefix, suffix, padding):
    """The CodeFormat of a sequence's prefix, suffix and padding."""
    prefix, suffix = prefix or "", suffix or ""
    pattern, seen, position = [], set(), 0
    for match in PLACEHOLDER.finditer(prefix):
        pattern.append(_literal_pattern(prefix[position:match.start()]))
        name, part = match.group(1), match.group(2)
        digits = PLACEHOLDER_DIGITS.get(part)
        if digits is None:  # not a date part Odoo knows: the sequence itself would fail
            pattern.append(r"\w+")
        elif name in seen:
            pattern.append(rf"(?P={name})")
        else:
            pattern.append(rf"(?P<{name}>\d{{{digits}}})")
            seen.add(name)
        position = match.end()
    pattern.append(_literal_pattern(prefix[position:]))
    width = max(padding or 0, 6)
    full_re = re.compile(rf"(?<!\w){''.join(pattern)}(?P<number>\d{{1,{width}}})\b", re.IGNORECASE)
    head = re.match(r"[^\W\d_]*", prefix).group(0)
    short_re = (
        re.compile(rf"(?:^|[\s#(\[]){re.escape(head)}-?(\d{{1,{width}}})\b", re.IGNORECASE) if head else None
    )
    return CodeFormat(prefix, suffix, padding or 0, full_re, short_re, head.upper())


def _literal_pattern(text):
    """Letters and digits as written (any case), separators as any separator."""
    return "".join(
        SEPARATOR if not chunk[0].isalnum() else re.escape(chunk)
        for chunk in re.findall(r"[^\W_]+|[\W_]+", text)
    )
