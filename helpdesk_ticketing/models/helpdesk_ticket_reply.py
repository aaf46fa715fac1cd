from odoo import api, fields, models
from odoo.tools import format_datetime


class HelpdeskTicket(models.Model):
    """Values of the ticket that canned replies may name (see mail.canned.response)."""

    _inherit = "helpdesk.ticket"

    reply_agent_name = fields.Char(
        compute="_compute_reply_values", string="Answering Agent",
        help="The assignee, or the user writing when nobody is assigned.",
    )
    reply_deadline = fields.Char(
        compute="_compute_reply_values", string="Resolution Deadline (as the customer reads it)",
    )

    @api.depends_context("uid")
    @api.depends("user_id", "sla_resolve_deadline", "partner_id.lang", "partner_id.tz")
    def _compute_reply_values(self):
        for ticket in self:
            ticket.reply_agent_name = ticket.user_id.name or self.env.user.name
            partner = ticket.partner_id
            ticket.reply_deadline = format_datetime(
                self.env, ticket.sla_resolve_deadline, tz=partner.tz or self.env.user.tz or "Asia/Jakarta",
                dt_format="medium", lang_code=partner.lang or self.env.lang,
            ) if ticket.sla_resolve_deadline else ""

    def mail_allowed_qweb_expressions(self):
        # Canned replies and templates written by any agent may name these values (safe mode).
        return (*super().mail_allowed_qweb_expressions(), "object.code", "object.reply_agent_name",
                "object.reply_deadline")
