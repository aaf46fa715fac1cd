from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    helpdesk_reopen_days = fields.Integer(related="company_id.helpdesk_reopen_days", readonly=False)
    helpdesk_portal_max_upload_mb = fields.Integer(related="company_id.helpdesk_portal_max_upload_mb", readonly=False)
    helpdesk_triage_team_id = fields.Many2one(related="company_id.helpdesk_triage_team_id", readonly=False)
