from odoo.tests import tagged

from ..tools import gammu_store
from .common import HelpdeskSmsCase


@tagged("post_install", "-at_install")
class TestSmsNotifications(HelpdeskSmsCase):
    def _sms(self, ticket):
        """The automatic SMS of a ticket, oldest first (Odoo's sms.sms, sent through the gateway)."""
        return self.env["sms.sms"].search([("helpdesk_ticket_id", "=", ticket.id)], order="id")

    def test_teams_choose_their_notifications(self):
        ticket = self.env["helpdesk.ticket"].create({
            "name": "VPN putus", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        self.assertFalse(self._sms(ticket), "no SMS while the team has not asked for them")
        self.team.write({"sms_notify_created": True, "sms_notify_assigned": True, "sms_notify_solved": True})
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Email tidak masuk", "partner_id": self.contact.id, "team_id": self.team.id,
            "user_id": self.agent.id,
        })
        created = self._sms(ticket)
        self.assertEqual(len(created), 1, "assignment at creation is part of the created SMS")
        self.assertIn(ticket.code, created.body)
        self.assertEqual((created.state, created.number, created.gammu_gateway_id),
                         ("outgoing", "+6281277771111", self.gateway))
        ticket.user_id = self.leader
        self.assertIn(self.leader.name, self._sms(ticket)[1].body)
        solved = self.env["helpdesk.stage"].search([("kind", "=", "solved")], limit=1)
        ticket.write({"stage_id": solved.id, "solution": "<p>Kotak masuk dibersihkan.</p>"})
        self.assertEqual(len(self._sms(ticket)), 3)
        self.assertIn("resolved", self._sms(ticket)[2].body)

    def test_validation_requests_are_told_once_each_after_the_created_sms(self):
        """A validation asked when the ticket is created comes after the "created" SMS; one asked
        later (a category with a rule) and one asked again after a rejection get an SMS each."""
        self.team.write({"sms_notify_created": True, "sms_notify_approval": True})
        site, visit = self.create_work_permit_rule(self.leader)
        ticket = self.env["helpdesk.ticket"].with_user(self.agent).create({
            "name": "Ganti disk rak 12", "partner_id": self.contact.id, "team_id": self.team.id,
            "category_id": visit.id, "site_id": site.id,
        }).with_env(self.env)
        sms = self._sms(ticket)
        self.assertEqual(len(sms), 2)
        self.assertIn(ticket.code, sms[0].body, "first the acknowledgement")
        self.assertEqual(sms[1].body, self.env.ref("helpdesk_sms.sms_template_approval")._render_field(
            "body", ticket.ids)[ticket.id], "then the approval notice")
        self.decide(ticket.approval_ids, self.leader, "rejected", "Lengkapi data pengunjung")
        ticket.with_user(self.agent).action_request_validation()
        self.assertEqual(len(self._sms(ticket)), 3, "the new request is told once")

        later = self.env["helpdesk.ticket"].with_user(self.agent).create({
            "name": "Kunjungan menyusul", "partner_id": self.contact.id, "team_id": self.team.id,
        }).with_env(self.env)
        self.assertEqual(len(self._sms(later)), 1)
        later.with_user(self.agent).write({"category_id": visit.id, "site_id": site.id})
        self.assertEqual(later.approval_state, "pending")
        self.assertEqual(len(self._sms(later)), 2, "a validation asked after creation is told")

    def test_no_sms_without_a_number(self):
        self.team.sms_notify_created = True
        partner = self.env["res.partner"].create({"name": "Tanpa Telepon"})
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Tanpa nomor", "partner_id": partner.id, "team_id": self.team.id,
        })
        self.assertFalse(self._sms(ticket))

    def test_templates_are_sent_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        template = self.env.ref("helpdesk_sms.sms_template_created")
        template.with_context(lang="id_ID").body = "Tiket {{ object.code }} sudah kami terima."
        self.contact.lang = "id_ID"
        self.team.sms_notify_created = True
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Printer", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        self.assertEqual(self._sms(ticket).body, f"Tiket {ticket.code} sudah kami terima.")

    def test_notification_is_written_in_the_chatter_once_sent(self):
        """The SMS import does not write a note per acknowledgement: the note comes with the outcome,
        and its delivery icon follows the SMS (sent, then delivered)."""
        self.team.sms_notify_created = True
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Printer", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        sms = self._sms(ticket)
        self.assertFalse(sms.mail_message_id, "no note while it is queued")
        sms.write({"state": "process", "gammu_id": 77})
        sms._gammu_apply_sentitems({77: [gammu_store.SentPart(77, 1, "SendingOK", -1, None)]})
        note = sms.mail_message_id
        self.assertEqual((sms.state, note.model, note.res_id, note.message_type), ("pending", "helpdesk.ticket",
                                                                                  ticket.id, "sms"))
        self.assertIn(ticket.code, note.body)
        self.assertEqual(note.notification_ids.notification_status, "pending", "the chatter shows it sent")
        sms._gammu_apply_sentitems({77: [gammu_store.SentPart(77, 1, "DeliveryOK", -1, None)]})
        self.assertEqual(sms.state, "sent")
        self.assertEqual(note.notification_ids.notification_status, "sent", "the chatter shows it delivered")
        self.assertEqual(ticket.message_ids.filtered(lambda m: m.message_type == "sms"), note, "one note")
