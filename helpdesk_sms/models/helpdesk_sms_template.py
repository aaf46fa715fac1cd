from odoo import api, fields, models

EVENTS = [
    ("created", "Ticket Created"),
    ("assigned", "Ticket Assigned"),
    ("approval", "Waiting for Approval"),
    ("solved", "Ticket Resolved"),
]


class HelpdeskSmsTemplate(models.Model):
    """Text of an automatic SMS to the customer, rendered on the ticket in the customer's language."""

    _name = "helpdesk.sms.template"
    _description = "Helpdesk SMS Template"
    _inherit = ["mail.render.mixin"]
    _order = "event, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    event = fields.Selection(EVENTS, required=True, index=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to use it in every company.")
    body = fields.Text(
        required=True,
        translate=True,
        render_engine="inline_template",
        help="Placeholders like {{ object.code }} read the ticket. Keep it under 160 GSM-7 characters for one SMS.",
    )
    lang = fields.Char(default="{{ object.partner_id.lang }}")

    def _compute_render_model(self):
        self.render_model = "helpdesk.ticket"

    @api.model
    def _for_event(self, event, company):
        return self.search(
            [("event", "=", event), ("company_id", "in", [company.id, False])], order="company_id, id", limit=1
        )

    def _render_for(self, tickets):
        """{ticket: text} in each customer's language."""
        self.ensure_one()
        rendered = self._render_field("body", tickets.ids, compute_lang=True)
        return {ticket: (rendered.get(ticket.id) or "").strip() for ticket in tickets}
