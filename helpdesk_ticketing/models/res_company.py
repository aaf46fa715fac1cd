from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._helpdesk_ticket_sequence()
        return companies

    def _helpdesk_ticket_sequence(self):
        """The company's ticket sequence (HD/2026/00042), created on first need."""
        self.ensure_one() if len(self) == 1 else None
        Sequence = self.env["ir.sequence"].sudo()  # sequences are technical; callers only draw numbers
        result = Sequence
        for company in self:
            seq = Sequence.search([("code", "=", "helpdesk.ticket"), ("company_id", "=", company.id)], limit=1)
            if not seq:
                seq = Sequence.create({
                    "name": f"Helpdesk Ticket ({company.name})",
                    "code": "helpdesk.ticket",
                    "company_id": company.id,
                    "prefix": "HD/%(year)s/",
                    "padding": 5,
                })
            result |= seq
        return result

    def _helpdesk_next_ticket_codes(self, count):
        self.ensure_one()
        sequence = self._helpdesk_ticket_sequence()
        return [sequence._next() for _ in range(count)]
