#!/usr/bin/env python3
"""Relay the call events of a baresip softphone to Odoo (caller pop-up, live call log).

Runs next to the softphone (agent desk or LTSP terminal), standard library only:

    python3 baresip_bridge.py --control tcp://127.0.0.1:4444 --extension 1001 \
        --odoo https://helpdesk.example.co.id/helpdesk_voip/softphone/1 --token-file /etc/helpdesk-voip.token

baresip's ctrl_tcp accepts one connection at a time: when Odoo connects to
dial, this bridge is disconnected; it reconnects after ``--reconnect`` seconds.
"""
import argparse
import json
import logging
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from baresip_ctrl import NetstringReader, SoftphoneError, parse_control_url  # noqa: E402

_logger = logging.getLogger("baresip_bridge")
RELAYED = {"CALL_INCOMING", "CALL_RINGING", "CALL_OUTGOING", "CALL_ESTABLISHED", "CALL_CLOSED"}


def post(url, token, extension, event, timeout=5):
    body = json.dumps({"extension": extension, "event": event}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
    })
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL given by the admin)
        return response.status


def relay(args, token):
    host, port = parse_control_url(args.control)
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.settimeout(None)
        _logger.info("connected to %s", args.control)
        reader = NetstringReader()
        while True:
            data = sock.recv(65536)
            if not data:
                _logger.info("softphone closed the control connection")
                return
            for message in reader.feed(data):
                if not message.get("event") or message.get("type") not in RELAYED:
                    continue
                try:
                    post(args.odoo, token, args.extension, message)
                    _logger.info("relayed %s %s", message.get("type"), message.get("id"))
                except (urllib.error.URLError, OSError) as error:
                    _logger.warning("Odoo did not take %s: %s", message.get("type"), error)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--control", required=True, help="baresip ctrl_tcp address, tcp://host:port")
    parser.add_argument("--extension", required=True, help="SIP extension of this softphone's agent")
    parser.add_argument("--odoo", required=True, help="Odoo URL …/helpdesk_voip/softphone/<PBX id>")
    parser.add_argument("--token-file", required=True, help="file holding the PBX's webhook token")
    parser.add_argument("--reconnect", type=float, default=1.5, help="seconds before reconnecting")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    token = Path(args.token_file).read_text().strip()
    while True:
        try:
            relay(args, token)
        except (OSError, SoftphoneError, ValueError) as error:
            _logger.warning("control connection failed: %s", error)
        time.sleep(args.reconnect)


if __name__ == "__main__":
    main()
