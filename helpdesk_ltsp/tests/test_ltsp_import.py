import base64
import time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools.ltsp_syntax import parse_leases
from .common import LtspCase


@tagged("post_install", "-at_install")
class TestLtspImport(LtspCase):
    def _wizard(self, source, content, **vals):
        return self.env["helpdesk.ltsp.import.wizard"].create(
            {
                "server_id": self.server.id,
                "source": source,
                "file": base64.b64encode(content.encode()),
                "filename": "terminals.txt",
                **vals,
            }
        )

    def _count(self):
        return self.Terminal.with_context(active_test=False).search_count([("server_id", "=", self.server.id)])

    def test_leases_update_known_and_create_drafts(self):
        expiry = int(time.time()) + 3600
        self._wizard(
            "leases",
            (
                "duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01\n"
                f"{expiry} 52:54:00:66:00:02 10.66.0.140 loket-02 *\n"
                f"{expiry} 52:54:00:66:00:50 10.66.0.150 pc-lab-5 01:52:54:00:66:00:50\n"
                f"0 52:54:00:66:00:51 10.66.0.151 * *\n"
            ),
        ).action_import()
        self.assertEqual(self.loket2.last_ip, "10.66.0.140")
        self.assertTrue(self.loket2.last_seen)
        drafts = self.Terminal.search([("server_id", "=", self.server.id), ("state", "=", "draft")])
        self.assertEqual(sorted(drafts.mapped("name")), ["ltsp-525400660051", "pc-lab-5"])
        self.assertFalse(drafts.filtered(lambda t: t.name == "ltsp-525400660051").last_seen, "infinite lease")

    def test_leases_with_garbage_import_nothing(self):
        expiry = int(time.time()) + 3600
        wizard = self._wizard(
            "leases",
            (
                f"{expiry} 52:54:00:66:00:50 10.66.0.150 pc-lab-5 *\n"
                "garbage here\n"
                f"{expiry} 52:54:00:66:00:zz 10.66.0.151 * *\n"
            ),
        )
        before = self._count()
        with self.assertRaisesRegex(ValidationError, r"(?s)line 2: .*line 3: .*not a MAC address"):
            wizard.action_import()
        self.assertEqual(self._count(), before)

    def test_leases_of_another_network_are_refused(self):
        expiry = int(time.time()) + 3600
        with self.assertRaisesRegex(ValidationError, "leases file of another server"):
            self._wizard("leases", f"{expiry} 52:54:00:66:00:50 192.168.1.50 pc *\n").action_import()

    def test_csv_inventory(self):
        content = (
            "mac;hostname;ip;location\n"
            "52-54-00-66-00-61;lab-01;10.66.0.61;Lab Komputer\n"
            "52:54:00:66:00:62;;;\n"
            "52:54:00:66:00:01;loket-01;;Loket 1\n"
        )
        self._wizard("csv", content, partner_id=self.kominfo.id, location="Lantai 2").action_import()
        lab = self.Terminal.search([("mac_address", "=", "52:54:00:66:00:61")])
        self.assertRecordValues(
            lab,
            [
                {
                    "name": "lab-01",
                    "ip_mode": "fixed",
                    "ip_address": "10.66.0.61",
                    "state": "draft",
                    "location": "Lab Komputer",
                    "partner_id": self.kominfo.id,
                }
            ],
        )
        other = self.Terminal.search([("mac_address", "=", "52:54:00:66:00:62")])
        self.assertEqual((other.name, other.location), ("ltsp-525400660062", "Lantai 2"))
        self.assertEqual(self._count(), 4, "the known MAC is not duplicated")

    def test_csv_with_errors_imports_nothing(self):
        content = (
            "mac,hostname,ip,location\n"
            "52:54:00:66:00:61,lab-01,10.66.0.61,Lab\n"
            "52:54:00:66:00:63,lab_02,,Lab\n"
            "52:54:00:66:00:61,lab-03,,Lab\n"
        )
        before = self._count()
        with self.assertRaisesRegex(
            ValidationError, r"(?s)line 3: .*not a valid hostname.*line 4: .*line 2 of the file"
        ):
            self._wizard("csv", content).action_import()
        self.assertEqual(self._count(), before)
        # Rows that clash with registered terminals roll the whole file back too.
        with self.assertRaisesRegex(ValidationError, "IP 10.66.0.21 is already given to terminal loket-01"):
            self._wizard("csv", "mac,ip\n52:54:00:66:00:70,10.66.0.70\n52:54:00:66:00:71,10.66.0.21\n").action_import()
        self.assertEqual(self._count(), before)

    def test_csv_without_mac_column(self):
        with self.assertRaisesRegex(Exception, "column “mac”"):
            self._wizard("csv", "hostname\npc-01\n").action_import()

    def test_leases_import_query_count_is_flat(self):
        """A leases file of 40 terminals costs as many queries as one of 4."""
        expiry = int(time.time()) + 3600

        def run(count, offset):
            self.Terminal.create(
                [
                    {
                        "server_id": self.server.id,
                        "name": f"pc-{offset + i}",
                        "mac_address": f"52:54:00:67:{offset + i:02x}:00",
                    }
                    for i in range(count)
                ]
            )
            leases = parse_leases(
                self.env,
                "".join(
                    f"{expiry} 52:54:00:67:{offset + i:02x}:00 10.66.0.{offset + i} * *\n"
                    f"{expiry} 52:54:00:68:{offset + i:02x}:00 10.66.0.{100 + offset + i} * *\n"
                    for i in range(count)
                ),
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            created, updated = self.server._import_leases(leases)
            self.env.flush_all()
            self.assertEqual((len(created), updated), (count, count))
            return self.env.cr.sql_log_count - before

        run(1, 2)  # warm-up: the first import fills the registry's caches
        self.assertEqual(run(2, 10), run(20, 40))
