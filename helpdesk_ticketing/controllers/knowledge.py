from odoo import http
from odoo.http import request

SUGGEST_LIMIT = 5
SEARCH_LIMIT = 30
# Articles whose view / deflection this browser session already counted (bounded, most recent kept).
VIEWED_KEY = "helpdesk_kb_viewed"
DEFLECTED_KEY = "helpdesk_kb_deflected"
SESSION_MEMORY = 50


class HelpdeskKnowledge(http.Controller):
    """The public help centre of each company (/helpdesk/help), and the suggestions of the portal's
    new-ticket form. Everything reads as the visitor: record rules show customers and anonymous visitors
    only published public articles, never internal ones."""

    @staticmethod
    def _help_company(company_id=None):
        """The company whose help centre is shown: the one in the URL, else the visitor's."""
        if not company_id:
            return request.env.company
        # sudo: a help centre page names its company to anonymous visitors, who cannot read companies
        company = request.env["res.company"].sudo().browse(company_id).exists()
        return company or None

    @staticmethod
    def _remember(key, article_id):
        """True the first time this session counts article_id under key (reloading a page counts once)."""
        seen = request.session.get(key) or []
        if article_id in seen:
            return False
        request.session[key] = [*seen[-(SESSION_MEMORY - 1):], article_id]
        return True

    @http.route(["/helpdesk/help", "/helpdesk/help/<int:company_id>"], type="http", auth="public", website=True,
                readonly=True, sitemap=False)
    def help_centre(self, company_id=None, search=None, **kw):
        company = self._help_company(company_id)
        if company is None:
            raise request.not_found()
        Article = request.env["helpdesk.kb.article"]
        search = (search or "").strip()[:200]
        if search:
            results = Article._search_articles(search, limit=SEARCH_LIMIT, company=company)
            articles = Article.browse([r["id"] for r in results])
            headlines = {r["id"]: r["headline"] for r in results}
        else:
            articles = Article.search([("state", "=", "published"), ("visibility", "=", "public"),
                                       ("company_id", "=", company.id)], limit=SEARCH_LIMIT)
            headlines = {}
        return request.render("helpdesk_ticketing.helpdesk_help_centre", {
            "company": company,
            "articles": articles,
            "headlines": headlines,
            "search": search,
        })

    @http.route("/helpdesk/help/article/<int:article_id>", type="http", auth="public", website=True, sitemap=False)
    def help_article(self, article_id, **kw):
        article = request.env["helpdesk.kb.article"].search([("id", "=", article_id)])
        if not article:
            raise request.not_found()
        if article.state == "published" and self._remember(VIEWED_KEY, article.id):
            article._record_event("view")
        return request.render("helpdesk_ticketing.helpdesk_help_article", {
            "article": article,
            # sudo: the company's name heads the page of anonymous visitors
            "company": article.sudo().company_id,
        })

    @http.route("/helpdesk/help/suggest", type="jsonrpc", auth="public", readonly=True)
    def help_suggest(self, query=None, company_id=None, **kw):
        """Articles answering what the customer is typing (the new-ticket form's subject)."""
        if not isinstance(query, str):
            return []
        company = self._help_company(company_id if isinstance(company_id, int) else None)
        if company is None:
            return []
        results = request.env["helpdesk.kb.article"]._search_articles(
            query[:200], limit=SUGGEST_LIMIT, company=company, domain=[("visibility", "=", "public")])
        return [
            {"id": r["id"], "name": r["name"], "headline": r["headline"],
             "url": f"/helpdesk/help/article/{r['id']}"}
            for r in results
        ]

    @http.route("/helpdesk/help/article/<int:article_id>/solved", type="jsonrpc", auth="public")
    def help_article_solved(self, article_id, **kw):
        """"This solved my problem": the customer leaves the new-ticket form without filing a ticket."""
        article = request.env["helpdesk.kb.article"].search([("id", "=", article_id), ("state", "=", "published")])
        if not article:
            return {"error": request.env._("This article is no longer available.")}
        if self._remember(DEFLECTED_KEY, article.id):
            article._record_event("deflection")
        return {"message": request.env._("Glad the article helped: no ticket was created.")}
