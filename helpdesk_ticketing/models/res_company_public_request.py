from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_public_request = fields.Boolean(
        string="Public Request Form",
        help="Anyone, without an account, may file a ticket at /helpdesk/request; they get the ticket "
        "code and a private link to follow it.",
    )
