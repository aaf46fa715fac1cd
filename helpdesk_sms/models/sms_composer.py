from odoo import models
from odoo.exceptions import UserError

from ..tools import sms_codec


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def action_send_sms(self):
        """A modem sends at most MAX_PARTS concatenated SMS of one text: a longer one is refused here,
        where the writer can still shorten it."""
        if self.env["helpdesk.sms.gateway"].sudo()._for_company(self.env.company):  # sudo: routing only
            for composer in self:
                parts = len(sms_codec.split((composer.body or "").strip()))
                if parts > sms_codec.MAX_PARTS:
                    raise UserError(self.env._("The message needs %(parts)s SMS; shorten it to %(max)s SMS at most.",
                                               parts=parts, max=sms_codec.MAX_PARTS))
        return super().action_send_sms()
