import re
import time
import unicodedata

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext, is_html_empty

LEADER = "helpdesk_ticketing.group_helpdesk_leader"
# Text search configuration made in init(): the `simple` parser and dictionary (no stemming, no stop words:
# right for Bahasa Indonesia, which PostgreSQL has no dictionary for) after `unaccent`.
TS_CONFIG = "helpdesk_kb"
# ts_headline marks matches with these control characters; the Python side escapes the text and then
# turns them into <mark>, so an article's own "<" never reaches the page as markup.
MARK_START, MARK_STOP = "\x02", "\x03"
HEADLINE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, " \
                   "FragmentDelimiter=\" … \""
WORD = re.compile(r"\w+", re.UNICODE)
# Words found in more than this share of the articles (PostgreSQL's statistics of the search column) say
# nothing about an article, like "yang" or "tidak": they are left out of the query when other words remain,
# so a search does not rank most of the knowledge base. Read again every STATS_TTL seconds.
FREQUENT_SHARE = 0.3
STATS_TTL = 300
_frequent_cache = {}  # database name -> (read at, frozenset of lexemes)


def _lexeme(word):
    """word as the search configuration stores it: lower case, without accents (unaccent, then simple)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


class HelpdeskKbArticle(models.Model):
    """A knowledge base article: an answer written once, most often from a solved ticket, published by a
    team leader, found by customers (help centre, new-ticket form) and agents (ticket form)."""

    _name = "helpdesk.kb.article"
    _description = "Knowledge Base Article"
    _inherit = ["mail.thread"]
    _order = "published_date desc, id desc"

    name = fields.Char(string="Title", required=True, tracking=True)
    body = fields.Html(required=True, sanitize_style=True)
    body_text = fields.Text(compute="_compute_body_text", store=True, string="Plain Text",
                            help="The body without markup: what the full-text search indexes and quotes.")
    category_id = fields.Many2one("helpdesk.category", string="Category", index=True, tracking=True)
    tag_ids = fields.Many2many("helpdesk.tag", string="Tags")
    lang = fields.Selection("_lang_selection", string="Language", required=True,
                            default=lambda self: self.env.lang or "en_US", index=True)
    visibility = fields.Selection(
        [("public", "Public"), ("internal", "Internal")], required=True, default="public", tracking=True,
        help="Public: on the help centre, for customers, once published. Internal: for agents only.",
    )
    state = fields.Selection([("draft", "Draft"), ("published", "Published")], required=True, default="draft",
                             readonly=True, copy=False, tracking=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    author_id = fields.Many2one("res.users", string="Author", default=lambda self: self.env.user, readonly=True)
    published_by_id = fields.Many2one("res.users", string="Published By", readonly=True, copy=False)
    published_date = fields.Datetime(readonly=True, copy=False)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Source Ticket", readonly=True, copy=False,
                                index="btree_not_null", help="The solved ticket this article was written from.")
    ticket_ids = fields.Many2many("helpdesk.ticket", "helpdesk_ticket_kb_article_rel", "article_id", "ticket_id",
                                  string="Tickets Answered", readonly=True, copy=False)
    event_ids = fields.One2many("helpdesk.kb.article.event", "article_id", string="Events")
    view_count = fields.Integer(compute="_compute_counts", string="Views")
    deflection_count = fields.Integer(compute="_compute_counts", string="Deflections",
                                      help="Customers who found their answer here instead of filing a ticket.")
    ticket_count = fields.Integer(compute="_compute_counts", string="Tickets")
    public_url = fields.Char(compute="_compute_public_url", string="Help Centre Link")

    @api.model
    def _lang_selection(self):
        """Every language, the active ones first: an article may be written in a language the database does
        not translate its screens into (e.g. Bahasa Indonesia on an English database)."""
        langs = self.env["res.lang"].with_context(active_test=False).search_read([], ["code", "name", "active"])
        return [(lang["code"], lang["name"]) for lang in sorted(langs, key=lambda lang: not lang["active"])]

    @api.depends("body")
    def _compute_body_text(self):
        for article in self:
            article.body_text = "" if is_html_empty(article.body) else html2plaintext(article.body).strip()

    def _compute_counts(self):
        counts = {
            (article.id, kind): count
            # sudo: the counts of the usage log, shown to whoever reads the article (the log itself is not)
            for article, kind, count in self.env["helpdesk.kb.article.event"].sudo()._read_group(
                # sudo: the counters are public figures; the event log itself is for leaders
                [("article_id", "in", self.ids)], ["article_id", "kind"], ["__count"])
        }
        tickets = dict(self.env["helpdesk.ticket"]._read_group(
            [("kb_article_ids", "in", self.ids)], ["kb_article_ids"], ["__count"]))
        for article in self:
            article.view_count = counts.get((article.id, "view"), 0)
            article.deflection_count = counts.get((article.id, "deflection"), 0)
            article.ticket_count = tickets.get(article, 0)

    def _compute_public_url(self):
        base = self.get_base_url()
        for article in self:
            article.public_url = f"{base}/helpdesk/help/article/{article.id}" if article.id else False

    def init(self):
        """The full-text index: an unaccent + simple text search configuration, a generated tsvector
        (title weighs more than body) and its GIN index."""
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cr.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [TS_CONFIG])
        if not cr.fetchone():
            cr.execute(SQL(
                "CREATE TEXT SEARCH CONFIGURATION %s (COPY = simple);"
                "ALTER TEXT SEARCH CONFIGURATION %s ALTER MAPPING FOR "
                "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple",
                SQL.identifier(TS_CONFIG), SQL.identifier(TS_CONFIG),
            ))
        cr.execute(SQL(
            """ALTER TABLE helpdesk_kb_article ADD COLUMN IF NOT EXISTS search_vector tsvector
               GENERATED ALWAYS AS (
                   setweight(to_tsvector(%(cfg)s::regconfig, coalesce(name, '')), 'A')
                   || setweight(to_tsvector(%(cfg)s::regconfig, coalesce(body_text, '')), 'B')
               ) STORED""",
            cfg=TS_CONFIG,
        ))
        cr.execute("CREATE INDEX IF NOT EXISTS helpdesk_kb_article_search_vector_idx "
                   "ON helpdesk_kb_article USING gin (search_vector)")

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------
    @api.model
    def _frequent_lexemes(self):
        """The lexemes in more than FREQUENT_SHARE of the articles, from the planner's statistics of the
        search column (kept by autovacuum's ANALYZE)."""
        dbname, now = self.env.cr.dbname, time.monotonic()
        cached = _frequent_cache.get(dbname)
        if cached and now - cached[0] < STATS_TTL:
            return cached[1]
        self.env.cr.execute("""
            SELECT u.elem FROM pg_stats s,
                   unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(elem, freq)
             WHERE s.schemaname = current_schema() AND s.tablename = 'helpdesk_kb_article'
               AND s.attname = 'search_vector' AND u.elem IS NOT NULL AND u.freq > %s
        """, [FREQUENT_SHARE])
        lexemes = frozenset(row[0] for row in self.env.cr.fetchall())
        _frequent_cache[dbname] = (now, lexemes)
        return lexemes

    @api.model
    def _ts_query(self, text):
        """A tsquery matching any word of text (the last one as a prefix: the customer may still be typing),
        or None when text has no word. Words are letters and digits only: nothing of text reaches the query
        syntax. Words in most articles are left out while more telling ones remain."""
        words = [w for w in WORD.findall(text or "") if len(w) > 1 or w.isdigit()][:12]
        if not words:
            return None
        frequent = self._frequent_lexemes()
        telling = [w for w in words if _lexeme(w) not in frequent]
        if telling:
            words = telling
        terms = [f"'{w}'" for w in words[:-1]]
        last = words[-1]
        terms.append(f"'{last}':*" if len(last) >= 3 else f"'{last}'")
        return " | ".join(terms)

    @api.model
    def _search_articles(self, query, limit=10, lang=None, category=None, published_only=True, company=None,
                         domain=None, prefer_category=None):
        """Articles matching query, best first (PostgreSQL's ts_rank), with the matched words highlighted;
        those of prefer_category (an id) before the others.

        Reads as the current user: record rules decide which articles exist for them (customers: published
        public ones of their company). Returns [{"id", "name", "headline" (Markup), "rank"}]."""
        ts_query = self._ts_query(query)
        if not ts_query:
            return []
        search_domain = list(domain or [])
        if published_only:
            search_domain.append(("state", "=", "published"))
        if lang:
            search_domain.append(("lang", "=", lang))
        if category:
            search_domain.append(("category_id", "=", category.id if hasattr(category, "id") else category))
        if company:
            search_domain.append(("company_id", "=", company.id))
        tsq = SQL("to_tsquery(%s::regconfig, %s)", TS_CONFIG, ts_query)
        query_obj = self._search(search_domain)
        query_obj.add_where(SQL("%s @@ %s", SQL.identifier(self._table, "search_vector"), tsq))
        rank = SQL("ts_rank(%s, %s)", SQL.identifier(self._table, "search_vector"), tsq)
        query_obj.order = SQL("%s DESC, %s DESC", rank, SQL.identifier(self._table, "id"))
        preferred = SQL("FALSE")
        if prefer_category:
            preferred = SQL("(%s IS NOT DISTINCT FROM %s)", SQL.identifier(self._table, "category_id"), prefer_category)
            query_obj.order = SQL("%s DESC, %s", preferred, query_obj.order)
        query_obj.limit = limit
        ranked = SQL("SELECT a.id, a.name, r.rank, ts_headline(%s::regconfig, a.body_text, %s, %s) "
                     "FROM (%s) r JOIN helpdesk_kb_article a ON a.id = r.id "
                     "ORDER BY r.preferred DESC, r.rank DESC, a.id DESC",
                     TS_CONFIG, tsq, HEADLINE_OPTIONS,
                     query_obj.select(SQL.identifier(self._table, "id"), SQL("%s AS rank", rank),
                                      SQL("%s AS preferred", preferred)))
        return [
            {"id": id_, "name": name, "rank": rank_, "headline": self._headline_markup(headline)}
            for id_, name, rank_, headline in self.env.execute_query(ranked)
        ]

    @staticmethod
    def _headline_markup(headline):
        text = escape(headline or "")
        return Markup(str(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))

    # ------------------------------------------------------------------
    # Review and publication
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state") == "published" for vals in vals_list):
            self._check_can_publish()
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_can_publish()
        return super().write(vals)

    def _check_can_publish(self):
        if not self.env.user.has_group(LEADER) and not self.env.su:
            raise UserError(self.env._(
                "Only a team leader or a manager can publish or unpublish an article: "
                "save it as a draft and ask your team leader to review it."))

    def action_publish(self):
        self._check_can_publish()
        empty = self.filtered(lambda a: is_html_empty(a.body))
        if empty:
            raise UserError(self.env._("Article “%(title)s” has no content: write it before publishing.",
                                       title=empty[0].name))
        self.filtered(lambda a: a.state == "draft").write({
            "state": "published", "published_by_id": self.env.uid, "published_date": fields.Datetime.now(),
        })

    def action_unpublish(self):
        self._check_can_publish()
        self.write({"state": "draft"})

    # ------------------------------------------------------------------
    # Usage
    # ------------------------------------------------------------------
    def _record_event(self, kind, ticket=None):
        """Counts a view, a deflection or an insertion into a ticket's reply. Visitors without a login count
        too; they may not write articles or read the log, hence sudo (an insert-only log, one row per event,
        so concurrent visitors never update the same row)."""
        self.env["helpdesk.kb.article.event"].sudo().create([
            {"article_id": article.id, "kind": kind, "ticket_id": ticket.id if ticket else False}
            for article in self
        ])

    def action_insert_into_ticket(self):
        """The "Insert" button of the ticket form's suggestions (the ticket comes in the context)."""
        self.ensure_one()
        ticket = self.env["helpdesk.ticket"].browse(self.env.context.get("kb_ticket_id")).exists()
        if not ticket:
            raise UserError(self.env._("Save the ticket before answering it with an article."))
        return ticket._insert_kb_article(self)

    def action_view_tickets(self):
        self.ensure_one()
        return self.ticket_ids._get_records_action(name=self.env._("Tickets Answered"))
