from odoo import models


class ResourceCalendar(models.Model):
    """SLA planning caches working intervals per calendar: changes clear that cache."""

    _name = "resource.calendar"
    _inherit = ["resource.calendar", "helpdesk.config.cache.mixin"]
