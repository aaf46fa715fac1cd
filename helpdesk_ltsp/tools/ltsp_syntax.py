"""Syntax rules of the files LTSP and dnsmasq read, checked before anything reaches them.

`ltsp.conf` is turned into a shell script by LTSP's `ini2sh` and then evaluated with `eval`,
and some values (POST_INIT_x, AUTOLOGIN, ...) are evaluated a second time at run time:
what we write must stay one literal assignment per line.
"""

import ipaddress
import re

from odoo.exceptions import ValidationError

MAC_HEX_RE = re.compile(r"^[0-9a-f]{12}$")
MAC_SEPARATORS_RE = re.compile(r"[\s:.\-]")
# RFC 1123 host label, lowercase; LTSP lowercases hostname sections anyway.
HOSTNAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# ini2sh only recognises `VAR=value` lines whose name is [A-Za-z0-9_]; a shell variable cannot start with a digit.
PARAM_KEY_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# Shell special characters that a value, quoted once and evaluated again by LTSP, must not contain.
FORBIDDEN_VALUE_CHARS = {"'": "'", "$": "$", "`": "`", "\\": "\\"}
CONTROL_CHARS_RE = re.compile(r"[\x00-\x1f\x7f]")


def normalize_mac(env, value):
    """Return the MAC in the lowercase colon form LTSP sections and dnsmasq use."""
    raw = (value or "").strip().lower()
    digits = MAC_SEPARATORS_RE.sub("", raw)
    if not MAC_HEX_RE.match(digits):
        raise ValidationError(
            env._(
                "“%(mac)s” is not a MAC address: write six pairs of hexadecimal digits, e.g. 52:54:00:12:34:56.",
                mac=value or "",
            )
        )
    octets = [digits[i : i + 2] for i in range(0, 12, 2)]
    if digits in ("000000000000", "ffffffffffff") or int(octets[0], 16) & 1:
        raise ValidationError(
            env._(
                "“%(mac)s” is a broadcast, multicast or empty MAC address, not the address of a terminal.",
                mac=value,
            )
        )
    return ":".join(octets)


def normalize_hostname(env, value):
    """Return the hostname as a lowercase DNS label, or raise a clear error."""
    name = (value or "").strip().lower()
    if not HOSTNAME_RE.match(name):
        raise ValidationError(
            env._(
                "“%(name)s” is not a valid hostname: use 1 to 63 letters, digits or hyphens, "
                "not starting or ending with a hyphen (e.g. loket-01).",
                name=value or "",
            )
        )
    return name


def parse_network(env, value):
    """The server's network range (CIDR, IPv4) as an ipaddress network."""
    try:
        network = ipaddress.IPv4Network((value or "").strip(), strict=False)
    except ValueError:
        raise ValidationError(
            env._(
                "“%(range)s” is not a network range: write it as address/prefix, e.g. 192.168.67.0/24.",
                range=value or "",
            )
        ) from None
    if network.prefixlen > 30:
        raise ValidationError(
            env._("The network range %(range)s is too small for terminals: use a /30 or larger range.", range=value)
        )
    return network


def parse_ip(env, value):
    try:
        return ipaddress.IPv4Address((value or "").strip())
    except ValueError:
        raise ValidationError(env._("“%(ip)s” is not an IPv4 address, e.g. 192.168.67.21.", ip=value or "")) from None


def check_parameter(env, key, value):
    """Reject LTSP parameters that would break or change the generated shell script."""
    key = key or ""
    if key != key.strip() or "=" in key or " " in key:
        raise ValidationError(
            env._(
                "Parameter name “%(key)s”: no spaces and no “=” — ltsp.conf needs NAME=value without spaces "
                "around the “=”.",
                key=key,
            )
        )
    if not PARAM_KEY_RE.match(key):
        raise ValidationError(
            env._(
                "Parameter name “%(key)s” is not valid in ltsp.conf: use capital letters, digits and "
                "underscores, not starting with a digit (e.g. X_MODES).",
                key=key,
            )
        )
    value = value or ""
    if "\n" in value or "\r" in value:
        raise ValidationError(env._("Parameter %(key)s: the value must fit on one line (no line breaks).", key=key))
    if CONTROL_CHARS_RE.search(value):
        raise ValidationError(env._("Parameter %(key)s: the value contains invisible control characters.", key=key))
    if value != value.strip():
        raise ValidationError(
            env._(
                "Parameter %(key)s: remove the spaces at the start or end of the value (no spaces around the “=”).",
                key=key,
            )
        )
    bad = sorted({char for char in value if char in FORBIDDEN_VALUE_CHARS})
    if bad:
        raise ValidationError(
            env._(
                "Parameter %(key)s: the value must not contain %(chars)s — LTSP evaluates it as shell code, "
                "where single quotes, “$”, backquotes and backslashes change its meaning.",
                key=key,
                chars=" ".join(bad),
            )
        )
    if value.count('"') % 2:
        raise ValidationError(
            env._(
                "Parameter %(key)s: the double quotes are not balanced; close every quote you open, "
                'e.g. "1024x768" "800x600".',
                key=key,
            )
        )


def shell_quote(value):
    """Quote a value already accepted by check_parameter (no single quote inside)."""
    return f"'{value}'"


def comment_text(value):
    """Free text made safe for a one-line `#` comment."""
    return CONTROL_CHARS_RE.sub(" ", value or "").strip()


def parse_leases(env, content):
    """Parse a dnsmasq leases file: one `expiry mac ip hostname client-id` per line.

    Every bad line is reported together, so nothing is imported from a damaged file.
    """
    leases, errors = [], []
    for number, line in enumerate((content or "").splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0] == "duid":
            # Empty lines, and the DHCPv6 server DUID line dnsmasq writes first.
            continue
        try:
            if len(fields) not in (4, 5) or not fields[0].isdigit():
                raise ValidationError(env._("expected “expiry MAC IP hostname client-id”"))
            mac = normalize_mac(env, fields[1])
            ip = str(parse_ip(env, fields[2]))
            hostname = False if fields[3] == "*" else normalize_hostname(env, fields[3])
        except ValidationError as error:
            errors.append(env._("line %(number)s: %(error)s", number=number, error=error.args[0]))
            continue
        leases.append({"expiry": int(fields[0]), "mac": mac, "ip": ip, "hostname": hostname})
    if errors:
        raise ValidationError(
            env._("The leases file was not imported, it has bad lines:\n%(errors)s", errors="\n".join(errors[:20]))
        )
    return leases
