import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Short placeholders agents may write in a canned reply, and the ticket values they stand for. They
# are rendered by Odoo's inline_template engine in its safe mode (no code: only these expressions).
PLACEHOLDERS = {
    "customer": "object.partner_id.name",
    "code": "object.code",
    "agent": "object.reply_agent_name",
    "deadline": "object.reply_deadline",
}
_PLACEHOLDER = re.compile(r"\{\{\s*(%s)\s*\}\}" % "|".join(PLACEHOLDERS))


class MailCannedResponse(models.Model):
    """Odoo's canned responses (``::shortcut`` in the composer), for the helpdesk: per team and
    language, with ticket placeholders, counted each time a reply uses them."""

    _inherit = "mail.canned.response"

    team_ids = fields.Many2many(
        "helpdesk.team", string="Helpdesk Teams",
        help="Offered on the tickets of these teams only (all teams when empty).",
    )
    lang = fields.Selection(
        "_lang_get", string="Language",
        help="Offered on the tickets of customers who speak this language (all customers when empty).",
    )
    use_count = fields.Integer(
        string="Uses", default=0, readonly=True, copy=False, help="How many messages and SMS were sent with this reply."
    )

    @api.model
    def _lang_get(self):
        # Every language, not only the installed ones: a reply may be written for customers whose
        # language the database does not translate its screens into.
        langs = self.env["res.lang"].with_context(active_test=False).search_fetch([], ["code", "name"], order="name")
        return [(lang.code, lang.name) for lang in langs]

    @api.constrains("substitution")
    def _check_placeholders(self):
        """Replies are rendered in the template engine's safe mode for every agent: only the ticket
        placeholders it allows (see mail_allowed_qweb_expressions), whoever wrote the reply."""
        Render = self.env["mail.render.mixin"]
        for response in self.filtered(lambda r: "{{" in (r.substitution or "")):
            if Render._has_unsafe_expression_template_inline_template(
                self._helpdesk_template(response.substitution), "helpdesk.ticket"
            ):
                raise ValidationError(self.env._(
                    "Canned reply “%(shortcut)s” uses a placeholder that is not allowed. Use {{ customer }}, "
                    "{{ code }}, {{ agent }} or {{ deadline }}.", shortcut=response.source,
                ))

    @api.model
    def _helpdesk_template(self, text):
        """The reply's text with the short placeholders written as the template engine reads them."""
        return _PLACEHOLDER.sub(lambda m: "{{ %s }}" % PLACEHOLDERS[m.group(1)], text or "")

    @api.model
    def _helpdesk_render(self, text, ticket):
        """The reply's text for the ticket: placeholders replaced by Odoo's template engine."""
        template = self._helpdesk_template(text)
        return self.env["mail.render.mixin"]._render_template(
            template, ticket._name, ticket.ids, engine="inline_template"
        )[ticket.id]

    @api.model
    def helpdesk_ticket_suggestions(self, ticket_id):
        """{canned response id: text rendered for the ticket} of the replies offered on a ticket: the
        user's own and shared ones, of the ticket's team and customer's language (or of any)."""
        ticket = self.env["helpdesk.ticket"].browse(ticket_id).exists()
        if not ticket:
            return {}
        ticket.check_access("read")
        responses = self.search(self._helpdesk_domain(ticket))
        return {response.id: self._helpdesk_render(response.substitution, ticket) for response in responses}

    @api.model
    def _helpdesk_domain(self, ticket):
        lang = ticket.partner_id.lang or ticket.company_id.partner_id.lang
        return [
            "|", ("create_uid", "=", self.env.uid), ("group_ids", "in", self.env.user.all_group_ids.ids),
            "|", ("team_ids", "=", False), ("team_ids", "in", ticket.team_id.ids),
            "|", ("lang", "=", False), ("lang", "=", lang),
        ]

    def _count_use(self):
        """One more use of each reply; concurrent uses of one reply wait for each other (exact counts)."""
        if self:
            self.env.cr.execute(SQL(
                "UPDATE mail_canned_response SET use_count = COALESCE(use_count, 0) + 1, last_used = %s WHERE id IN %s",
                fields.Datetime.now(), tuple(self.ids),
            ))
            self.invalidate_recordset(["use_count", "last_used"])
