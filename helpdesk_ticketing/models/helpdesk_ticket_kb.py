from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty

SUGGESTIONS = 5


class HelpdeskTicket(models.Model):
    """Tickets and the knowledge base: an article drafted from a solved ticket, articles suggested while the
    ticket is worked, and the articles used in the replies (kept for the reports)."""

    _inherit = "helpdesk.ticket"

    kb_article_ids = fields.Many2many(
        "helpdesk.kb.article", "helpdesk_ticket_kb_article_rel", "ticket_id", "article_id",
        string="Articles Used", copy=False, help="Knowledge base articles inserted into a reply to this ticket.",
    )
    kb_source_article_ids = fields.One2many("helpdesk.kb.article", "ticket_id", string="Articles Written")
    kb_suggested_article_ids = fields.Many2many(
        "helpdesk.kb.article", compute="_compute_kb_suggested_article_ids", string="Suggested Articles",
        help="Articles whose words match the ticket's subject and description, in its category first.",
    )

    @api.depends("name", "description", "category_id")
    def _compute_kb_suggested_article_ids(self):
        Article = self.env["helpdesk.kb.article"]
        for ticket in self:
            text = " ".join(filter(None, [ticket.name, ticket.description and html2plaintext(ticket.description)]))
            found = Article._search_articles(text, limit=SUGGESTIONS, company=ticket.company_id,
                                             prefer_category=ticket.category_id.id)
            ticket.kb_suggested_article_ids = Article.browse([f["id"] for f in found])

    def action_create_kb_article(self):
        """A draft article from the solved ticket's solution and root cause, opened for the agent to edit;
        a team leader reviews and publishes it."""
        self.ensure_one()
        if self.stage_kind != "solved":
            raise UserError(self.env._("Ticket %(code)s is not solved yet: write an article once the solution "
                                       "is known.", code=self.code))
        if is_html_empty(self.solution):
            raise UserError(self.env._("Ticket %(code)s has no solution to turn into an article.", code=self.code))
        # Two clicks (or two agents) at once: the second waits for the first, then opens its draft.
        self.lock_for_update()
        self.invalidate_recordset(["kb_source_article_ids"])
        draft = self.kb_source_article_ids.filtered(lambda a: a.state == "draft")[:1]
        if draft:  # a second click opens the draft already written, it does not write another
            return self._kb_article_form_action(draft)
        body = Markup("<h3>%s</h3>%s") % (self.env._("Problem"), self.description or Markup("<p>%s</p>") % self.name)
        if self.root_cause:
            body += Markup("<h3>%s</h3><p>%s</p>") % (self.env._("Cause"), self.root_cause)
        body += Markup("<h3>%s</h3>%s") % (self.env._("Solution"), self.solution)
        article = self.env["helpdesk.kb.article"].create({
            "name": self.name,
            "body": body,
            "category_id": self.category_id.id,
            "tag_ids": [(6, 0, self.tag_ids.ids)],
            "lang": self.partner_id.lang or self.env.lang or "en_US",
            "company_id": self.company_id.id,
            "ticket_id": self.id,
        })
        return self._kb_article_form_action(article)

    def _kb_article_form_action(self, article):
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.kb.article",
            "res_id": article.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _insert_kb_article(self, article):
        """Answer the customer with an article: the composer opens with the article's text and link, and the
        article is kept on the ticket (reports count the tickets solved with an article)."""
        self.ensure_one()
        self.kb_article_ids = [(4, article.id)]
        article._record_event("insertion", ticket=self)
        link = (
            Markup('<p><a href="%s">%s</a></p>') % (article.public_url, article.name)
            if article.visibility == "public" and article.state == "published"
            else Markup("")
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "default_body": article.body + link,
            },
        }
