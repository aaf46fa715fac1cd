"""What the agent's ticket form costs to open: the same queries whatever the ticket holds."""

from odoo.tests import Form, freeze_time, tagged

from .common import HelpdeskCase

# Queries of the form of a ticket (web_read), all four addons installed: one per relational field or
# counter shown, none per linked record. Raise it only with a reason.
FORM_QUERIES = 25


@freeze_time("2026-11-23 03:00:00")
@tagged("post_install", "-at_install")
class TestFormQueries(HelpdeskCase):
    def test_ticket_form_reads_in_as_many_queries_however_much_the_ticket_holds(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent_a)
        # What the web client reads for the form (Odoo's test Form builds it from the view, sub-views too)
        spec = Form(Ticket)._view["fields_spec"]
        tags = self.env["helpdesk.tag"].create([{"name": f"Printer {i}"} for i in range(4)])

        def busy_ticket(size):
            ticket = self.ticket(name=f"Printer lantai {size} macet", user_id=self.agent_a.id,
                                 category_id=self.category.id, tag_ids=[(6, 0, tags[:size].ids)])
            ticket.related_ticket_ids = self.env["helpdesk.ticket"].concat(*[
                self.ticket(name=f"Printer lantai {size} mati ({i})") for i in range(size)
            ])
            for i in range(size):
                ticket.message_post(body=f"Catatan {i}", message_type="comment", subtype_xmlid="mail.mt_note")
            return ticket

        small, large = busy_ticket(1), busy_ticket(4)
        counts = []
        for ticket in (small, small, large):  # the first read fills the caches of rules and views
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            [values] = Ticket.browse(ticket.id).web_read(spec)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(values["related_ticket_ids"]), len(ticket.related_ticket_ids))
        self.assertEqual(len(values["tag_ids"]), 4)
        self.assertEqual(counts[1], counts[2], "the form's queries grow with what the ticket holds")
        self.assertLessEqual(counts[2], FORM_QUERIES)
