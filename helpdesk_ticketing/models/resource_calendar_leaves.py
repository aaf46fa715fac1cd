from odoo import models


class ResourceCalendarLeaves(models.Model):
    """Public holidays feed the cached SLA intervals: changes clear that cache."""

    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "helpdesk.config.cache.mixin"]
