from odoo import api, fields, models

from .helpdesk_team import SUPPORT_LEVELS


class HelpdeskEscalation(models.Model):
    """History of a ticket changing hands: escalations, hand-overs and SLA breaches."""

    _name = "helpdesk.escalation"
    _description = "Helpdesk Escalation"
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("escalation", "Escalation"), ("handover", "Hand-over"), ("sla", "SLA breach escalation")],
        required=True,
    )
    from_team_id = fields.Many2one("helpdesk.team", string="From Team")
    to_team_id = fields.Many2one("helpdesk.team", string="To Team", check_company=True)
    from_user_id = fields.Many2one("res.users", string="From")
    to_user_id = fields.Many2one("res.users", string="To", check_company=True)
    from_level = fields.Selection(SUPPORT_LEVELS)
    to_level = fields.Selection(SUPPORT_LEVELS)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, required=True)
    create_date = fields.Datetime(string="When", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        escalations = super().create(vals_list)
        tickets = escalations.ticket_id
        counts = dict(self._read_group([("ticket_id", "in", tickets.ids)], ["ticket_id"], ["__count"]))
        for ticket in tickets:
            # The counter is a denormalised figure for lists and reports; whoever may
            # escalate a ticket may count it, even after it left their team.
            ticket.sudo().escalation_count = counts.get(ticket, 0)
        return escalations
