"""Round-robin turns drawn from a PostgreSQL sequence per team, not from a field of the team: concurrent
creators (portal, e-mail, SMS importers on several Odoo workers) neither wait on the team's row until
their commit nor give the same turn twice.

What it buys (bench/bench_channels.py, SMS import into a round-robin team, bench/FINDINGS.md): two
importers at once import 2.3 times as fast as one, against 1.0 times when the turn was a field of
the team (its row stayed locked until each batch's commit). Not re-measured on 2026-11-30.

Relies on (pinned by tests/test_orm_speedups.py): nothing of the ORM but ``init()`` on install and
update, ``create`` and ``unlink``; PostgreSQL's ``nextval`` is not rolled back with the transaction.
"""
from odoo import api, models
from odoo.tools import SQL


class HelpdeskTeam(models.Model):
    _inherit = "helpdesk.team"

    def init(self):  # pylint: disable=missing-return
        super().init()
        self.env.cr.execute("SELECT id FROM helpdesk_team")
        self.browse([team_id for (team_id,) in self.env.cr.fetchall()])._create_round_robin_sequences()

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._create_round_robin_sequences()
        return teams

    def unlink(self):
        names = [SQL.identifier(team._round_robin_sequence()) for team in self]
        result = super().unlink()
        if names:
            self.env.cr.execute(SQL("DROP SEQUENCE IF EXISTS %s", SQL(", ").join(names)))
        return result

    def _round_robin_sequence(self):
        """Turns of the team's rotation are drawn from a sequence, not from a field of the team:
        concurrent creators (portal, e-mail, SMS importers on several workers) neither wait on the
        team's row nor give the same turn twice."""
        self.ensure_one()
        return f"helpdesk_team_round_robin_{self.id}"

    def _create_round_robin_sequences(self):
        for team in self:
            self.env.cr.execute(SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL.identifier(team._round_robin_sequence())))

    def _next_turns(self, count):
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)", self._round_robin_sequence(), count,
        ))
        return [turn for (turn,) in self.env.cr.fetchall()]
