from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

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
