from odoo import api, models


class HelpdeskVoipCall(models.Model):
    """A customer calling about an open ticket: the call is linked to it (the pop-up offers it first),
    and counted as a duplicate caught unless the agent still makes a new ticket of it."""

    _inherit = "helpdesk.voip.call"

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        calls._link_open_tickets()
        return calls

    def _link_open_tickets(self):
        """Incoming calls of known customers without a ticket: linked to the caller's newest open ticket of
        the call's company, in one query for the batch."""
        calls = self.filtered(lambda c: c.direction == "inbound" and c.partner_id and not c.ticket_id)
        if not calls:
            return
        tickets = self.env["helpdesk.ticket"].search_fetch([
            ("partner_id", "in", calls.partner_id.ids),
            ("company_id", "in", calls.company_id.ids),
            ("is_closed", "=", False),
        ], ["partner_id", "company_id", "duplicate_channel", "team_id", "commercial_partner_id"],
            order="create_date desc, id desc")  # and what the catch log copies from the ticket
        newest = {}
        for ticket in tickets:
            newest.setdefault((ticket.partner_id, ticket.company_id), ticket)
        linked = self.browse()
        for call in calls:
            if ticket := newest.get((call.partner_id, call.company_id)):
                call.ticket_id = ticket
                linked |= call
        if linked:
            linked._log_duplicates()

    def _log_duplicates(self):
        """These calls were linked to an open ticket instead of opening one: one "duplicate caught" each."""
        # sudo: the catch log is written by the intake, for whichever agent's phone rang
        self.env["helpdesk.duplicate.event"].sudo().create([
            {"ticket_id": call.ticket_id.id, "channel": "call", "voip_call_id": call.id} for call in self
        ])
        # sudo: the mark belongs to the intake, as the catch log
        self.ticket_id.sudo().filtered(lambda t: not t.duplicate_channel).duplicate_channel = "call"

    def action_create_ticket(self):
        """A new ticket after all: the call was no duplicate of the ticket it was linked to."""
        # sudo: the catch log is the intake's; the agent only withdraws the catch of this call
        self.env["helpdesk.duplicate.event"].sudo().search([("voip_call_id", "in", self.ids)]).unlink()
        return super().action_create_ticket()

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id._get_records_action()

    def _popup_payload(self):
        """The ticket the call was linked to comes first among the caller's open tickets."""
        payload = super()._popup_payload()
        ticket = self.ticket_id
        if ticket and not ticket.is_closed:
            others = [t for t in payload["open_tickets"] if t["id"] != ticket.id]
            payload["open_tickets"] = [{"id": ticket.id, "code": ticket.code, "name": ticket.name}, *others]
            payload["ticket"] = {"id": ticket.id, "code": ticket.code, "name": ticket.name}
        return payload
