from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketMajorAttach(models.TransientModel):
    """Attaches tickets to a major incident: from a list of tickets, or offered on the incident's form."""

    _name = "helpdesk.ticket.major.attach"
    _description = "Attach Tickets to a Major Incident"

    major_incident_id = fields.Many2one(
        "helpdesk.ticket", string="Major Incident", required=True,
        domain="[('is_major_incident', '=', True), ('is_closed', '=', False), ('id', 'not in', ticket_ids)]",
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket", string="Tickets to Attach",
        domain="[('is_closed', '=', False), ('id', '!=', major_incident_id)]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "ticket_ids" in fields_list and not values.get("ticket_ids") and \
                self.env.context.get("active_model") == "helpdesk.ticket":
            values["ticket_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.ticket_ids:
            raise UserError(self.env._("Choose the tickets to attach to the major incident."))
        self.ticket_ids._attach_to_major_incident(self.major_incident_id)
        return {"type": "ir.actions.act_window_close"}
