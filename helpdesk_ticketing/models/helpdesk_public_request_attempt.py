from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Requests the public form accepts per address within RATE_WINDOW: per IP (offices share one) and
# per e-mail address or phone number.
RATE_WINDOW = timedelta(hours=1)
RATE_LIMITS = {"ip": 10, "contact": 3}


class HelpdeskPublicRequestAttempt(models.Model):
    """One submission of the public request form by an address (IP, e-mail or phone), kept for an
    hour to limit how many requests one sender files, without third-party services. Stored in the
    database, the count holds across all workers."""

    _name = "helpdesk.public.request.attempt"
    _description = "Public Request Attempt"
    _order = "id desc"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    kind = fields.Selection([("ip", "IP Address"), ("contact", "E-mail / Phone")], required=True)
    key = fields.Char(required=True, help="The IP address, e-mail address or phone number.")
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _key_date_idx = models.Index("(company_id, kind, key, date)")

    @api.model
    def _record_attempts(self, company, addresses):
        """Record one attempt of each (kind, key) and return the kinds over their limit.

        Attempts of one address wait for each other (transaction-level advisory lock on the
        address), so concurrent workers count them exactly.
        """
        now = fields.Datetime.now()
        exceeded = []
        for kind, key in addresses:
            self.env.cr.execute(SQL(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", f"helpdesk_public_request:{company.id}:{kind}:{key}"
            ))
            count = self.search_count([
                ("company_id", "=", company.id), ("kind", "=", kind), ("key", "=", key),
                ("date", ">", now - RATE_WINDOW),
            ])
            if count >= RATE_LIMITS[kind]:
                exceeded.append(kind)
        self.create([
            {"company_id": company.id, "kind": kind, "key": key, "date": now} for kind, key in addresses
        ])
        return exceeded

    @api.autovacuum
    def _gc_attempts(self):
        self.search([("date", "<", fields.Datetime.now() - RATE_WINDOW)]).unlink()
