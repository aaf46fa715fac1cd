"""Helpers for the end-to-end tests: real programs on 127.0.0.1, stopped by PID.

Importable from any test folder (pytest.ini puts tests/ on sys.path).
"""
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import closing

import pytest


def require_program(name):
    """A missing program fails the test: it never skips silently."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}", f"/sbin/{name}") if os.access(p, os.X_OK)), None
    )
    if not path:
        pytest.fail(f"{name} is not installed: run scripts/setup.sh (it installs the Debian packages)")
    return path


def free_port():
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=10.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


class Program:
    """A real program run for a test, stopped by its PID."""

    def __init__(self, args, cwd=None, env=None, log_path=None):
        self.args = args
        self.log_path = log_path
        self._log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def log(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, errors="replace") as fh:
            return fh.read()

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.alive():
            os.kill(self.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(timeout)
        if self._log is not subprocess.DEVNULL:
            self._log.close()


def free_udp_port_block(size=1):
    """A UDP port whose next ``size`` neighbours spaced by 10 are free too (SIP + RTP), and whose TCP port
    and the next one are free (baresip also listens for SIP over TCP there and over TLS one above)."""
    for _attempt in range(50):
        base = free_port()
        sockets = []
        try:
            for index in range(size):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sockets.append(sock)
                sock.bind(("127.0.0.1", base + 10 * index))
            for port in (base, base + 1):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise AssertionError("no free block of UDP ports on 127.0.0.1")
