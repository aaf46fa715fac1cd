from odoo import fields, models


class HelpdeskKbArticleEvent(models.Model):
    """One use of an article: read on the help centre, a customer's problem solved by it instead of a
    ticket (deflection), or inserted into an agent's reply. Insert-only; the knowledge base reports read it."""

    _name = "helpdesk.kb.article.event"
    _description = "Knowledge Base Article Usage"
    _order = "id desc"
    _rec_name = "article_id"

    article_id = fields.Many2one("helpdesk.kb.article", string="Article", required=True, ondelete="cascade",
                                 index=True)
    kind = fields.Selection(
        [("view", "View"), ("deflection", "Solved Without a Ticket"), ("insertion", "Used in a Reply")],
        required=True, index=True,
    )
    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", ondelete="set null", index="btree_not_null")
    company_id = fields.Many2one(related="article_id.company_id", store=True, index=True)
    category_id = fields.Many2one(related="article_id.category_id", store=True, string="Category")
    lang = fields.Selection(related="article_id.lang", store=True)
    create_date = fields.Datetime(string="Date", index=True, readonly=True)
