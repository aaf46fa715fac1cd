from odoo import models


class HelpdeskTicket(models.Model):
    """A merge gives the surviving ticket the terminal of a merged one when it names none."""

    _inherit = "helpdesk.ticket"

    def _merge_move_records(self, target):
        if not target.terminal_id and (terminal := self.terminal_id[:1]):
            target.terminal_id = terminal
        return super()._merge_move_records(target)
