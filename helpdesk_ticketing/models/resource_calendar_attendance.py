from odoo import models


class ResourceCalendarAttendance(models.Model):
    """Working hours feed the cached SLA intervals: changes clear that cache."""

    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "helpdesk.config.cache.mixin"]
