from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import LtspCase


@tagged("post_install", "-at_install")
class TestLtspTicket(LtspCase):
    def test_ticket_from_terminal_is_prefilled(self):
        action = self.loket1.action_create_ticket()
        form = Form(self.env["helpdesk.ticket"].with_context(**action["context"]))
        form.name = "Layar terminal berkedip"
        ticket = form.save()
        self.assertEqual(ticket.terminal_id, self.loket1)
        self.assertEqual(ticket.partner_id, self.kominfo)
        self.assertEqual(ticket.site_id, self.site)
        self.assertEqual(ticket.terminal_location, "Loket 1")

    def test_choosing_a_terminal_fills_customer_and_site(self):
        form = Form(self.env["helpdesk.ticket"])
        form.name = "Keyboard loket tidak berfungsi"
        form.terminal_id = self.loket1
        self.assertEqual(form.partner_id, self.kominfo)
        self.assertEqual(form.site_id, self.site)

    def test_history_and_open_count(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.create(
            [
                {"name": "Terminal mati", "partner_id": self.andi.id, "terminal_id": self.loket1.id},
                {"name": "Printer loket", "partner_id": self.andi.id, "terminal_id": self.loket1.id},
            ]
        )
        solved = self.env["helpdesk.stage"].search([("is_closed", "=", True)], limit=1)
        tickets[1].write({"stage_id": solved.id, "solution": "<p>Printer loket diganti.</p>"})
        self.assertEqual((self.loket1.ticket_count, self.loket1.open_ticket_count), (2, 1))
        self.assertEqual((self.loket2.ticket_count, self.loket2.open_ticket_count), (0, 0))
        action = self.loket1.action_view_tickets()
        self.assertEqual(Ticket.search(action["domain"]), tickets)
        # Counting the tickets of many terminals is one query.
        terminals = self.loket1 | self.loket2
        terminals.invalidate_recordset(["ticket_count", "open_ticket_count"])
        with self.assertQueryCount(1):
            terminals.mapped("open_ticket_count")

    def test_terminal_of_another_customer_is_refused(self):
        with self.assertRaisesRegex(ValidationError, f"belongs to {self.kominfo.name}"):
            self.env["helpdesk.ticket"].create(
                {
                    "name": "Salah terminal",
                    "partner_id": self.other_contact.id,
                    "terminal_id": self.loket1.id,
                }
            )

    def test_tickets_per_terminal_report(self):
        self.env["helpdesk.ticket"].create(
            [
                {"name": "Terminal mati", "partner_id": self.andi.id, "terminal_id": self.loket1.id},
                {"name": "Mouse rusak", "partner_id": self.andi.id, "terminal_id": self.loket2.id},
                {"name": "Layar redup", "partner_id": self.andi.id, "terminal_id": self.loket2.id},
            ]
        )
        groups = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("terminal_id", "in", (self.loket1 | self.loket2).ids)], ["terminal_location"], ["__count"]
            )
        )
        self.assertEqual(groups, {"Loket 1": 1, "Loket 2": 2})
        action = self.env.ref("helpdesk_ltsp.helpdesk_ticket_action_report_terminal")
        self.assertEqual(action.res_model, "helpdesk.ticket")
