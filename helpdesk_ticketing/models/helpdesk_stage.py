from odoo import api, fields, models


class HelpdeskStage(models.Model):
    """A column of the ticket pipeline; its kind drives approvals, SLA and closing."""

    _name = "helpdesk.stage"
    _description = "Helpdesk Stage"
    _order = "sequence, id"

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
