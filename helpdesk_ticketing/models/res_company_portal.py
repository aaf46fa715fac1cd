from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_reopen_days = fields.Integer(
        string="Reopen Delay (days)",
        default=7,
        help="Customers may reopen a solved ticket from the portal during this many days (0: never).",
    )
    helpdesk_portal_max_upload_mb = fields.Integer(
        string="Portal Attachment Limit (MB)",
        default=10,
        help="Largest file a customer may attach to a new ticket from the portal.",
    )
