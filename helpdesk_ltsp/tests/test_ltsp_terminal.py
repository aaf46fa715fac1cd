from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LtspCase


@tagged("post_install", "-at_install")
class TestLtspTerminal(LtspCase):
    def _terminal(self, **vals):
        return self.Terminal.create(
            {"server_id": self.server.id, "name": "pc-baru", "mac_address": "52:54:00:66:00:99", **vals}
        )

    def test_mac_forms_are_normalised(self):
        for raw in ("52-54-00-66-00-99", "5254.0066.0099", "525400660099", " 52:54:00:66:00:99 "):
            terminal = self._terminal(mac_address=raw)
            self.assertEqual(terminal.mac_address, "52:54:00:66:00:99")
            terminal.unlink()
        self.assertEqual(self._terminal(name="PC-Baru").name, "pc-baru")

    def test_malformed_mac_is_refused(self):
        for raw in ("52:54:00:66:00", "52:54:00:66:00:zz", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", ""):
            with self.assertRaises(ValidationError, msg=raw):
                self._terminal(mac_address=raw)

    def test_duplicate_mac_names_the_terminal(self):
        with self.assertRaisesRegex(ValidationError, "already registered on server .* as terminal loket-01"):
            self._terminal(mac_address="52-54-00-66-00-01")
        # Archived terminals keep their MAC: the error says so.
        self.loket1.action_archive()
        with self.assertRaisesRegex(ValidationError, "may be archived"):
            self._terminal(mac_address="52:54:00:66:00:01")
        # The same MAC on another server is another registration.
        other = self.server.copy({"name": "LTSP Cadangan"})
        self.assertTrue(self._terminal(server_id=other.id, mac_address="52:54:00:66:00:01", name="loket-01"))

    def test_duplicate_hostname_and_ip_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "Hostname loket-02 is already used"):
            self._terminal(name="LOKET-02")
        with self.assertRaisesRegex(ValidationError, "IP 10.66.0.21 is already given to terminal loket-01"):
            self._terminal(ip_mode="fixed", ip_address="10.66.0.21")
        # Two in the same batch are caught too.
        with self.assertRaisesRegex(ValidationError, "already"):
            self.Terminal.create(
                [
                    {"server_id": self.server.id, "name": "pc-a", "mac_address": "52:54:00:66:00:a1"},
                    {"server_id": self.server.id, "name": "pc-b", "mac_address": "52:54:00:66:00:A1"},
                ]
            )

    def test_bad_hostnames_are_refused(self):
        for name in ("pc_01", "-pc", "pc 01", "a" * 64, "1pc", "infinite", "pc.lab"):
            with self.assertRaises(ValidationError, msg=name):
                self._terminal(name=name)

    def test_fixed_ip_must_be_inside_the_range(self):
        with self.assertRaisesRegex(ValidationError, "outside the network range 10.66.0.0/24"):
            self._terminal(ip_mode="fixed", ip_address="10.67.0.5")
        for bad in ("10.66.0.0", "10.66.0.255"):
            with self.assertRaises(ValidationError):
                self._terminal(ip_mode="fixed", ip_address=bad)
        with self.assertRaisesRegex(ValidationError, "address of the LTSP server itself"):
            self._terminal(ip_mode="fixed", ip_address="10.66.0.1")
        with self.assertRaisesRegex(ValidationError, "not an IPv4 address"):
            self._terminal(ip_mode="fixed", ip_address="10.66.0.300")
        # Switching to dynamic forgets the fixed address.
        self.loket1.ip_mode = "dynamic"
        self.assertFalse(self.loket1.ip_address)

    def test_server_network_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "is not a network range"):
            self.server.network = "10.66.0"
        with self.assertRaisesRegex(ValidationError, "outside the network range"):
            self.server.server_ip = "192.168.1.1"
        self.server.network = "10.66.0.7/24"
        self.assertEqual(self.server.network, "10.66.0.0/24")

    def test_hostname_parameter_comes_from_the_hostname_field(self):
        with self.assertRaisesRegex(ValidationError, "Hostname field"):
            self.loket1.parameter_ids = [(0, 0, {"key": "HOSTNAME", "value": "other"})]
        with self.assertRaisesRegex(ValidationError, "written by the helpdesk"):
            self.server.parameter_ids = [(0, 0, {"key": "POST_INIT_HELPDESK_HEARTBEAT", "value": "true"})]
        self.loket1.parameter_ids = [(0, 0, {"key": "autologin", "value": "loket01"})]
        self.assertEqual(self.loket1.parameter_ids.key, "AUTOLOGIN")

    def test_generated_ltsp_conf(self):
        self.server.parameter_ids = [(0, 0, {"section": "clients", "key": "X_MODES", "value": '"1024x768"'})]
        self.loket1.parameter_ids = [(0, 0, {"key": "AUTOLOGIN", "value": "loket01"})]
        draft = self._terminal(state="draft")
        conf = self.server.ltsp_conf_preview
        self.assertIn("[clients]\nX_MODES='\"1024x768\"'\n", conf)
        self.assertIn("[52:54:00:66:00:01]\nHOSTNAME='loket-01'\nAUTOLOGIN='loket01'\n", conf)
        self.assertNotIn(draft.mac_address, conf)
        self.assertIn(f"https://helpdesk.example.co.id/helpdesk_ltsp/heartbeat/{self.server.id}", conf)
        self.assertIn("POST_INIT_HELPDESK_HEARTBEAT='section_helpdesk_heartbeat boot'", conf)

    def test_publish_and_pending_changes(self):
        self.assertTrue(self.server.config_pending)
        self.server.action_publish_config()
        self.assertFalse(self.server.config_pending)
        self.assertEqual(self.server.published_ltsp_conf, self.server.ltsp_conf_preview)
        self.loket2.location = "Loket 2 (pindah)"
        self.assertTrue(self.server.config_pending)
        (self.loket1 | self.loket2).action_regenerate_config()
        self.assertIn("Loket 2 (pindah)", self.server.published_ltsp_conf)

    def test_move_terminals_to_another_server(self):
        other = self.env["helpdesk.ltsp.server"].create({"name": "LTSP Baru", "network": "10.99.0.0/24"})
        wizard = self.env["helpdesk.ltsp.move.wizard"].create(
            {"terminal_ids": [(6, 0, (self.loket1 | self.loket2).ids)], "server_id": other.id}
        )
        with self.assertRaisesRegex(ValidationError, "outside the network range 10.99.0.0/24"):
            wizard.action_move()
        wizard.make_dynamic = True
        wizard.action_move()
        self.assertEqual((self.loket1 | self.loket2).server_id, other)
        self.assertFalse(self.loket1.ip_address)
        self.assertEqual(self.server.terminal_count, 0)
        self.assertEqual(other.terminal_count, 2)

    def test_heartbeat_registers_unknown_terminal_once(self):
        self.server._register_heartbeat("52:54:00:66:00:01", ip="10.66.0.21", event="login")
        self.assertEqual(self.loket1.last_event, "login")
        self.assertEqual(self.loket1.connection_status, "online")
        self.assertEqual(self.loket2.connection_status, "never")
        first = self.server._register_heartbeat("52:54:00:66:00:77", ip="10.66.0.77", hostname="loket-01")
        second = self.server._register_heartbeat("52:54:00:66:00:77", ip="10.66.0.77", hostname="loket-01")
        self.assertEqual(first, second)
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.name, "ltsp-525400660077", "a taken hostname is not reused")
        self.assertEqual(self.server.draft_terminal_count, 1)

    def test_errors_are_translated_for_indonesian_users(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ltsp"], ["id_ID"], overwrite=True)
        Terminal = self.Terminal.with_context(lang="id_ID")
        with self.assertRaisesRegex(ValidationError, "bukan alamat MAC: tulis enam pasang digit heksadesimal"):
            Terminal.create({"server_id": self.server.id, "name": "pc-baru", "mac_address": "52:54:00:zz"})
        with self.assertRaisesRegex(ValidationError, "tidak boleh mengandung \\$"):
            self.loket1.with_context(lang="id_ID").write(
                {"parameter_ids": [(0, 0, {"key": "AUTOLOGIN", "value": "$USER"})]}
            )
