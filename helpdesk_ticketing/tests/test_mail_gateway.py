from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HelpdeskCase

MAIL = """Return-Path: <{email_from}>
To: {to}
Received: by mail.example.co.id
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
{extra}Date: Mon, 23 Nov 2026 09:00:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].search([("name", "=", "helpdesk.example.co.id")]) or cls.env[
            "mail.alias.domain"
        ].create({"name": "helpdesk.example.co.id"})
        cls.env.company.alias_domain_id = domain
        cls.team_sd.write({"alias_name": "layanan-test", "alias_domain_id": domain.id})

    def deliver(self, subject, body, msg_id, email_from="Yudi Prasetyo <yudi@pelanggan.example.co.id>",
                extra=""):
        mail = MAIL.format(email_from=email_from, to="layanan-test@helpdesk.example.co.id", subject=subject,
                           msg_id=msg_id, extra=extra, body=body)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return self.env["mail.thread"].sudo().message_process(None, mail)

    def test_email_creates_ticket_and_reply_threads(self):
        ticket_id = self.deliver("Komputer kasir tidak menyala", "Sejak pagi tidak mau hidup.", "<a1@pelanggan>")
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.name, "Komputer kasir tidak menyala")
        self.assertEqual(ticket.team_id, self.team_sd)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id.email_normalized, "yudi@pelanggan.example.co.id", "sender becomes a contact")
        self.assertTrue(ticket.code.startswith("HD/"))
        self.assertIn(ticket.partner_id, ticket.message_partner_ids)
        # The customer's reply threads into the same ticket (References header).
        reply_id = self.deliver(f"Re: [{ticket.code}] Komputer kasir", "Sudah dicoba colok ulang.", "<a2@pelanggan>",
                                extra="In-Reply-To: <a1@pelanggan>\nReferences: <a1@pelanggan>\n")
        self.assertEqual(reply_id, ticket.id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("partner_id", "=", ticket.partner_id.id)]), 1)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "colok ulang" in (m.body or "")))

    def test_known_customer_is_matched(self):
        ticket_id = self.deliver("Email tidak bisa kirim", "Outlook error 0x800", "<b1@sentosa>",
                                 email_from="Wahyu Hidayat <wahyu@sentosa.example.co.id>")
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.commercial_partner_id, self.customer)

    def test_empty_subject_gets_a_placeholder(self):
        ticket = self.env["helpdesk.ticket"].browse(self.deliver("", "tolong dibantu", "<c1@pelanggan>"))
        self.assertEqual(ticket.name, "No Subject")
