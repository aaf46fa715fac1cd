"""Helpers of the SMS end-to-end tests: gammu's database and the dummy modem of gammu-smsd.

gammu-smsd runs with Gammu's dummy phone driver: an SMS "arrives" when its smsbackup file is
added to the phone folder with `gammu addsms`; what the daemon sends lands in `sentitems`.
"""
import getpass
import gzip
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from e2e_support import require_program

SCHEMA = Path("/usr/share/doc/gammu-smsd/examples/pgsql.sql")
SOCKET = "/var/run/postgresql"
PHONE_ID = "hdtest"
RUN_ON_RECEIVE = Path(__file__).resolve().parents[1] / "helpdesk_sms" / "scripts" / "gammu_run_on_receive.sh"


def load_schema():
    path = SCHEMA if SCHEMA.exists() else SCHEMA.with_suffix(".sql.gz")
    if not path.exists():
        pytest.fail(f"{SCHEMA} is missing: install the Debian package gammu-smsd (scripts/setup.sh)")
    if path.suffix == ".gz":
        with gzip.open(path, "rt") as fh:
            text = fh.read()
    else:
        text = path.read_text()
    # PostgreSQL ≥ 9 has plpgsql already; the example still creates it.
    return "\n".join(line for line in text.splitlines() if not line.startswith("CREATE LANGUAGE"))


class GammuDb:
    """gammu-smsd's database of one test, read and written like gammu-smsd and Kalkun do."""

    def __init__(self, name):
        self.name = name
        self.dsn = f"host={SOCKET} dbname={name}"

    def query(self, sql, params=None):
        with psycopg2.connect(self.dsn) as conn, conn.cursor() as cr:
            cr.execute(sql, params)
            result = cr.fetchall() if cr.description else None
        conn.close()
        return result

    def insert_inbox(self, rows):
        """Rows as gammu-smsd writes them: (sender, text, UDH, coding)."""
        values = [
            (sender, text.encode("utf-16-be").hex().upper(), udh, coding, text, PHONE_ID)
            for sender, text, udh, coding in rows
        ]
        with psycopg2.connect(self.dsn) as conn, conn.cursor() as cr:
            cr.executemany(
                'INSERT INTO inbox ("SenderNumber", "Text", "UDH", "Coding", "TextDecoded", "RecipientID") '
                "VALUES (%s, %s, %s, %s, %s, %s)",
                values,
            )
        conn.close()


def smsd_config(phone, database, url, token_file):
    """gammu-smsd configuration: dummy phone, SQL service on the local socket, RunOnReceive to Odoo."""
    return f"""[gammu]
model = dummy
connection = none
device = {phone}

[smsd]
service = sql
driver = native_pgsql
host = {SOCKET}
user = {os.environ.get("PGUSER") or getpass.getuser()}
password = unused
database = {database}
PhoneID = {PHONE_ID}
CommTimeout = 1
ReceiveFrequency = 1
StatusFrequency = 0
LoopSleep = 1
MultipartTimeout = 10
RunOnReceive = {RUN_ON_RECEIVE} {url} {token_file}
logfile = stderr
debuglevel = 1
"""


class Modem:
    """The dummy phone of gammu-smsd: deliver() makes an SMS arrive."""

    def __init__(self, folder, config):
        self.folder, self.config, self.count = folder, config, 0

    def deliver(self, sender, parts, coding="Default_No_Compression"):
        """parts: [text] or [(text, udh), ...] for a concatenated SMS."""
        sections = []
        for index, part in enumerate(parts):
            text, udh = part if isinstance(part, tuple) else (part, "")
            sections.append("\n".join(filter(None, [
                f"[SMSBackup{index:03d}]",
                "PDU = Deliver",
                'SMSC = "+6281100000"',
                "State = UnRead",
                f'Number = "{sender}"',
                f"Coding = {coding}",
                "Folder = 1",
                f"UDH = {udh}" if udh else "",
                "DateTime = 20260101T120000",
                f"Text00 = {text.encode('utf-16-be').hex().upper()}",
            ])))
        self.count += 1
        backup = self.folder / f"incoming-{self.count}.smsbackup"
        backup.write_text("\n\n".join(sections) + "\n")
        subprocess.run(
            [require_program("gammu"), "-c", str(self.config), "addsms", "1", str(backup), "-yes"],
            check=True, capture_output=True, timeout=30,
        )


def inbox_rows(count, senders="+62812555"):
    """Inbox rows of count SMS from 40 numbers starting with senders, every fifth a 3-part concatenated
    one: (rows, number of SMS)."""
    rows, groups = [], 0
    for index in range(count):
        sender = f"{senders}{index % 40:05d}"
        if index % 5 == 0:
            for seq in (1, 2, 3):
                rows.append((sender, f"bagian {seq} pesan {index} ", f"050003{index % 256:02X}03{seq:02X}",
                             "Default_No_Compression"))
        else:
            rows.append((sender, f"Laporan gangguan nomor {index}", "", "Default_No_Compression"))
        groups += 1
    return rows, groups
