from odoo import models


class HelpdeskTicket(models.Model):
    """A merge moves the ticket's received and sent SMS to the surviving ticket."""

    _inherit = "helpdesk.ticket"

    def _merge_move_records(self, target):
        # sudo: as the chatter and history of the tickets (see helpdesk_ticketing); SMS logs are
        # not the agents' to edit.
        self.env["helpdesk.sms.message"].sudo().search([("ticket_id", "in", self.ids)]).write(
            {"ticket_id": target.id})
        self.env["sms.sms"].sudo().search([("helpdesk_ticket_id", "in", self.ids)]).write(
            {"helpdesk_ticket_id": target.id})
        if not target.sms_gateway_id and (gateway := self.sms_gateway_id[:1]):
            target.sudo().sms_gateway_id = gateway  # sudo: routing, set by the system, not a field agents edit
        return super()._merge_move_records(target)
