from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    ticket_ids = fields.One2many("helpdesk.ticket", "partner_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts", string="Ticket Count")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts", string="Open Tickets")
    closed_ticket_count = fields.Integer(compute="_compute_ticket_counts", string="Closed Tickets")

    def _compute_ticket_counts(self):
        """Counts for a company include its contacts' tickets (one grouped query)."""
        commercial = self.commercial_partner_id
        groups = self.env["helpdesk.ticket"]._read_group(
            [("commercial_partner_id", "in", commercial.ids)],
            ["commercial_partner_id", "partner_id", "is_closed"],
            ["__count"],
        )
        counts = {}
        for company, partner, closed, count in groups:
            for key in (company.id, ("p", partner.id)):
                entry = counts.setdefault(key, [0, 0])
                entry[1 if closed else 0] += count
        for partner in self:
            key = partner.id if partner.is_company or partner == partner.commercial_partner_id else ("p", partner.id)
            open_count, closed_count = counts.get(key, [0, 0])
            partner.open_ticket_count = open_count
            partner.closed_ticket_count = closed_count
            partner.ticket_count = open_count + closed_count

    def _ticket_domain(self):
        self.ensure_one()
        if self.is_company or self == self.commercial_partner_id:
            return [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        return [("partner_id", "=", self.id)]

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_action")
        action["domain"] = self._ticket_domain()
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_filter_open": 1 if self.env.context.get("open_only") else 0,
        }
        return action
