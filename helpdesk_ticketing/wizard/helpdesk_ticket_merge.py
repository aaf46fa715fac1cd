from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class HelpdeskTicketMerge(models.TransientModel):
    """Merges tickets about one request into the ticket that stays (by default the oldest open one)."""

    _name = "helpdesk.ticket.merge"
    _description = "Merge Tickets"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", required=True)
    target_ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Ticket That Stays", required=True,
        compute="_compute_target_ticket_id", store=True, readonly=False, precompute=True,
        domain="[('id', 'in', ticket_ids), ('is_closed', '=', False)]",
        help="The other tickets are closed and merged into it: it takes their messages, files, followers, "
        "calls, SMS, approvals, escalations and ratings.",
    )
    commercial_partner_id = fields.Many2one(related="target_ticket_id.commercial_partner_id")
    company_id = fields.Many2one(related="target_ticket_id.company_id")

    @api.model
    def default_get(self, field_names):
        result = super().default_get(field_names)
        context = self.env.context
        from_list = context.get("active_model") == "helpdesk.ticket" and context.get("active_ids")
        if "ticket_ids" in field_names and not result.get("ticket_ids") and from_list:
            result["ticket_ids"] = [Command.set(context["active_ids"])]
        return result

    @api.depends("ticket_ids")
    def _compute_target_ticket_id(self):
        for wizard in self:
            open_tickets = wizard.ticket_ids.filtered(lambda t: not t.is_closed and not t.merged_into_id)
            if wizard.target_ticket_id not in open_tickets:
                wizard.target_ticket_id = open_tickets.sorted(lambda t: (t.create_date, t.id))[:1]

    def action_merge(self):
        self.ensure_one()
        target = self.target_ticket_id
        tickets = self.ticket_ids | target
        if len(tickets) < 2:
            raise UserError(self.env._("Select at least two tickets to merge: the ticket that stays and another."))
        (tickets - target)._merge_into(target)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": target.id,
            "views": [(False, "form")],
            "target": "current",
        }
