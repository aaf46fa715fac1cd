from odoo import models


class HelpdeskTicket(models.Model):
    """A merge moves the calls about the ticket to the surviving ticket."""

    _inherit = "helpdesk.ticket"

    def _merge_move_records(self, target):
        # sudo: the call log follows the ticket whoever merges it (see helpdesk_ticketing).
        self.env["helpdesk.voip.call"].sudo().search([("ticket_id", "in", self.ids)]).write(
            {"ticket_id": target.id})
        return super()._merge_move_records(target)
