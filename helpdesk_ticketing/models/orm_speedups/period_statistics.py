"""Planner statistics on the months and years tickets are grouped by: PostgreSQL's
``CREATE STATISTICS`` on the expressions of the grouping speed-up (group_order.py).

What it buys at 1,000,000 tickets (bench/bench.py ``reads``, two runs, 2026-11-30): the report
month x team for a user in Asia/Jakarta 249-296 ms with them, 366-568 ms without. Without them
PostgreSQL expects a group per ticket.

Relies on (pinned by tests/test_orm_speedups.py): ``init()`` of a model being called on install
and update after its table exists, and the statistics' expressions being the ones the ORM groups by.
"""
# A speed-up lives in its own module, apart from the model's main class.
# pylint: disable=consider-merging-classes-inherited
import re

import pytz

from odoo import models
from odoo.tools import SQL

from .group_order import fixed_utc_offset, local_time_sql


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def init(self):  # pylint: disable=missing-return
        """Planner statistics on the month and year of creation, as reports group by them (in UTC
        and in each time zone of our users): without them PostgreSQL expects a group per ticket,
        sorts a million rows and compiles the query with JIT instead of hashing a few dozen groups."""
        super().init()
        self.env.cr.execute(
            "SELECT DISTINCT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
            " WHERE u.active AND NOT u.share AND p.tz IS NOT NULL ORDER BY p.tz LIMIT 5"
        )
        zones = [None] + [tz for (tz,) in self.env.cr.fetchall() if tz in pytz.all_timezones_set]
        for zone in zones:
            offset = fixed_utc_offset(zone or "UTC")
            if offset is not None:  # the expression the reports group by, see helpdesk.group.order.mixin
                column = local_time_sql(SQL("create_date"), offset)
            else:
                column = SQL("timezone(%s, timezone('UTC', create_date))", zone)
            name = "helpdesk_ticket_period_" + re.sub(r"[^a-z0-9]+", "_", (zone or "utc").lower())
            name += "_offset" if offset else ""
            self.env.cr.execute(SQL(
                "CREATE STATISTICS IF NOT EXISTS %s ON (date_trunc('month', %s)), (date_trunc('year', %s)) FROM %s",
                SQL.identifier(name), column, column, SQL.identifier(self._table),
            ))
