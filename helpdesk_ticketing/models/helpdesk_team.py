import ast

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Support levels of teams, tickets and their escalations: a ticket escalates from L1 up to L3.
SUPPORT_LEVELS = [("1", "L1"), ("2", "L2"), ("3", "L3")]


class HelpdeskTeam(models.Model):
    """A support team: members, its own stages, e-mail alias, assignment method and support level."""

    _name = "helpdesk.team"
    _description = "Helpdesk Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Html(translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    leader_id = fields.Many2one(
        "res.users", string="Team Leader", domain=[("share", "=", False)], tracking=True, index=True,
        check_company=True,
    )
    member_line_ids = fields.One2many("helpdesk.team.member", "team_id", string="Members", copy=True)
    member_ids = fields.Many2many(
        "res.users",
        compute="_compute_member_ids",
        search="_search_member_ids",
        string="Team Members",
    )
    stage_ids = fields.Many2many(
        "helpdesk.stage",
        "helpdesk_stage_team_rel",
        "team_id",
        "stage_id",
        string="Own Stages",
        help="Stages only this team uses, besides the stages shared by every team.",
    )
    assignment_method = fields.Selection(
        [("manual", "Manual"), ("round_robin", "Round-robin"), ("least_load", "Least open load")],
        required=True,
        default="manual",
        tracking=True,
        help="Manual: agents take tickets from the queue. Round-robin: members in turn. "
        "Least open load: the member with the fewest open tickets. Region and skills "
        "of members narrow the choice first.",
    )
    level = fields.Selection(SUPPORT_LEVELS, string="Support Level", required=True, default="1")
    escalation_team_id = fields.Many2one(
        "helpdesk.team", string="Escalates To", help="Team of the next support level.", index=True,
        check_company=True,
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="SLA deadlines count working hours of this calendar.",
    )
    solution_required = fields.Boolean(
        string="Solution Required to Solve",
        default=True,
        help="A ticket of this team can be solved only once its solution says what was done.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "team_id", string="Tickets")
    # Overview counts: open tickets the current user can see, and approvals waiting for them.
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    my_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    urgent_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    at_risk_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    breached_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    approval_to_decide_count = fields.Integer(compute="_compute_approval_to_decide_count")

    @api.depends("member_line_ids.user_id")
    def _compute_member_ids(self):
        for team in self:
            team.member_ids = team.member_line_ids.user_id

    def _search_member_ids(self, operator, value):
        return [("member_line_ids.user_id", operator, value)]

    @api.depends_context("uid")
    def _compute_ticket_counts(self):
        """One grouped query, read as the current user: each count is what its list will show."""
        groups = self.env["helpdesk.ticket"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id", "user_id", "priority", "sla_status"],
            ["__count"],
        )
        keys = ("open", "my", "unassigned", "urgent", "at_risk", "breached")
        counts = {team.id: dict.fromkeys(keys, 0) for team in self}
        for team, user, priority, sla_status, count in groups:
            team_counts = counts[team.id]
            team_counts["open"] += count
            team_counts["my"] += count if user == self.env.user else 0
            team_counts["unassigned"] += count if not user else 0
            team_counts["urgent"] += count if priority == "3" else 0
            team_counts["at_risk"] += count if sla_status == "at_risk" else 0
            team_counts["breached"] += count if sla_status == "breached" else 0
        for team in self:
            team_counts = counts.get(team.id) or dict.fromkeys(keys, 0)
            team.open_ticket_count = team_counts["open"]
            team.my_ticket_count = team_counts["my"]
            team.unassigned_ticket_count = team_counts["unassigned"]
            team.urgent_ticket_count = team_counts["urgent"]
            team.at_risk_ticket_count = team_counts["at_risk"]
            team.breached_ticket_count = team_counts["breached"]

    @api.depends_context("uid")
    def _compute_approval_to_decide_count(self):
        counts = dict(self.env["helpdesk.ticket"]._read_group(
            [("team_id", "in", self.ids), *self._approval_to_decide_domain()], ["team_id"], ["__count"],
        ))
        for team in self:
            team.approval_to_decide_count = counts.get(team, 0)

    @api.model
    def _approval_to_decide_domain(self):
        """Tickets with an approval waiting for the current user (the ticket search view's filter)."""
        return [("approval_ids", "any", [("state", "=", "pending"), ("approver_ids", "in", [self.env.uid])])]

    @api.constrains("escalation_team_id")
    def _check_escalation_team(self):
        if self._has_cycle("escalation_team_id"):
            raise ValidationError(self.env._("Escalation teams cannot form a loop."))

    # ------------------------------------------------------------------
    # Mail alias: incoming e-mail creates a ticket in this team
    # ------------------------------------------------------------------
    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("helpdesk.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults.setdefault("channel", "email")
        return values

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------
    def _assign_users(self, requests):
        """Choose an assignee for each request of this team.

        requests: list of (key, region, category id); returns {key: user id}. Loads are read
        once per batch and updated in memory, so a batch costs a constant number of queries.
        """
        self.ensure_one()
        if self.assignment_method == "manual":
            return {}
        members = self.member_line_ids.filtered(lambda m: m.available and m.user_id.active)
        if not members:
            return {}
        order = members.user_id.ids
        loads = dict.fromkeys(order, 0)
        if self.assignment_method == "least_load":
            for user, count in self.env["helpdesk.ticket"]._read_group(
                [("team_id", "=", self.id), ("is_closed", "=", False), ("user_id", "in", order)],
                ["user_id"],
                ["__count"],
            ):
                loads[user.id] = count
        turns = iter(self._next_turns(len(requests)) if self.assignment_method == "round_robin" else ())
        result = {}
        for key, region, category_id in requests:
            candidates = members
            if region:
                in_region = candidates.filtered(lambda m, r=region: (m.region or "").lower() == r.lower())
                candidates = in_region or candidates
            if category_id:
                skilled = candidates.filtered(lambda m, c=category_id: c in m.category_ids.ids)
                candidates = skilled or candidates
            user_ids = [uid for uid in order if uid in candidates.user_id.ids]
            if self.assignment_method == "least_load":
                user_id = min(user_ids, key=lambda uid: (loads[uid], order.index(uid)))
            else:
                start = (next(turns) - 1) % len(order)
                rotated = order[start:] + order[:start]
                user_id = next(uid for uid in rotated if uid in user_ids)
            loads[user_id] += 1
            result[key] = user_id
        return result

    @api.readonly
    def action_view_tickets(self):
        return self._action_view_tickets()

    @api.readonly
    def action_view_my_tickets(self):
        return self._action_view_tickets("filter_my")

    @api.readonly
    def action_view_unassigned_tickets(self):
        return self._action_view_tickets("filter_unassigned")

    @api.readonly
    def action_view_urgent_tickets(self):
        return self._action_view_tickets("filter_urgent")

    @api.readonly
    def action_view_at_risk_tickets(self):
        return self._action_view_tickets("filter_sla_at_risk")

    @api.readonly
    def action_view_breached_tickets(self):
        return self._action_view_tickets("filter_sla_breached")

    @api.readonly
    def action_view_approvals_to_decide(self):
        return self._action_view_tickets("filter_my_approvals", open_only=False)

    def _action_view_tickets(self, search_filter=None, open_only=True):
        """The team's tickets, narrowed by a filter of the ticket search view that the user sees
        (and may remove) in the search bar; the overview counts the same tickets."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_action")
        action["display_name"] = action["name"] = self.display_name
        action["domain"] = [("team_id", "=", self.id)]
        context = {"default_team_id": self.id}
        if open_only:
            context["search_default_filter_open"] = 1
        if search_filter:
            context[f"search_default_{search_filter}"] = 1
        action["context"] = context
        return action
