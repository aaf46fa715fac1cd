from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# A customer may answer a rating request by SMS this long after it was sent.
RATING_SMS_REPLY_DAYS = 7


class HelpdeskTicket(models.Model):
    """Ratings without a login: once solved, the customer is asked to rate the resolution through the
    channel they used (e-mail with Odoo's rating links, or SMS), one rating per solve."""

    _inherit = "helpdesk.ticket"

    rating_request_state = fields.Selection(
        [("to_send", "To Send"), ("sent", "Sent"), ("none", "No Way to Ask")],
        string="Rating Request",
        readonly=True,
        copy=False,
        help="The request for a rating of the current resolution, sent by a scheduled job.",
    )
    rating_request_date = fields.Datetime(string="Rating Requested On", readonly=True, copy=False)
    rating_request_channel = fields.Selection(
        [("email", "E-mail"), ("sms", "SMS")], string="Rating Asked By", readonly=True, copy=False
    )

    # The sending job reads the queue of requests to send.
    _rating_request_queue_idx = models.Index("(id) WHERE rating_request_state = 'to_send'")

    def write(self, vals):
        solving = self.browse()
        if vals.get("stage_id") and self.env["helpdesk.stage"].browse(vals["stage_id"]).kind == "solved":
            solving = self.filtered(lambda t: t.stage_kind != "solved")
        result = super().write(vals)
        solving._queue_rating_request()
        return result

    def _queue_rating_request(self):
        """Solved tickets of teams that ask for ratings: the request goes out with the next run of the job."""
        to_ask = self.filtered(lambda t: t.team_id.rating_request and not t.portal_rating_id)
        if to_ask:
            # sudo: the request follows from solving the ticket, whoever solved it
            to_ask.sudo().write({"rating_request_state": "to_send", "rating_request_date": False,
                                 "rating_request_channel": False})
            self.env.ref("helpdesk_ticketing.ir_cron_helpdesk_rating_request")._trigger()

    def _rating_request_channel(self):
        """How to ask this customer: by SMS when they wrote or called by phone and SMS can reach them,
        else by e-mail when they have an address, else by SMS."""
        self.ensure_one()
        can_sms, can_email = self._rating_can_sms(), bool(self.partner_id.email_normalized)
        if self.channel in ("sms", "phone") and can_sms:
            return "sms"
        if can_email:
            return "email"
        return "sms" if can_sms else False

    def _rating_can_sms(self):
        """Whether a rating request can reach the customer by SMS (see helpdesk_sms)."""
        return False

    def _rating_send_sms_requests(self):
        """Send the SMS rating requests of these tickets (see helpdesk_sms)."""
        return

    def _rating_send_email_requests(self):
        template = self.env.ref("helpdesk_ticketing.mail_template_rating_request")
        for ticket in self:
            ticket.rating_send_request(template, lang=ticket.partner_id.lang, force_send=False)

    @api.model
    def _cron_send_rating_requests(self, batch_size=200):
        """Ask customers of solved tickets for their rating, once per solve. Rows are claimed with the
        ORM's try_lock_for_update (SKIP LOCKED): two workers never ask twice."""
        tickets = self.search(
            [("rating_request_state", "=", "to_send")], limit=2 * batch_size, order="id"
        ).try_lock_for_update(limit=batch_size)
        # A ticket reopened or rated meanwhile is not asked.
        skipped = tickets.filtered(lambda t: t.stage_kind != "solved" or t.portal_rating_id)
        skipped.write({"rating_request_state": False})
        by_channel = {"email": self.browse(), "sms": self.browse(), False: self.browse()}
        for ticket in tickets - skipped:
            by_channel[ticket._rating_request_channel()] |= ticket
        by_channel["email"]._rating_send_email_requests()
        by_channel["sms"]._rating_send_sms_requests()
        now = fields.Datetime.now()
        for channel, asked in by_channel.items():
            asked.write({
                "rating_request_state": "sent" if channel else "none",
                "rating_request_channel": channel,
                "rating_request_date": now if channel else False,
            })
        if len(tickets) == batch_size:
            self.env.ref("helpdesk_ticketing.ir_cron_helpdesk_rating_request")._trigger()
        return len(tickets)

    def _rating_url(self, score=5):
        """The rating page of the current request (Odoo's rating route), for links in e-mails and SMS."""
        self.ensure_one()
        return f"{self.get_base_url()}/rate/{self._rating_get_access_token()}/{score}"

    def _lock_for_rating(self):
        """Ratings of one ticket wait for each other on its row: one rating per solve (see _portal_rate)."""
        self.env.cr.execute(SQL("SELECT id FROM helpdesk_ticket WHERE id IN %s FOR NO KEY UPDATE", tuple(self.ids)))
        self.invalidate_recordset(["portal_rating_id"])

    def rating_apply(self, rate, token=None, rating=None, feedback=None, subtype_xmlid=None,
                     notify_delay_send=False):
        """One rating per solve: an unused request of a solve already rated changes that rating (the
        rating page), it never adds a second one; the first rating of a solve becomes its rating."""
        if len(self) != 1:
            return super().rating_apply(rate, token=token, rating=rating, feedback=feedback,
                                        subtype_xmlid=subtype_xmlid, notify_delay_send=notify_delay_send)
        self._lock_for_rating()
        if token:
            # sudo: the token is the customer's credential (Odoo's rating page works the same way)
            rating = self.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
        current = self.portal_rating_id
        first_of_solve = not current and rating and not rating.consumed and self.stage_kind == "solved"
        if current and rating and not rating.consumed:
            rating = current
        rating = super().rating_apply(rate, rating=rating, feedback=feedback, subtype_xmlid=subtype_xmlid,
                                      notify_delay_send=notify_delay_send)
        if first_of_solve:
            self.portal_rating_id = rating
        return rating

    @api.model
    def _rating_awaiting_sms_reply(self, partners, company, now=None):
        """{partner: ticket} of solved tickets whose rating was asked by SMS in the last days and not
        given yet, the latest request of each partner; their rows are locked (one rating per solve)."""
        now = now or fields.Datetime.now()
        tickets = self.search([
            ("partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("rating_request_state", "=", "sent"),
            ("rating_request_channel", "=", "sms"),
            ("rating_request_date", ">=", now - timedelta(days=RATING_SMS_REPLY_DAYS)),
            ("portal_rating_id", "=", False),
            ("stage_id.kind", "=", "solved"),
        ], order="rating_request_date desc, id desc")
        if tickets:
            tickets._lock_for_rating()
        result = {}
        for ticket in tickets.filtered(lambda t: not t.portal_rating_id):
            result.setdefault(ticket.partner_id, ticket)
        return result

    def _rate_from_sms(self, score):
        """The customer's SMS answer to a rating request: the rating of this solve."""
        self.ensure_one()
        token = self._rating_get_access_token()
        return self.rating_apply(score, token=token)
