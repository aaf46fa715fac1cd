from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.fields import Domain


class CachedStage(NamedTuple):
    """A stage as kept in the registry cache for ticket creation."""

    id: int
    team_ids: frozenset
    is_closed: bool


class HelpdeskStage(models.Model):
    """A column of the ticket pipeline; its kind drives approvals, SLA and closing."""

    _name = "helpdesk.stage"
    _description = "Helpdesk Stage"
    _order = "sequence, id"
    _inherit = ["helpdesk.config.cache.mixin"]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("waiting", "Waiting"),
            ("solved", "Solved"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="in_progress",
        help="New: not yet started (allowed while a request awaits validation). "
        "Solved and Cancelled close the ticket; Solved needs the resolution "
        "sign-off where a rule asks for one.",
    )
    is_closed = fields.Boolean(
        compute="_compute_is_closed", store=True, string="Closing Stage"
    )
    fold = fields.Boolean(string="Folded in Kanban")
    team_ids = fields.Many2many(
        "helpdesk.team",
        "helpdesk_stage_team_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage; empty means every team.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "helpdesk.ticket")],
        help="Sent to the customer when a ticket reaches this stage.",
    )

    @api.depends("kind")
    def _compute_is_closed(self):
        for stage in self:
            stage.is_closed = stage.kind in ("solved", "cancelled")

    @api.model
    def _team_domain(self, teams):
        """The stages the tickets of these teams may use: the teams' own and the shared ones."""
        return Domain("team_ids", "=", False) | Domain("team_ids", "in", teams.ids)

    @api.model
    def _of_team(self, team, kinds=None, limit=None):
        """Stages of the team's pipeline in order, optionally only of the given kinds."""
        domain = self._team_domain(team)
        if kinds:
            domain &= Domain("kind", "in", list(kinds))
        return self.search(domain, limit=limit)

    @api.model
    @tools.ormcache()
    def _pipeline(self):
        """Active stages in order, for every user creating tickets (a tuple of CachedStage)."""
        # Stages are configuration readable by every helpdesk user and portal customer.
        return tuple(
            CachedStage(id=s.id, team_ids=frozenset(s.team_ids.ids), is_closed=s.is_closed)
            for s in self.sudo().search([])
        )

    @api.model
    def _first_stage_ids(self, team_ids):
        """{team id or False: first stage id} from the cached pipeline."""
        result = {}
        for stage in self._pipeline():
            if stage.team_ids:
                for team_id in stage.team_ids & set(team_ids):
                    result.setdefault(team_id, stage.id)
            else:
                result.setdefault(False, stage.id)
                for team_id in team_ids:
                    result.setdefault(team_id, stage.id)
        return result

    @api.model
    def _closed_stage_ids(self):
        return {stage.id for stage in self._pipeline() if stage.is_closed}
