from odoo import fields, models


class HelpdeskDuplicateEvent(models.Model):
    _inherit = "helpdesk.duplicate.event"

    voip_call_id = fields.Many2one("helpdesk.voip.call", string="Call", index="btree_not_null", ondelete="cascade")
