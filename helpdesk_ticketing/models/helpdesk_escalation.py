from odoo import fields, models

LEVELS = [("1", "L1"), ("2", "L2"), ("3", "L3")]


class HelpdeskEscalation(models.Model):
    """History of a ticket changing hands: escalations, hand-overs and SLA breaches."""

    _name = "helpdesk.escalation"
    _description = "Helpdesk Escalation"
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("escalation", "Escalation"), ("handover", "Hand-over"), ("sla", "SLA breach escalation")],
        required=True,
    )
    from_team_id = fields.Many2one("helpdesk.team", string="From Team")
    to_team_id = fields.Many2one("helpdesk.team", string="To Team")
    from_user_id = fields.Many2one("res.users", string="From")
    to_user_id = fields.Many2one("res.users", string="To")
    from_level = fields.Selection(LEVELS)
    to_level = fields.Selection(LEVELS)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, required=True)
    create_date = fields.Datetime(string="When", readonly=True)
