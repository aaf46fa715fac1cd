from odoo import fields, models


class HelpdeskDuplicateEvent(models.Model):
    _inherit = "helpdesk.duplicate.event"

    sms_message_id = fields.Many2one("helpdesk.sms.message", string="SMS", index="btree_not_null",
                                     ondelete="cascade")
