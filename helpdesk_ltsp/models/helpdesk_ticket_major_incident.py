from odoo import api, models


class HelpdeskTicket(models.Model):
    """A new ticket about a terminal may be one of many from its server: the detection runs right after."""

    _inherit = "helpdesk.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if any(t.terminal_id.server_id.major_incident_mode not in (False, "off") for t in tickets):
            # Outside the request, by the cron that locks each server: no wait behind another worker.
            cron_id = self.env["ir.model.data"]._xmlid_to_res_id("helpdesk_ltsp.ir_cron_ltsp_major_incident")
            # sudo: triggering the detection job is a technical side effect any creator may cause.
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()
        return tickets
