from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    helpdesk_public_request = fields.Boolean(related="company_id.helpdesk_public_request", readonly=False)
