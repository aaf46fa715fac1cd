from odoo import api, fields, models, tools

from ..tools.ticket_code import code_format


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_reopen_days = fields.Integer(
        string="Reopen Delay (days)",
        default=7,
        help="Customers may reopen a solved ticket from the portal during this many days (0: never).",
    )
    helpdesk_triage_team_id = fields.Many2one(
        "helpdesk.team",
        string="Triage Team",
        domain="[('company_id', '=', id)]",
        help="Receives the tickets that no category sends to a team (e.g. portal tickets filed as "
        "“I don't know”), so that every ticket is in a team's queue.",
    )
    helpdesk_portal_max_upload_mb = fields.Integer(
        string="Portal Attachment Limit (MB)",
        default=10,
        help="Largest file a customer may attach to a new ticket from the portal.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._helpdesk_ticket_sequence()
        return companies

    def _helpdesk_ticket_sequence(self):
        """The company's ticket sequence (HD/2026/00042), created on first need."""
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

    def _helpdesk_ticket_code_formats(self):
        """How the ticket codes of these companies (all companies if none) are written: one
        CodeFormat per ticket sequence, to find the codes customers name in SMS and e-mails."""
        domain = [("code", "=", "helpdesk.ticket")]
        if self:
            domain.append(("company_id", "in", self.ids))
        # sudo: sequences are technical; only how codes are written is read
        sequences = self.env["ir.sequence"].sudo().search_fetch(domain, ["prefix", "suffix", "padding"])
        return list(dict.fromkeys(code_format(s.prefix, s.suffix, s.padding) for s in sequences))

    @api.model
    @tools.ormcache("company_id")
    def _helpdesk_ticket_sequence_id(self, company_id):
        return self.browse(company_id)._helpdesk_ticket_sequence().id
