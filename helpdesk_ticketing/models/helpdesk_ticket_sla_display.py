from odoo import api, fields, models

from .helpdesk_ticket import SLA_STATUSES


class HelpdeskTicket(models.Model):
    """How each SLA deadline stands right now, for the coloured deadlines of lists, cards and forms.

    ``sla_status`` sums up the ticket; agents also need to see which of the two promises (first
    answer, resolution) is close or missed. Computed at read time, so nothing is stored that a cron
    job would have to keep fresh.
    """

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "helpdesk.labelled.groups.mixin"]

    sla_response_state = fields.Selection(
        SLA_STATUSES, string="Response SLA", compute="_compute_sla_deadline_states",
        help="Met once the customer got a first answer in time; at risk after the policy's share of the time.",
    )
    sla_resolve_state = fields.Selection(
        SLA_STATUSES, string="Resolution SLA", compute="_compute_sla_deadline_states",
        help="Met once the ticket was closed in time; at risk after the policy's share of the time.",
    )

    @api.depends(
        "sla_id.at_risk_percent", "sla_response_deadline", "sla_resolve_deadline", "sla_at_risk_date",
        "first_response_date", "date_closed", "is_closed",
    )
    def _compute_sla_deadline_states(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sla_response_state = ticket._sla_deadline_state(
                ticket.sla_response_deadline, ticket._sla_responded_at(), ticket._sla_response_at_risk_date(), now
            )
            ticket.sla_resolve_state = ticket._sla_deadline_state(
                ticket.sla_resolve_deadline, ticket.is_closed and ticket.date_closed, ticket.sla_at_risk_date, now
            )

    @api.model
    def _sla_deadline_state(self, deadline, done, at_risk, now):
        if not deadline:
            return False
        if done:
            return "met" if done <= deadline else "breached"
        if now > deadline:
            return "breached"
        if at_risk and now >= at_risk:
            return "at_risk"
        return "on_track"

    def _sla_response_at_risk_date(self):
        """The policy's at-risk share of the time between creation and the response deadline.

        Only the resolution's at-risk date is planned in working hours; for the (short) response
        target the share of the elapsed time is close enough to warn an agent.
        """
        self.ensure_one()
        if not (self.sla_response_deadline and self.create_date and self.sla_id):
            return False
        allowed = self.sla_response_deadline - self.create_date
        return self.create_date + allowed * (self.sla_id.at_risk_percent / 100.0)
