"""Minimal client of baresip's ``ctrl_tcp`` module (JSON in netstrings).

baresip accepts one control connection at a time (a new one replaces the
previous one), so a command opens its own short connection and closes it.
"""
import json
import select
import socket
import time
from urllib.parse import urlparse


class SoftphoneError(Exception):
    """The softphone cannot be reached or refused the command.

    ``kind`` says what went wrong, for the user's message: "address" (not tcp://host:port),
    "unreachable" (nothing listens), "refused" (baresip said no), "closed" (the call ended at once),
    "silent" (no answer, or not baresip's protocol); the exception's text is the technical detail.
    """

    def __init__(self, kind, detail=""):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


def netstring(payload):
    data = json.dumps(payload).encode()
    return str(len(data)).encode() + b":" + data + b","


class NetstringReader:
    """Splits a byte stream into the JSON objects it carries."""

    def __init__(self):
        self.buffer = b""

    def feed(self, data):
        self.buffer += data
        messages = []
        while b":" in self.buffer:
            size, rest = self.buffer.split(b":", 1)
            if not size.isdigit():
                raise SoftphoneError("silent", f"not a netstring: {self.buffer[:40]!r}")
            size = int(size)
            if len(rest) < size + 1:
                break
            messages.append(json.loads(rest[:size]))
            self.buffer = rest[size + 1:]
        return messages


def parse_control_url(url):
    """tcp://host:port -> (host, port)."""
    parsed = urlparse(url or "")
    if parsed.scheme != "tcp" or not parsed.hostname or not parsed.port:
        raise SoftphoneError("address", f"invalid control address {url!r}, expected tcp://host:port")
    return parsed.hostname, parsed.port


def dial(url, target, timeout=3.0):
    """Ask the softphone to call ``target``; return the SIP Call-ID of the new call.

    The Call-ID is not in the command's response: it comes with the first call
    event of the same connection.
    """
    host, port = parse_control_url(url)
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as error:
        raise SoftphoneError("unreachable", str(error)) from error
    reader = NetstringReader()
    deadline = time.monotonic() + timeout
    answered = False
    try:
        sock.sendall(netstring({"command": "dial", "params": target, "token": "helpdesk_voip"}))
        while time.monotonic() < deadline:
            ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            data = sock.recv(65536)
            if not data:
                break
            for message in reader.feed(data):
                if message.get("response") and message.get("token") == "helpdesk_voip":
                    if not message.get("ok"):
                        raise SoftphoneError("refused", message.get("data") or "")
                    answered = True
                elif message.get("event") and message.get("class") == "call" and message.get("id"):
                    if message.get("type") == "CALL_CLOSED" and not answered:
                        raise SoftphoneError("closed", message.get("param") or "")
                    return message["id"]
    except OSError as error:
        raise SoftphoneError("unreachable", str(error)) from error
    finally:
        sock.close()
    raise SoftphoneError("silent", "no answer from the softphone" if not answered else "the softphone started no call")
