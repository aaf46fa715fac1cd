"""What an SMS costs and how it travels: GSM-7 or UCS-2, parts, UDH.

Pure functions, so the composer, the notifications and the importer count and split alike.
"""
# GSM 03.38 basic character set (without the escape character) and its extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
# Units (septets or UTF-16 code units) of a single SMS and of each part of a concatenated SMS.
LIMITS = {"gsm7": (160, 153), "ucs2": (70, 67)}
# Gammu's "Coding" column for each encoding.
GAMMU_CODING = {"gsm7": "Default_No_Compression", "ucs2": "Unicode_No_Compression"}
# One 8-bit concatenation reference allows 255 parts; helpdesk texts stay far below.
MAX_PARTS = 10


def is_gsm7(text):
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _units(char, encoding):
    if encoding == "gsm7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1  # a surrogate pair in UTF-16


def encoding_of(text):
    return "gsm7" if is_gsm7(text) else "ucs2"


def count(text):
    """(encoding, units used, parts, units left in the last part) for a text."""
    text = text or ""
    encoding = encoding_of(text)
    single, multi = LIMITS[encoding]
    used = sum(_units(char, encoding) for char in text)
    if used <= single:
        return encoding, used, 1 if used else 0, single - used
    parts = split(text)
    last = sum(_units(char, encoding) for char in parts[-1])
    return encoding, used, len(parts), multi - last


def split(text):
    """The parts of a text, never cutting a GSM-7 escape sequence nor a surrogate pair."""
    encoding = encoding_of(text)
    single, multi = LIMITS[encoding]
    if sum(_units(char, encoding) for char in text) <= single:
        return [text]
    parts, current, used = [], [], 0
    for char in text:
        units = _units(char, encoding)
        if used + units > multi:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += units
    parts.append("".join(current))
    return parts


def concat_udh(reference, total, sequence):
    """User data header of one part of a concatenated SMS (8-bit reference)."""
    return f"050003{reference % 256:02X}{total:02X}{sequence:02X}"


def parse_concat_udh(udh):
    """(reference, total, sequence) of a concatenated part, None for a UDH without one.

    Raises ValueError for a header that cannot be read (odd length, overflowing elements,
    impossible part numbers).
    """
    udh = (udh or "").strip()
    if not udh:
        return None
    data = bytes.fromhex(udh)  # ValueError on non-hex
    if not data or data[0] != len(data) - 1:
        raise ValueError(f"UDH length byte {data[:1].hex()} does not match {len(data) - 1} bytes")
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError("truncated information element")
        iei, length = data[pos], data[pos + 1]
        value = data[pos + 2:pos + 2 + length]
        if len(value) != length:
            raise ValueError("truncated information element")
        if iei in (0x00, 0x08) and length == (3 if iei == 0x00 else 4):
            reference = value[0] if iei == 0x00 else int.from_bytes(value[:2], "big")
            total, sequence = value[-2], value[-1]
            if not total or not 1 <= sequence <= total:
                raise ValueError(f"part {sequence} of {total}")
            return reference, total, sequence
        pos += 2 + length
    return None


def decode_inbox_text(coding, text_hex, text_decoded):
    """The text of one inbox row.

    Gammu writes each part's text as hex in "Text" (UCS-2 for the default and Unicode
    codings, raw bytes for 8bit); "TextDecoded" of a concatenated message's first part
    holds the whole message, so "Text" is preferred and "TextDecoded" is the fallback.
    """
    try:
        raw = bytes.fromhex(text_hex or "")
        text = raw.decode("utf-8", errors="replace") if coding == "8bit" else raw.decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        text = ""  # not what gammu writes: another tool filled the row
    return text or text_decoded or ""
