from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoTerminalTicket(TransactionCase):
    """The demo agent responsible for a counter terminal opens a ticket about it from the terminal's form."""

    def test_ticket_from_a_terminal(self):
        dewi = self.env.ref("helpdesk_ticketing.user_agent_dewi")
        terminal = self.env.ref("helpdesk_ltsp.terminal_loket_01").with_user(dewi)
        action = terminal.action_create_ticket()
        form = Form(self.env[action["res_model"]].with_user(dewi).with_context(**action["context"]))
        form.name = "Layar loket 1 tidak menampilkan antrean"
        ticket = form.save()
        self.assertEqual(ticket.terminal_id, terminal)
        self.assertEqual(ticket.partner_id, self.env.ref("helpdesk_ticketing.partner_kominfo_bandung"))
        self.assertEqual(ticket.site_id, self.env.ref("helpdesk_ticketing.site_bandung_balai_kota"))
        self.assertTrue(ticket.sla_id, "the demo SLA applies")
        self.assertIn(ticket, terminal.ticket_ids)
