from odoo import api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sms_gateway_id = fields.Many2one(
        "helpdesk.sms.gateway", string="SMS Gateway", copy=False, index="btree_not_null",
        help="Modem the ticket came in through; replies by SMS go out through it.",
    )
    sms_message_ids = fields.One2many("helpdesk.sms.message", "ticket_id", string="SMS")
    sms_count = fields.Integer(compute="_compute_sms_count", string="SMS Count")

    def _compute_sms_count(self):
        counts = dict(self.env["helpdesk.sms.message"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        ))
        for ticket in self:
            ticket.sms_count = counts.get(ticket, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # Assignment and validations during creation are part of the "created" SMS, not SMS of their own.
        tickets = super(HelpdeskTicket, self.with_context(helpdesk_sms_creating=True)).create(vals_list)
        tickets = tickets.with_env(self.env)
        # A ticket that came in through a modem is acknowledged by the SMS intake, after the customer's SMS.
        tickets.filtered(lambda t: not t.sms_gateway_id)._sms_notify("created")
        tickets.filtered(lambda t: t.approval_state == "pending")._sms_notify("approval")
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if self.env.context.get("helpdesk_sms_creating"):
            return result
        if vals.get("user_id"):
            self._sms_notify("assigned")
        if vals.get("stage_id"):
            self.filtered(lambda t: t.stage_kind == "solved")._sms_notify("solved")
        return result

    def _sms_gateway(self):
        self.ensure_one()
        return (
            self.sms_gateway_id
            or self.team_id.sms_gateway_id
            or self.env["helpdesk.sms.gateway"].search([("company_id", "=", self.company_id.id)], limit=1)
        )

    def _sms_number(self):
        """The customer's number in international form, or False."""
        self.ensure_one()
        partner = self.partner_id
        country = partner.country_id or self._sms_gateway().country_id or self.company_id.country_id
        return phone.normalize(self.env, partner.phone, country)

    def _sms_notify(self, event):
        """Send the event's SMS to the customers of tickets whose team asks for it."""
        tickets = self.filtered(lambda t: t.team_id[f"sms_notify_{event}"] and t.partner_id.phone)
        if not tickets:
            return
        # sudo: the notification follows from the ticket change, whoever made it (even a portal user)
        tickets = tickets.sudo()
        Template = self.env["helpdesk.sms.template"].sudo()
        for company in tickets.company_id:
            template = Template._for_event(event, company)
            company_tickets = tickets.filtered(lambda t, c=company: t.company_id == c)
            if template:
                self.env["helpdesk.sms.message"].sudo()._queue(company_tickets, template._render_for(company_tickets),
                                                               event)

    def action_open_sms_composer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send SMS"),
            "res_model": "helpdesk.sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_view_sms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_sms.helpdesk_sms_message_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
