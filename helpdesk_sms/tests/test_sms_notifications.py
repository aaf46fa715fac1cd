from odoo.tests import tagged

from .common import HelpdeskSmsCase


@tagged("post_install", "-at_install")
class TestSmsNotifications(HelpdeskSmsCase):
    def _sms(self, ticket, event):
        return ticket.sms_message_ids.filtered(lambda m: m.event == event)

    def test_teams_choose_their_notifications(self):
        ticket = self.env["helpdesk.ticket"].create({
            "name": "VPN putus", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        self.assertFalse(ticket.sms_message_ids, "no SMS while the team has not asked for them")
        self.team.write({"sms_notify_created": True, "sms_notify_assigned": True, "sms_notify_solved": True})
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Email tidak masuk", "partner_id": self.contact.id, "team_id": self.team.id,
            "user_id": self.agent.id,
        })
        created = self._sms(ticket, "created")
        self.assertEqual(len(ticket.sms_message_ids), 1, "assignment at creation is part of the created SMS")
        self.assertIn(ticket.code, created.body)
        self.assertEqual((created.state, created.number, created.gateway_id), ("queued", "+6281277771111",
                                                                                self.gateway))
        ticket.user_id = self.leader
        self.assertIn(self.leader.name, self._sms(ticket, "assigned").body)
        solved = self.env["helpdesk.stage"].search([("kind", "=", "solved")], limit=1)
        ticket.write({"stage_id": solved.id, "solution": "<p>Kotak masuk dibersihkan.</p>"})
        self.assertIn(ticket.code, self._sms(ticket, "solved").body)

    def test_no_sms_without_a_number(self):
        self.team.sms_notify_created = True
        partner = self.env["res.partner"].create({"name": "Tanpa Telepon"})
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Tanpa nomor", "partner_id": partner.id, "team_id": self.team.id,
        })
        self.assertFalse(ticket.sms_message_ids)

    def test_templates_are_sent_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        template = self.env.ref("helpdesk_sms.sms_template_created")
        template.with_context(lang="id_ID").body = "Tiket {{ object.code }} sudah kami terima."
        self.contact.lang = "id_ID"
        self.team.sms_notify_created = True
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Printer", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        self.assertEqual(self._sms(ticket, "created").body, f"Tiket {ticket.code} sudah kami terima.")
