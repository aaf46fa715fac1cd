from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestEscalation(HelpdeskCase):
    def test_escalate_to_next_level_team(self):
        ticket = self.ticket(user_id=self.agent_a.id)
        wizard = self.env["helpdesk.escalation.wizard"].with_user(self.agent_a).create({
            "ticket_ids": [(6, 0, ticket.ids)], "mode": "escalation", "reason": "Perlu akses router inti",
        })
        wizard.action_confirm()
        self.assertEqual(ticket.team_id, self.team_net)
        self.assertEqual(ticket.level, "2")
        self.assertEqual(ticket.user_id, self.leader_other, "the next team's leader takes it")
        history = ticket.escalation_ids
        self.assertEqual(len(history), 1)
        self.assertRecordValues(history, [{
            "kind": "escalation", "from_team_id": self.team_sd.id, "to_team_id": self.team_net.id,
            "from_user_id": self.agent_a.id, "to_user_id": self.leader_other.id, "from_level": "1",
            "to_level": "2", "user_id": self.agent_a.id, "reason": "Perlu akses router inti",
        }])
        self.assertEqual(ticket.escalation_count, 1)
        # The new owner is notified and follows the ticket.
        note = ticket.message_ids.filtered(lambda m: "Perlu akses router inti" in (m.body or ""))
        self.assertIn(self.leader_other.partner_id, note.notified_partner_ids)
        self.assertIn(self.leader_other.partner_id, ticket.message_partner_ids)
        # The agent lost sight of the ticket; its history stays with it.
        self.assertFalse(self.env["helpdesk.ticket"].with_user(self.agent_a).search([("id", "=", ticket.id)]))

    def test_escalate_within_team_raises_level_up_to_l3(self):
        self.team_sd.escalation_team_id = False
        ticket = self.ticket(user_id=self.agent_a.id)
        ticket._escalate("escalation", "butuh L2")
        self.assertEqual((ticket.level, ticket.user_id), ("2", self.leader))
        ticket.with_user(self.leader)._escalate("escalation", "butuh L3")
        self.assertEqual(ticket.level, "3")
        with self.assertRaisesRegex(UserError, "highest support level"):
            ticket._escalate("escalation", "lagi")
        self.assertEqual(ticket.escalation_ids.sorted("id").mapped("to_level"), ["2", "3"])

    def test_handover_needs_reason_and_target(self):
        ticket = self.ticket(user_id=self.agent_a.id)
        with self.assertRaisesRegex(UserError, "reason"):
            ticket._escalate("handover", "   ", user=self.agent_b)
        with self.assertRaisesRegex(UserError, "team or the person"):
            ticket._escalate("handover", "shift selesai")
        ticket.with_user(self.agent_a)._escalate("handover", "Shift saya selesai", user=self.agent_b)
        self.assertEqual(ticket.user_id, self.agent_b)
        self.assertEqual(ticket.level, "1")
        self.assertEqual(ticket.escalation_ids.kind, "handover")
        ticket._escalate("handover", "Masalah jaringan", team=self.team_net)
        self.assertEqual((ticket.team_id, ticket.user_id), (self.team_net, self.env["res.users"]))

    @freeze_time("2026-11-24 03:00:00")
    def test_sla_breach_escalates_once(self):
        # Round-the-clock SLA for this test.
        (self.team_sd | self.team_net).resource_calendar_id = False
        self.env.company.resource_calendar_id = False
        sla = self.env["helpdesk.sla"].create({"name": "Kilat", "response_hours": 1, "resolution_hours": 2})
        ticket = self.ticket(user_id=self.agent_a.id)
        self.assertEqual(ticket.sla_id, sla)

        def opened_ago(minutes):
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                [fields.Datetime.now() - timedelta(minutes=minutes), ticket.id],
            )
            ticket.invalidate_recordset()
            ticket._apply_sla()

        def run_cron():
            # Other tickets of the database (demo data) may breach too: only this ticket is checked.
            self.env["helpdesk.ticket"]._cron_check_sla()
            ticket.invalidate_recordset()

        opened_ago(90)  # the first response (1 h) is late, the resolution (2 h) not yet
        run_cron()
        self.assertEqual(ticket.sla_status, "breached")
        self.assertTrue(ticket.sla_response_breached)
        self.assertTrue(ticket.sla_response_escalated)
        self.assertFalse(ticket.sla_resolve_escalated)
        self.assertEqual(ticket.escalation_ids.kind, "sla")
        self.assertEqual(ticket.team_id, self.team_net)
        self.assertEqual(ticket.user_id, self.leader_other)
        run_cron()
        self.assertEqual(len(ticket.escalation_ids), 1, "one escalation per breach")
        opened_ago(150)  # now the resolution is late too: a second breach, escalated once more
        run_cron()
        self.assertEqual(len(ticket.escalation_ids), 2)
        self.assertEqual(ticket.level, "3")
        run_cron()
        self.assertEqual(len(ticket.escalation_ids), 2)
