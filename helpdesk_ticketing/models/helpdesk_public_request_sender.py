from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Requests the public form accepts per address within RATE_WINDOW: per IP (offices share one) and
# per e-mail address or phone number.
RATE_WINDOW = timedelta(hours=1)
RATE_LIMITS = {"ip": 10, "contact": 3}


class HelpdeskPublicRequestSender(models.Model):
    """An address (IP, e-mail or phone) that used the public request form, with the number of its
    requests in the current window: limits how many requests one sender files, without third-party
    services. Counted in the database, the limit holds across all workers."""

    _name = "helpdesk.public.request.sender"
    _description = "Public Request Sender"
    _order = "window_start desc"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    kind = fields.Selection([("ip", "IP Address"), ("contact", "E-mail / Phone")], required=True)
    key = fields.Char(required=True, help="The IP address, e-mail address or phone number.")
    window_start = fields.Datetime(required=True, index=True)
    request_count = fields.Integer(string="Requests", help="Requests in the window started at Window Start.")

    _address_uniq = models.Constraint("UNIQUE (company_id, kind, key)", "This address is already counted.")

    @api.model
    def _count_request(self, company, addresses):
        """Count one request of each (kind, key) address; returns the kinds over their limit.

        One upsert per address: two workers counting the same address at once update one row, and
        the later one (its snapshot outdated) fails to serialize and is replayed by Odoo: exact counts.
        """
        now = fields.Datetime.now()
        expired = now - RATE_WINDOW
        exceeded = []
        for kind, key in addresses:
            self.env.cr.execute(SQL(
                """INSERT INTO helpdesk_public_request_sender AS s
                        (company_id, kind, key, window_start, request_count)
                   VALUES (%(company)s, %(kind)s, %(key)s, %(now)s, 1)
                   ON CONFLICT (company_id, kind, key) DO UPDATE SET
                        request_count = CASE WHEN s.window_start <= %(expired)s THEN 1 ELSE s.request_count + 1 END,
                        window_start = CASE WHEN s.window_start <= %(expired)s THEN %(now)s ELSE s.window_start END
                   RETURNING request_count""",
                company=company.id, kind=kind, key=key, now=now, expired=expired,
            ))
            if self.env.cr.fetchone()[0] > RATE_LIMITS[kind]:
                exceeded.append(kind)
        return exceeded

    @api.autovacuum
    def _gc_expired_windows(self):
        self.search([("window_start", "<", fields.Datetime.now() - RATE_WINDOW)]).unlink()
