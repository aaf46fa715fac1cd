from datetime import datetime

from odoo.addons.helpdesk_ticketing.tests.common import CommittedCase
from odoo.tests import freeze_time, tagged

NOW = datetime(2026, 11, 24, 3, 0)


@tagged("post_install", "-at_install")
class TestLtspMajorIncidentTwoWorkers(CommittedCase):
    """Two cron workers check the same server at once: one opens the major incident, the other skips the
    server it cannot lock; a later run attaches nothing twice and opens no second incident."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            kominfo = env.ref("helpdesk_ticketing.partner_kominfo_bandung")
            server = env["helpdesk.ltsp.server"].create({
                "name": "LTSP Uji Dua Worker", "network": "10.88.0.0/24", "server_ip": "10.88.0.1",
                "partner_id": kominfo.id, "major_incident_mode": "open", "major_incident_threshold": 2,
            })
            self.server_ids = self.remember(server)
            terminals = env["helpdesk.ltsp.terminal"].create([{
                "server_id": server.id, "name": f"uji-{i}", "mac_address": f"52:54:00:88:00:0{i}",
                "partner_id": kominfo.id,
            } for i in (1, 2)])
            self.remember(terminals)
            tickets = env["helpdesk.ticket"].create([{
                "name": f"Terminal uji-{i} mati", "partner_id": env.ref("helpdesk_ticketing.partner_andi").id,
                "terminal_id": terminal.id, "channel": "phone",
            } for i, terminal in enumerate(terminals, 1)])
            self.ticket_ids = self.remember(tickets)
            env.flush_all()
            env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s", [NOW, tuple(tickets.ids)])

    def detect(self, env):
        return env["helpdesk.ltsp.server"].browse(self.server_ids)._claim_and_detect()

    @freeze_time(NOW)  # the class decorator freezes TransactionCase classes only
    def test_one_incident_when_two_workers_check_at_once(self):
        with self.committed_env() as env_a:
            self.assertTrue(self.detect(env_a), "worker A locks the server and opens the incident")
            incident = env_a["helpdesk.ltsp.server"].browse(self.server_ids).major_incident_id
            self.remember(incident)
            with self.committed_env() as env_b:
                self.assertFalse(self.detect(env_b), "worker B skips the server A holds")
        with self.committed_env() as env:
            self.assertFalse(self.detect(env), "the incident is open: nothing new")
            server = env["helpdesk.ltsp.server"].browse(self.server_ids)
            incidents = env["helpdesk.ticket"].search([("is_major_incident", "=", True),
                                                       ("name", "ilike", "LTSP Uji Dua Worker")])
            self.assertEqual(incidents, server.major_incident_id)
            self.assertEqual(incidents.child_incident_ids.ids, self.ticket_ids)
