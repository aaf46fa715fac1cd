"""Grouping speed-up: overrides of the ORM's private ``_read_group``, ``_read_grouping_sets`` and
``_read_group_groupby`` for tickets and their analysis report.

What it buys at 1,000,000 tickets (bench/bench.py ``fill`` and ``reads``; two runs on a shared
2-core machine, 2026-11-30, see bench/FINDINGS.md), with it / without the ordering in Python:
``read_group`` by stage 114-198 / 260-449 ms, by assignee 104-233 / 343-390 ms, the report month x
team for a user in Asia/Jakarta 249-296 / 916-1103 ms, the pivot with totals 683-811 / 1906-2320 ms;
with it / without the fixed-offset grouping: report in Asia/Jakarta 249-296 / 614-701 ms, pivot
683-811 / 1437-1775 ms.

Relies on (pinned by tests/test_orm_speedups.py): the signatures of the three private methods,
rows of ``_read_group`` as tuples in groupby order with many2ones as records, the ORM's default
order being the groupby itself, and ``date_trunc`` over the column for date granularities.
"""
import functools
from datetime import datetime

import pytz

from odoo import api, models
from odoo.tools import SQL

DATE_GRANULARITIES = ("day", "week", "month", "quarter", "year")
EPOCH = datetime(1970, 1, 1)


@functools.lru_cache(maxsize=64)
def fixed_utc_offset(zone_name):
    """Seconds east of UTC of a time zone without daylight saving or other change since 1970
    (Asia/Jakarta, Asia/Makassar, Asia/Jayapura, UTC), else None."""
    if zone_name not in pytz.all_timezones_set:
        return None
    zone = pytz.timezone(zone_name)
    transitions = getattr(zone, "_utc_transition_times", None) or []
    if transitions and transitions[-1] > EPOCH:
        return None
    return int(zone.utcoffset(datetime(2000, 1, 1)).total_seconds())


def local_time_sql(column, offset):
    """The local time of a UTC column in a fixed-offset zone: an addition instead of two time zone
    conversions per row (the same expression as the planner statistics of helpdesk.ticket)."""
    return SQL("(%s + %s::interval)", column, f"{offset} seconds") if offset else column


class HelpdeskGroupOrderMixin(models.AbstractModel):
    """Group a large table first, put the groups in order afterwards (helpdesk.ticket and its
    analysis report).

    To order groups by a many2one in its model's order (a team's sequence and name), the ORM joins
    that table to every row and groups by its columns too: over a million tickets the join costs
    more than the grouping. Grouping by the ids and sorting the few groups in Python gives the same
    groups in the same order, with one small query per many2one for its order.
    """

    _name = "helpdesk.group.order.mixin"
    _description = "Helpdesk Grouping Order"

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self._group_order_in_python(groupby, offset, limit, order):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        rows = super()._read_group(domain, groupby, aggregates, having)
        ranks = self._group_ranks(groupby, [groupby], [rows])
        return sorted(rows, key=self._group_sort_key(groupby, groupby, ranks))

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The same for the pivot view, which asks for all its groupings at once."""
        specs = list(dict.fromkeys(spec for groupby in grouping_sets for spec in groupby))
        if not self._group_order_in_python(specs, 0, None, order):
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        results = super()._read_grouping_sets(domain, grouping_sets, aggregates)
        ranks = self._group_ranks(specs, grouping_sets, results)
        return [
            sorted(rows, key=self._group_sort_key(groupby, specs, ranks))
            for groupby, rows in zip(grouping_sets, results, strict=True)
        ]

    def _group_ranks(self, specs, grouping_sets, results):
        """{many2one spec: {id: position}} in the comodel's order, over all result rows (a query each)."""
        ranks = {}
        for spec in specs:
            field = self._fields[spec.split(":")[0]]
            if field.type != "many2one":
                continue
            ids = set()
            for groupby, rows in zip(grouping_sets, results, strict=True):
                if spec in groupby:
                    index = list(groupby).index(spec)
                    ids.update(row[index].id for row in rows if row[index])
            records = self.env[field.comodel_name].browse(ids)
            # sudo: only the order of groups the user already got is read, as the ORM's join does
            ordered = records.sudo().with_context(active_test=False).search([("id", "in", records.ids)]).ids
            ranks[spec] = {record_id: position for position, record_id in enumerate(ordered)}
        return ranks

    def _group_sort_key(self, groupby, specs, ranks):
        """Sort key of rows grouped by groupby: by the specs in the given order, many2ones by rank,
        dates ascending, empty values last (as PostgreSQL sorts NULLs in ascending order)."""
        keys = []
        for spec in specs:
            if spec not in groupby:
                continue
            index = list(groupby).index(spec)
            if spec in ranks:
                keys.append(lambda row, i=index, r=ranks[spec]: (not row[i], r.get(row[i].id, 0) if row[i] else 0))
            else:
                keys.append(lambda row, i=index: (row[i] is None or row[i] is False, row[i] or 0))
        return lambda row: tuple(key(row) for key in keys)

    @api.model
    def _read_group_groupby(self, alias, groupby_spec, query):
        """Months, days... of a datetime in the user's time zone: for zones with a fixed offset,
        the offset is added instead of converting each row's time zone twice."""
        fname, _sep, granularity = groupby_spec.partition(":")
        field = self._fields.get(fname)
        offset = fixed_utc_offset(self.env.context.get("tz") or "UTC")
        if (
            field is None or field.type != "datetime" or not field.store
            or granularity not in ("day", "month", "quarter", "year") or offset is None
        ):
            return super()._read_group_groupby(alias, groupby_spec, query)
        column = self._field_to_sql(alias, fname, query)
        return SQL("date_trunc(%s, %s)", granularity, local_time_sql(column, offset))

    def _group_order_in_python(self, groupby, offset, limit, order):
        """Only the default order (the groupby itself, ascending) of whole results of many2one and
        date groupings is sorted here; anything else is left to the ORM."""
        if offset or limit or not order or not groupby:
            return False
        if [part.strip() for part in order.split(",")] != list(groupby):
            return False
        joined = False
        for spec in groupby:
            fname, _sep, granularity = spec.partition(":")
            field = self._fields.get(fname)
            if not field:
                return False
            if field.type == "many2one" and not granularity:
                joined = joined or self.env[field.comodel_name]._order != "id"
            elif field.type not in ("date", "datetime") or granularity not in DATE_GRANULARITIES:
                return False
        return joined


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "helpdesk.group.order.mixin"]
