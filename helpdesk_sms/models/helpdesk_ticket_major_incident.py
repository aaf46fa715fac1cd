import textwrap

from odoo import api, fields, models
from odoo.tools.mail import html_to_inner_content

# Major incidents live in their own file, like the feature's other files in the suite.
# pylint: disable=consider-merging-classes-inherited

# An SMS notice stays within two SMS parts with the code and the sentence around it.
SOLUTION_SUMMARY_LENGTH = 160


class HelpdeskTicket(models.Model):
    """Children of a major incident who wrote by SMS are told by SMS when the incident is solved."""

    _inherit = "helpdesk.ticket"

    solution_summary = fields.Char(
        compute="_compute_solution_summary",
        help="The solution as plain text, shortened for an SMS.",
    )

    @api.depends("solution")
    def _compute_solution_summary(self):
        for ticket in self:
            text = html_to_inner_content(ticket.solution)
            ticket.solution_summary = text and textwrap.shorten(text, SOLUTION_SUMMARY_LENGTH, placeholder="…")

    def _notify_major_incident_solved(self):
        """SMS children get the notice by SMS, queued in the customer's language; the rest as before."""
        by_sms = self.filtered(lambda t: t.channel == "sms" and t.partner_id.phone and t._sms_number())
        by_sms._sms_queue_template("helpdesk_sms.sms_template_major_incident_solved")
        return super(HelpdeskTicket, self - by_sms)._notify_major_incident_solved()

    def _sms_notify(self, event):
        """A ticket solved with its major incident gets the incident's notice instead of the usual one."""
        tickets = self
        if event == "solved":
            tickets = self.filtered(lambda t: t.major_incident_id.stage_kind != "solved")
        return super(HelpdeskTicket, tickets)._sms_notify(event)
