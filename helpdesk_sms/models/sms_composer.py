from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import sms_codec


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    canned_response_allowed_ids = fields.Many2many(
        "mail.canned.response", compute="_compute_canned_response_allowed_ids",
        help="The canned replies offered on the ticket: its team's and its customer's language's.",
    )
    canned_response_id = fields.Many2one(
        "mail.canned.response", string="Canned Reply", domain="[('id', 'in', canned_response_allowed_ids)]",
        help="Adds the reply, its placeholders filled in for the ticket, to the end of the message.",
    )
    canned_response_used_ids = fields.Many2many(
        "mail.canned.response", "sms_composer_canned_response_used_rel", string="Canned Replies Used",
    )

    @api.depends("res_model", "res_id")
    def _compute_canned_response_allowed_ids(self):
        Canned = self.env["mail.canned.response"]
        for composer in self:
            ticket = composer._canned_response_ticket()
            composer.canned_response_allowed_ids = Canned.search(Canned._helpdesk_domain(ticket)) if ticket else Canned

    def _canned_response_ticket(self):
        self.ensure_one()
        if self.res_model != "helpdesk.ticket" or not self.res_id or self.composition_mode != "comment":
            return self.env["helpdesk.ticket"]
        return self.env["helpdesk.ticket"].browse(self.res_id)

    @api.onchange("canned_response_id")
    def _onchange_canned_response_id(self):
        response, ticket = self.canned_response_id, self._canned_response_ticket()
        if not response or not ticket:
            return
        text = self.env["mail.canned.response"]._helpdesk_render(response.substitution, ticket)
        body = (self.body or "").rstrip()
        self.body = f"{body}\n{text}" if body else text
        self.canned_response_used_ids |= response
        self.canned_response_id = False

    def action_send_sms(self):
        """A modem sends at most MAX_PARTS concatenated SMS of one text: a longer one is refused here,
        where the writer can still shorten it."""
        if self.env["helpdesk.sms.gateway"].sudo()._for_company(self.env.company):  # sudo: routing only
            for composer in self:
                parts = len(sms_codec.split((composer.body or "").strip()))
                if parts > sms_codec.MAX_PARTS:
                    raise UserError(self.env._("The message needs %(parts)s SMS; shorten it to %(max)s SMS at most.",
                                               parts=parts, max=sms_codec.MAX_PARTS))
        result = super().action_send_sms()
        # sudo: counting is technical; the writer sent the SMS, which is what counts
        self.canned_response_used_ids.sudo()._count_use()
        return result
