from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    """Tickets name the LTSP terminal they are about, for the terminal's history and the reports."""

    _inherit = "helpdesk.ticket"

    terminal_id = fields.Many2one(
        "helpdesk.ltsp.terminal",
        string="Terminal",
        index="btree_not_null",
        tracking=True,
        domain="['|', ('commercial_partner_id', '=', False), ('commercial_partner_id', '=', commercial_partner_id)]",
    )
    terminal_location = fields.Char(
        related="terminal_id.location", store=True, string="Terminal Location", index="btree_not_null"
    )

    @api.onchange("terminal_id")
    def _onchange_terminal_id(self):
        if not self.terminal_id:
            return
        if not self.partner_id and self.terminal_id.partner_id:
            self.partner_id = self.terminal_id.partner_id
        if not self.site_id and self.terminal_id.site_id:
            self.site_id = self.terminal_id.site_id

    @api.constrains("terminal_id", "partner_id")
    def _check_terminal_owner(self):
        for ticket in self.filtered("terminal_id"):
            owner = ticket.terminal_id.commercial_partner_id
            if owner and owner != ticket.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Terminal %(terminal)s belongs to %(owner)s, not to the ticket's customer %(customer)s.",
                        terminal=ticket.terminal_id.display_name,
                        owner=owner.display_name,
                        customer=ticket.commercial_partner_id.display_name,
                    )
                )
