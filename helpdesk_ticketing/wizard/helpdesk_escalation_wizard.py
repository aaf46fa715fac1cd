from odoo import fields, models
from odoo.exceptions import UserError


class HelpdeskEscalationWizard(models.TransientModel):
    """Asks where a ticket goes and why, for an escalation or a hand-over."""

    _name = "helpdesk.escalation.wizard"
    _description = "Escalate or Hand Over Tickets"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", required=True)
    mode = fields.Selection(
        [("escalation", "Escalate to the next level"), ("handover", "Hand over")],
        required=True,
        default="escalation",
    )
    team_id = fields.Many2one(
        "helpdesk.team",
        string="To Team",
        help="Escalation: leave empty to go to the team's next-level team.",
    )
    user_id = fields.Many2one("res.users", string="To Person", domain=[("share", "=", False)])
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give a reason for the escalation or hand-over."))
        tickets = self.ticket_ids
        tickets._escalate(self.mode, self.reason, team=self.team_id or None, user=self.user_id or None)
        if tickets._filtered_access("read") == tickets:
            return {"type": "ir.actions.act_window_close"}
        # The tickets left the user's teams: reloading them would fail, so say where they went
        # and go back to the user's own tickets (sudo: only the new teams' names are read).
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s ticket(s) handed to %(team)s; they are no longer in your queue.",
                    count=len(tickets), team=", ".join(tickets.sudo().team_id.mapped("name")),
                ),
                "next": self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_action_my"),
            },
        }
