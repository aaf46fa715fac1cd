from odoo import api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone

SUBJECT_LENGTH = 80
# Automatic SMS to the customer: team setting → sms.template (model helpdesk.ticket) of this addon.
SMS_EVENTS = ("created", "assigned", "approval", "solved")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sms_gateway_id = fields.Many2one(
        "helpdesk.sms.gateway", string="SMS Gateway", copy=False, index="btree_not_null",
        help="Modem the ticket came in through; replies by SMS go out through it.",
    )
    sms_message_ids = fields.One2many("helpdesk.sms.message", "ticket_id", string="Received SMS")
    sms_count = fields.Integer(compute="_compute_sms_count", string="SMS Count")

    def _compute_sms_count(self):
        counts = dict(self.env["helpdesk.sms.message"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        ))
        for ticket in self:
            ticket.sms_count = counts.get(ticket, 0)

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # A ticket that came in through a modem is acknowledged by the SMS intake, after the customer's SMS.
        tickets.filtered(lambda t: not t.sms_gateway_id)._sms_notify("created")
        # Validations asked at creation are told after the "created" SMS, not before it.
        tickets.filtered(lambda t: t.approval_state == "pending")._sms_notify("approval")
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if vals.get("user_id"):
            self._sms_notify("assigned")
        if vals.get("stage_id"):
            self.filtered(lambda t: t.stage_kind == "solved")._sms_notify("solved")
        return result

    def _request_validations(self, new=False):
        requested = super()._request_validations(new=new)
        if not new:  # a new ticket's validations are told by create(), after the "created" SMS
            requested._sms_notify("approval")
        return requested

    def action_request_validation(self):
        action = super().action_request_validation()
        self.filtered(lambda t: t.approval_state == "pending")._sms_notify("approval")
        return action

    @api.model
    def _create_from_sms(self, gateway, entries):
        """Tickets (channel SMS, gateway's team) of received SMS [(text, sender contact)], in one batch.

        The SMS itself becomes the first message of its ticket (helpdesk.sms.message._create_received).
        """
        vals_list = []
        for text, partner in entries:
            first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
            vals_list.append({
                "name": first_line if len(first_line) <= SUBJECT_LENGTH else first_line[:SUBJECT_LENGTH - 1] + "…",
                "description": text,
                "partner_id": partner.id,
                "channel": "sms",
                "team_id": gateway.team_id.id,
                "company_id": gateway.company_id.id,
                "sms_gateway_id": gateway.id,
            })
        tickets = self._create_with_first_message(vals_list)
        return tickets.with_env(self.env)

    # ------------------------------------------------------------------
    # Outgoing SMS (Odoo's sms app)
    # ------------------------------------------------------------------
    def _phone_get_number_fields(self):
        return ["partner_phone"]

    def _sms_get_recipients_info(self, force_field=False, partner_fallback=True):
        """The customer's number as the modem dials it, also for numbers Odoo cannot validate."""
        result = super()._sms_get_recipients_info(force_field=force_field, partner_fallback=partner_fallback)
        for ticket in self:
            info = result[ticket.id]
            if info and not info["sanitized"] and (number := ticket._sms_number()):
                info.update(sanitized=number, partner=info["partner"] or ticket.partner_id)
        return result

    def _sms_gateway(self):
        self.ensure_one()
        return self._sms_gateways()[self]

    def _sms_gateways(self):
        """{ticket: gateway}: the ticket's own, else its team's, else its company's first one; the
        companies' gateways are read in one search for all the tickets."""
        Gateway = self.env["helpdesk.sms.gateway"]
        companies = self.filtered(lambda t: not (t.sms_gateway_id or t.team_id.sms_gateway_id)).company_id
        by_company = {}
        for gateway in Gateway.search([("company_id", "in", companies.ids)]) if companies else Gateway:
            by_company.setdefault(gateway.company_id, gateway)
        return {
            ticket: ticket.sms_gateway_id or ticket.team_id.sms_gateway_id or by_company.get(ticket.company_id, Gateway)
            for ticket in self
        }

    def _sms_number(self, gateway=None):
        """The customer's number in international form, or False (``gateway``: the ticket's, if known)."""
        self.ensure_one()
        partner = self.partner_id
        country = partner.country_id or (gateway or self._sms_gateway()).country_id or self.company_id.country_id
        return phone.normalize(self.env, partner.phone, country)

    def _message_post_after_hook(self, message, msg_vals):
        """An agent's SMS to the customer is the SLA's first response, as a public answer is."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "sms" and message.author_id.user_ids.filtered(lambda u: not u.share):
            self._set_first_response(message.date)
        return result

    def _sms_notify(self, event):
        """Queue the event's SMS (template helpdesk_sms.sms_template_<event>) to the customers of tickets
        whose team asks for it, through the ticket's gateway; each is written in the chatter once sent."""
        tickets = self.filtered(lambda t: t.team_id[f"sms_notify_{event}"] and t.partner_id.phone)
        if not tickets:
            return self.env["sms.sms"]
        return tickets._sms_queue_template(f"helpdesk_sms.sms_template_{event}")

    def _sms_queue_template(self, template_xmlid):
        """Queue the SMS of the template to the customers of self, in each customer's language, through each
        ticket's gateway; each is written in the chatter once sent."""
        template = self.env["sms.template"].browse(  # by its cached XML id: no query per import batch
            self.env["ir.model.data"]._xmlid_to_res_id(template_xmlid, raise_if_not_found=False))
        if not template:
            return self.env["sms.sms"]
        # sudo: the notification follows from the ticket change, whoever made it (even a portal user)
        tickets = self.sudo()
        bodies = template.sudo()._render_field("body", tickets.ids, compute_lang=True)
        gateways = tickets._sms_gateways()
        vals_list = []
        for ticket in tickets:
            gateway = gateways[ticket]
            number, body = ticket._sms_number(gateway), (bodies.get(ticket.id) or "").strip()
            if gateway and number and body:
                vals_list.append({
                    "number": number, "body": body, "partner_id": ticket.partner_id.id,
                    "gammu_gateway_id": gateway.id, "helpdesk_ticket_id": ticket.id,
                })
        if not vals_list:
            return self.env["sms.sms"]
        sms = self.env["sms.sms"].sudo().create(vals_list)
        sms.gammu_gateway_id._schedule_push()
        return sms

    @api.readonly
    def action_open_sms_composer(self):
        """Odoo's SMS composer on the ticket: the customer's number, a counter, templates."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
            },
        }

    @api.readonly
    def action_view_sms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_sms.helpdesk_sms_message_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
