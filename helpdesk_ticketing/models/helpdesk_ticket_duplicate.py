from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from .helpdesk_duplicate_event import DUPLICATE_CHANNELS

# pg_trgm similarity from which a new ticket "looks like" an open ticket: its subject, or the first line of its
# description, against the open ticket's subject. The `%` operator (pg_trgm.similarity_threshold, 0.3 by
# default) is the condition the trigram index serves; the score is checked against this threshold after it.
SIMILARITY_THRESHOLD = 0.4
# Length of the description's first line compared with the subjects of open tickets.
SUMMARY_CHARS = 120
# Channels whose new tickets are checked against the customer's open tickets.
FLAGGED_CHANNELS = ("portal", "email")


class HelpdeskTicket(models.Model):
    """Duplicates caught at intake: a new portal or e-mail ticket that looks like an open ticket of the
    same customer company is flagged, and every catch (also SMS and calls added to a ticket) is logged
    for the "duplicates caught per channel" report."""

    _inherit = "helpdesk.ticket"

    possible_duplicate_id = fields.Many2one(
        "helpdesk.ticket", string="Possible Duplicate Of", readonly=True, copy=False, index="btree_not_null",
        groups="helpdesk_ticketing.group_helpdesk_user",
        help="An open ticket of the same customer that this one looks like, found when it came in.",
    )
    duplicate_channel = fields.Selection(
        DUPLICATE_CHANNELS, string="Duplicate Caught By", readonly=True, copy=False,
        groups="helpdesk_ticketing.group_helpdesk_user",
        help="How a duplicate of this ticket was caught at intake.",
    )
    duplicate_event_ids = fields.One2many("helpdesk.duplicate.event", "ticket_id", string="Duplicates Caught",
                                          groups="helpdesk_ticketing.group_helpdesk_user")

    # A customer's open tickets by similar subject: `%` and the `<->` distance of pg_trgm on a GiST index per
    # customer company (btree_gist for the integer column), limited to open tickets.
    _open_similar_name_idx = models.Index(
        "USING gist (commercial_partner_id, name gist_trgm_ops) WHERE active AND NOT is_closed"
    )

    def _auto_init(self):
        # The trigram index needs pg_trgm and btree_gist (trusted extensions: the database owner may create
        # them), also when the addon is only updated.
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        flagged = self._find_possible_duplicates(vals_list)
        for vals, duplicate_id in zip(vals_list, flagged, strict=True):
            if duplicate_id:
                vals.update(possible_duplicate_id=duplicate_id, duplicate_channel=vals["channel"])
        tickets = super().create(vals_list)
        if any(flagged):
            tickets.filtered("possible_duplicate_id")._log_duplicates()
        return tickets

    # ------------------------------------------------------------------
    # Similarity (pg_trgm)
    # ------------------------------------------------------------------
    @api.model
    def _similar_open_tickets_sql(self, incoming, limit):
        """SQL of the open tickets of the same customer company and company that look like each incoming
        ticket: rows (incoming index, ticket id, score), best first, at most limit per incoming ticket.

        Two nearest-neighbour scans of the GiST index per incoming ticket (its subject, its description's
        first line), so the cost follows the matches, not the customer's number of tickets.

        :param incoming: [(partner id, company id, subject, description's first line, ticket id to leave out)]
        """
        def nearest(text):
            return SQL(
                """(SELECT t.id, similarity(t.name, %(text)s) AS score
                      FROM helpdesk_ticket t
                     WHERE t.commercial_partner_id = partner.commercial_partner_id
                       AND t.active AND NOT t.is_closed AND t.name %% %(text)s
                       AND t.company_id = incoming.company_id AND t.id IS DISTINCT FROM incoming.excluded_id
                     ORDER BY t.name <-> %(text)s
                     LIMIT %(limit)s)""",
                text=SQL(text), limit=limit,
            )

        return SQL(
            """
            SELECT incoming.idx, similar_ticket.id, similar_ticket.score
              FROM unnest(%(partners)s::int[], %(companies)s::int[], %(names)s::text[], %(summaries)s::text[],
                          %(excluded)s::int[]) WITH ORDINALITY AS incoming(partner_id, company_id, name, summary,
                                                                           excluded_id, idx)
              JOIN res_partner partner ON partner.id = incoming.partner_id
             CROSS JOIN LATERAL (
                    SELECT candidate.id, max(candidate.score) AS score
                      FROM (%(by_name)s UNION ALL %(by_summary)s) AS candidate
                     GROUP BY candidate.id
                    HAVING max(candidate.score) >= %(threshold)s
                     ORDER BY score DESC, candidate.id DESC
                     LIMIT %(limit)s
             ) AS similar_ticket
             ORDER BY incoming.idx, similar_ticket.score DESC, similar_ticket.id DESC
            """,
            partners=[entry[0] for entry in incoming],
            companies=[entry[1] for entry in incoming],
            names=[entry[2] for entry in incoming],
            summaries=[entry[3] or "" for entry in incoming],
            excluded=[entry[4] for entry in incoming],
            by_name=nearest("incoming.name"),
            by_summary=nearest("incoming.summary"),
            limit=limit,
            threshold=SIMILARITY_THRESHOLD,
        )

    @api.model
    def _summary_of(self, description):
        """The first line of a description, as plain text."""
        text = html2plaintext(description) if description else ""
        return next((line.strip() for line in text.splitlines() if line.strip()), "")[:SUMMARY_CHARS]

    @api.model
    def _find_possible_duplicates(self, vals_list):
        """For each new ticket's values, the id of the open ticket it looks like (or False): one query for
        the portal and e-mail tickets of the batch, before they are inserted."""
        checked = [
            index for index, vals in enumerate(vals_list)
            if vals.get("channel") in FLAGGED_CHANNELS and vals.get("partner_id") and (vals.get("name") or "").strip()
            and not vals.get("possible_duplicate_id")
        ]
        result = [False] * len(vals_list)
        if not checked:
            return result
        company_id = self.env.company.id
        incoming = [
            (vals_list[i]["partner_id"], vals_list[i].get("company_id") or company_id, vals_list[i]["name"].strip(),
             self._summary_of(vals_list[i].get("description")), None)
            for i in checked
        ]
        self.flush_model(["name", "commercial_partner_id", "company_id", "active", "is_closed"])
        self.env.cr.execute(self._similar_open_tickets_sql(incoming, 1))
        for idx, ticket_id, _score in self.env.cr.fetchall():
            result[checked[idx - 1]] = ticket_id
        return result

    def _similar_open_tickets(self, limit=5):
        """The open tickets of this ticket's customer company that look like it (pg_trgm: their subject
        against this one's subject or description's first line), most alike first."""
        self.ensure_one()
        if not self.partner_id or not self.name:
            return self.browse()
        self.flush_recordset(["name", "partner_id", "company_id", "description"])
        self.flush_model(["name", "commercial_partner_id", "company_id", "active", "is_closed"])
        self.env.cr.execute(self._similar_open_tickets_sql(
            [(self.partner_id.id, self.company_id.id, self.name, self._summary_of(self.description), self.id)],
            limit,
        ))
        # Filtered by the access rules of the current user, in the order of similarity.
        ids = [ticket_id for _idx, ticket_id, _score in self.env.cr.fetchall()]
        return self.browse(ids).filtered_domain([("id", "in", ids)]) if ids else self.browse()

    # ------------------------------------------------------------------
    # Catches
    # ------------------------------------------------------------------
    def _log_duplicates(self, channel=None):
        """One "duplicate caught" row per ticket (channel: given, else the ticket's duplicate_channel)."""
        # sudo: the catch is logged by the intake, whoever sent the ticket (a portal user, an e-mail)
        return self.env["helpdesk.duplicate.event"].sudo().create([
            {"ticket_id": ticket.id, "channel": channel or ticket.sudo().duplicate_channel} for ticket in self
        ])

    def action_not_duplicate(self):
        """The flagged ticket is a request of its own: the flag and its catch go."""
        flagged = self.filtered("possible_duplicate_id")
        if not flagged:
            return True
        for ticket in flagged:
            ticket.message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "Marked as not a duplicate of %(ticket)s.", ticket=ticket.possible_duplicate_id.display_name),
                subtype_xmlid="mail.mt_note",
            )
        # sudo: the catch log is written by the intake only; whoever may edit the ticket withdraws its catch
        events = self.env["helpdesk.duplicate.event"].sudo().search([
            ("ticket_id", "in", flagged.ids), ("channel", "in", FLAGGED_CHANNELS),
        ])
        flagged.write({"possible_duplicate_id": False, "duplicate_channel": False})
        events.unlink()
        return True

    def action_open_possible_duplicate(self):
        self.ensure_one()
        return self.possible_duplicate_id._get_records_action()
