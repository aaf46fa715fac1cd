from odoo import fields, models


class HelpdeskSite(models.Model):
    """A customer's branch or data-centre where on-site work happens."""

    _name = "helpdesk.site"
    _description = "Customer Site"
    _order = "name"

    name = fields.Char(required=True)
    code = fields.Char(help="Short branch code, e.g. JKT-DC1.")
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, help="Leave empty for our own sites (e.g. our data centres)."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    region = fields.Char(help="Matched against team members' regions for assignment.")
    street = fields.Char()
    city = fields.Char()
    supervisor_id = fields.Many2one(
        "res.users",
        string="Site Supervisor",
        domain=[("share", "=", False)],
        help="Approves work permits and visit requests for this site.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "site_id", string="Tickets")
