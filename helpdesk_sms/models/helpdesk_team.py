from odoo import fields, models


class HelpdeskTeam(models.Model):
    _inherit = "helpdesk.team"

    sms_gateway_id = fields.Many2one(
        "helpdesk.sms.gateway",
        string="SMS Gateway",
        domain="[('company_id', '=', company_id)]",
        help="Modem the team's SMS go out through, when the ticket did not come in by SMS.",
    )
    sms_notify_created = fields.Boolean(string="SMS When Created")
    sms_notify_assigned = fields.Boolean(string="SMS When Assigned")
    sms_notify_approval = fields.Boolean(string="SMS When Waiting for Approval")
    sms_notify_solved = fields.Boolean(string="SMS When Resolved")
