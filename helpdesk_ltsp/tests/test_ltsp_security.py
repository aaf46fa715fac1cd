from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import LtspCase


@tagged("post_install", "-at_install")
class TestLtspSecurity(LtspCase):
    @users("t_agent_a")
    def test_agent_works_terminals_but_not_servers(self):
        loket = self.loket2.with_env(self.env)
        loket.write(
            {"location": "Loket 2, Lantai 1", "parameter_ids": [(0, 0, {"key": "AUTOLOGIN", "value": "loket02"})]}
        )
        self.assertEqual(loket.parameter_ids.key, "AUTOLOGIN")
        server = self.server.with_env(self.env)
        self.assertEqual(server.name, "LTSP Kecamatan Sukajadi")
        with self.assertRaises(AccessError):
            server.write({"network": "10.0.0.0/8"})
        with self.assertRaises(AccessError):
            server.action_publish_config()
        with self.assertRaises(AccessError):
            server.read(["token"])
        arch = server.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="token"', arch)
        self.assertIn("[clients]", server.ltsp_conf_preview)
        with self.assertRaises(AccessError):
            self.env["helpdesk.ltsp.parameter"].create(
                {"server_id": server.id, "section": "clients", "key": "X_MODES", "value": "1024x768"}
            )
        with self.assertRaises(AccessError):
            loket.unlink()

    @users("t_leader")
    def test_leader_publishes_but_cannot_read_tokens(self):
        server = self.server.with_env(self.env)
        server.action_publish_config()
        self.assertIn("Bearer ", server.published_ltsp_conf)
        with self.assertRaises(AccessError):
            server.read(["token"])

    @users("t_portal_other")
    def test_portal_sees_only_own_company_terminals(self):
        Terminal = self.env["helpdesk.ltsp.terminal"]
        visible = Terminal.search([])
        self.assertEqual(visible, self.resepsionis.with_env(self.env))
        self.assertEqual(visible.commercial_partner_id, self.maju)
        with self.assertRaises(AccessError):
            self.loket1.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            self.resepsionis.with_env(self.env).write({"location": "Gudang"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.ltsp.server"].search([])

    def test_other_company_terminals_are_hidden(self):
        company = self.env["res.company"].create({"name": "PT Lain Sendiri"})
        other = self.env["helpdesk.ltsp.server"].create(
            {"name": "LTSP Lain", "network": "10.5.0.0/24", "company_id": company.id}
        )
        terminal = self.Terminal.create({"server_id": other.id, "name": "pc-lain", "mac_address": "52:54:00:05:00:01"})
        self.assertEqual(terminal.company_id, company)
        agent_env = self.env(user=self.agent)
        self.assertFalse(agent_env["helpdesk.ltsp.terminal"].search([("id", "=", terminal.id)]))
        self.assertFalse(agent_env["helpdesk.ltsp.server"].search([("id", "=", other.id)]))

    def test_ticket_counts_follow_the_ticket_rules(self):
        """An agent of another team sees the terminal, but not the tickets of a queue that is not theirs."""
        self.env["helpdesk.ticket"].create(
            {
                "name": "Terminal loket 1 mati",
                "partner_id": self.andi.id,
                "team_id": self.team_sd.id,
                "terminal_id": self.loket1.id,
            }
        )
        for user, expected in ((self.agent, 1), (self.leader, 1), (self.agent_net, 0)):  # network team only
            terminal = self.loket1.with_user(user)
            terminal.invalidate_recordset(["ticket_count", "open_ticket_count"])
            self.assertEqual((terminal.ticket_count, terminal.open_ticket_count), (expected, expected), user.login)
