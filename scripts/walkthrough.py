"""Screenshots of the product as each role sees it, for a person to look at.

    python scripts/walkthrough.py --url http://127.0.0.1:8069 --db helpdesk --out /tmp/shots \
        agent:/odoo/action-helpdesk_ticketing.helpdesk_ticket_action_my customer:/my/tickets ...

Each page argument is LOGIN:PATH (the demo password equals the login; "public" is a visitor without
an account). Every page is taken at desktop
(1400x900) and phone (390x844) width, in the user's language (the demo users work in Bahasa Indonesia
when it is loaded). Browser console errors are printed and make the script exit non-zero.
Headless Chromium is driven over its DevTools protocol on 127.0.0.1 and stopped at the end.
"""

import argparse
import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

SIZES = {"desktop": (1400, 900, False), "phone": (390, 844, True)}


class Chromium:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="walkthrough-")
        self.process = subprocess.Popen(
            [shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _attempt in range(100):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.1)
        with open(port_file) as file:
            port = file.read().split()[0]
        target = requests.put(f"http://127.0.0.1:{port}/json/new?about:blank", timeout=10).json()
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.errors = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            self.collect(message)
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def collect(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("exception", {}).get("description", "exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"{params['entry'].get('text')} {params['entry'].get('url', '')}")

    def settle(self, seconds):
        """Let the page run (OWL renders, RPCs) while collecting console messages."""
        deadline = time.monotonic() + seconds
        self.ws.settimeout(0.2)
        try:
            while time.monotonic() < deadline:
                with contextlib.suppress(websocket.WebSocketTimeoutException):
                    self.collect(json.loads(self.ws.recv()))
        finally:
            self.ws.settimeout(60)

    def wait_rendered(self, timeout=60):
        """Until the web client shows a view (backend) or the page is loaded (portal)."""
        ready = ("document.readyState === 'complete' && !document.querySelector('.o_loading_indicator, .o_blockUI')"
                 " && !!(document.querySelector('.o_action_manager .o_view_controller, .o_action_manager .o_action,"
                 " .o_form_view, .o_home_menu') || !document.querySelector('.o_web_client'))")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.send("Runtime.evaluate", expression=ready).get("result", {}).get("value"):
                return
            self.settle(0.5)

    def stop(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def session_id(url, db, login):
    response = requests.post(f"{url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login},
    }, timeout=60)
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"login {login}: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="helpdesk")
    parser.add_argument("--out", default="/tmp/helpdesk-walkthrough")
    parser.add_argument("--wait", type=float, default=1.5, help="seconds to let each page settle once shown")
    parser.add_argument("pages", nargs="+", help="LOGIN:PATH")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    browser = Chromium()
    host = args.url.split("//", 1)[1].split(":")[0].split("/")[0]
    failed = False
    try:
        for number, page in enumerate(args.pages, 1):
            login, path = page.split(":", 1)
            browser.send("Network.clearBrowserCookies")
            if login == "public":  # a visitor without an account, reading Bahasa Indonesia
                browser.send("Network.setCookie", name="frontend_lang", value="id_ID", domain=host, path="/")
            else:
                browser.send("Network.setCookie", name="session_id", value=session_id(args.url, args.db, login),
                             domain=host, path="/")
            for size, (width, height, mobile) in SIZES.items():
                browser.errors = []
                browser.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                             deviceScaleFactor=1, mobile=mobile)
                browser.send("Page.navigate", url=args.url + path)
                browser.wait_rendered()
                browser.settle(args.wait)
                shot = browser.send("Page.captureScreenshot", format="png")
                name = f"{number:02d}-{login}-{size}.png"
                with open(os.path.join(args.out, name), "wb") as file:
                    file.write(base64.b64decode(shot["data"]))
                print(f"{name}: {login} {path}")
                for error in browser.errors:
                    if "beforeunload" in error:  # leaving an unsaved new record, not a fault of the page
                        continue
                    failed = True
                    print(f"  console error: {error[:500]}")
    finally:
        browser.stop()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
