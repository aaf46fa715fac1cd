from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # Record rules name the user's teams by id ("team_id in user.helpdesk_team_ids.ids"): PostgreSQL plans that
    # in a fraction of the time of a sub-select on team members, and every query of an agent carries the rules.
    # The rules are cached per user: helpdesk.team.member clears the cache when memberships change.
    helpdesk_team_ids = fields.Many2many(
        "helpdesk.team", string="Helpdesk Teams", compute="_compute_helpdesk_team_ids", compute_sudo=True,
        help="The helpdesk teams the user is a member of.",
    )

    def _compute_helpdesk_team_ids(self):
        members = self.env["helpdesk.team.member"].search([("user_id", "in", self.ids)]).grouped("user_id")
        for user in self:
            user.helpdesk_team_ids = members.get(user, self.env["helpdesk.team.member"]).team_id

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_helpdesk_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._set_helpdesk_home_action()
        return result

    @api.model
    def _init_helpdesk_home_action(self):
        """Existing helpdesk staff get the overview as home action too (run at install and update)."""
        group = self.env.ref("helpdesk_ticketing.group_helpdesk_user")
        self.search([("all_group_ids", "in", group.ids), ("action_id", "=", False)])._set_helpdesk_home_action()

    def _set_helpdesk_home_action(self):
        """Helpdesk staff start in the Helpdesk overview instead of the first app (Discuss).
        A home action chosen by hand is kept."""
        action = self.env.ref("helpdesk_ticketing.helpdesk_team_action_dashboard", raise_if_not_found=False)
        staff = self.filtered(
            lambda user: not user.action_id and not user.share
            and user.has_group("helpdesk_ticketing.group_helpdesk_user")
        )
        if action and staff:
            staff.action_id = action.id
