from odoo import fields, models

DUPLICATE_CHANNELS = [
    ("sms", "SMS"),
    ("call", "Call"),
    ("portal", "Portal"),
    ("email", "E-mail"),
    ("ltsp", "LTSP"),
]


class HelpdeskDuplicateEvent(models.Model):
    """A duplicate caught at intake: an SMS or a call added to an open ticket instead of opening a
    new one, or a new ticket flagged as looking like an open one. One row per catch, dated when it
    happened, so that "duplicates caught per channel" counts catches, not tickets."""

    _name = "helpdesk.duplicate.event"
    _description = "Duplicate Caught at Intake"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", required=True, index=True, ondelete="cascade")
    channel = fields.Selection(DUPLICATE_CHANNELS, required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    # Stored for the report's groupings and the record rules; computed before the insert (one INSERT a catch).
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, precompute=True, index=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, precompute=True, string="Team")
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id", store=True, precompute=True,
                                            string="Customer Company")
    event_count = fields.Integer(string="Duplicates", default=1, aggregator="sum", help="1 per catch, for reports.")

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id._get_records_action()
