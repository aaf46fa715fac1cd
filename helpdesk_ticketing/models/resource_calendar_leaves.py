from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays of a calendar the SLA plans with are cut out of the cached working intervals:
    adding, moving or removing one clears that cache. Time off (a leave of one resource, as the Time
    Off app writes one per approved leave) and holidays of other calendars leave it alone."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        if leaves._change_sla_plans():
            self.env.registry.clear_cache()
        return leaves

    def write(self, vals):
        changed = self._change_sla_plans()
        result = super().write(vals)
        if changed or self._change_sla_plans():
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        if self._change_sla_plans():
            self.env.registry.clear_cache()
        return super().unlink()

    def _change_sla_plans(self):
        """Whether these leaves are public holidays of a calendar SLA deadlines are counted in."""
        holidays = self.filtered(lambda leave: not leave.resource_id)
        if not holidays:
            return False
        if not all(holidays.calendar_id):  # a holiday of every calendar
            return True
        return bool(holidays.calendar_id & self.env["helpdesk.sla"]._planning_calendars())
