from odoo import api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.exceptions import UserError

from ..tools import sms_codec


class HelpdeskSmsComposer(models.TransientModel):
    """An agent's SMS reply from a ticket, with a live character and part counter."""

    _name = "helpdesk.sms.composer"
    _description = "Send SMS from a Ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="ticket_id.partner_id")
    gateway_id = fields.Many2one(
        "helpdesk.sms.gateway", compute="_compute_gateway_id", store=True, readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    number = fields.Char(compute="_compute_number", store=True, readonly=False)
    body = fields.Text(string="Message", required=True)
    encoding = fields.Selection([("gsm7", "GSM-7"), ("ucs2", "Unicode")], compute="_compute_counter")
    char_count = fields.Integer(string="Characters", compute="_compute_counter")
    part_count = fields.Integer(string="SMS Parts", compute="_compute_counter")
    chars_left = fields.Integer(string="Left in Part", compute="_compute_counter")
    counter = fields.Char(compute="_compute_counter")

    @api.depends("ticket_id")
    def _compute_gateway_id(self):
        for wizard in self:
            wizard.gateway_id = wizard.ticket_id._sms_gateway() if wizard.ticket_id else False

    @api.depends("ticket_id")
    def _compute_number(self):
        for wizard in self:
            wizard.number = wizard.ticket_id._sms_number() or wizard.ticket_id.partner_id.phone or False

    @api.depends("body")
    def _compute_counter(self):
        for wizard in self:
            encoding, used, parts, left = sms_codec.count(wizard.body or "")
            wizard.encoding = encoding
            wizard.char_count = used
            wizard.part_count = parts
            wizard.chars_left = left
            label = dict(self._fields["encoding"]._description_selection(self.env))[encoding]
            wizard.counter = self.env._(
                "%(chars)s characters, %(parts)s SMS (%(encoding)s), %(left)s left",
                chars=used, parts=parts, encoding=label, left=left,
            )

    def action_send(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket.check_access("write")
        if not (self.body or "").strip():
            raise UserError(self.env._("Write the message before sending it."))
        if not self.gateway_id:
            raise UserError(self.env._("No SMS gateway is configured for company %(company)s: ask a helpdesk "
                                       "manager to add one under Configuration › SMS Gateways.",
                                       company=ticket.company_id.name))
        country = self.gateway_id.country_id or self.company_id.country_id
        number = phone.normalize(self.env, self.number, country)
        if not number:
            raise UserError(self.env._("“%(number)s” is not a phone number the modem can send to.",
                                       number=self.number or ""))
        if self.part_count > sms_codec.MAX_PARTS:
            raise UserError(self.env._("The message needs %(parts)s SMS; shorten it to %(max)s SMS at most.",
                                       parts=self.part_count, max=sms_codec.MAX_PARTS))
        # sudo: agents queue SMS on tickets they may write; the log entry is technical
        self.env["helpdesk.sms.message"].sudo()._queue(
            ticket, {ticket: self.body.strip()}, "reply", gateway_for={ticket: self.gateway_id},
            number_for={ticket: number},
        )
        ticket._set_first_response()
        return {"type": "ir.actions.act_window_close"}
