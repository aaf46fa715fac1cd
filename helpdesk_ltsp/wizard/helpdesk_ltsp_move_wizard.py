from odoo import fields, models


class HelpdeskLtspMoveWizard(models.TransientModel):
    """Bulk move of terminals to another LTSP server (a new server room, a replaced server)."""

    _name = "helpdesk.ltsp.move.wizard"
    _description = "Move LTSP Terminals"

    terminal_ids = fields.Many2many("helpdesk.ltsp.terminal", string="Terminals", required=True)
    server_id = fields.Many2one("helpdesk.ltsp.server", string="New LTSP Server", required=True)
    make_dynamic = fields.Boolean(
        string="Switch to Dynamic Addresses",
        help="Fixed addresses rarely fit the new network: let the new server's DHCP choose them.",
    )

    def action_move(self):
        self.ensure_one()
        vals = {"server_id": self.server_id.id}
        if self.make_dynamic:
            vals.update(ip_mode="dynamic", ip_address=False)
        old_servers = self.terminal_ids.server_id
        self.terminal_ids.write(vals)
        for server in old_servers | self.server_id:
            server.message_post(
                body=self.env._(
                    "%(count)s terminals moved to %(server)s: publish the configuration again.",
                    count=len(self.terminal_ids),
                    server=self.server_id.name,
                )
            )
        return {"type": "ir.actions.act_window_close"}
