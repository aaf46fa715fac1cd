from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.ltsp_syntax import check_parameter

# Written by the helpdesk itself; a parameter of the same name would silently replace it.
RESERVED_KEYS = {"POST_INIT_HELPDESK_HEARTBEAT", "POST_SESSION_HELPDESK_HEARTBEAT"}


class HelpdeskLtspParameter(models.Model):
    """One `NAME=value` line of ltsp.conf, for a server's special sections or for one terminal."""

    _name = "helpdesk.ltsp.parameter"
    _description = "LTSP Parameter"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    server_id = fields.Many2one(
        "helpdesk.ltsp.server", string="LTSP Server", ondelete="cascade", index="btree_not_null"
    )
    terminal_id = fields.Many2one(
        "helpdesk.ltsp.terminal", string="Terminal", ondelete="cascade", index="btree_not_null"
    )
    section = fields.Selection(
        [
            ("clients", "All clients [clients]"),
            ("common", "Server and clients [common]"),
            ("server", "Server [server]"),
        ],
        default="clients",
        required=True,
        help="Section of ltsp.conf for a server's parameter; a terminal's parameters go to its [MAC] section.",
    )
    key = fields.Char(string="Name", required=True, help="e.g. AUTOLOGIN, X_MODES, LOCAL_APPS")
    value = fields.Char(help='Written between single quotes; e.g. "1024x768" "800x600" for X_MODES.')
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)

    _owner_check = models.Constraint(
        "CHECK ((server_id IS NULL) <> (terminal_id IS NULL))",
        "A parameter belongs either to an LTSP server or to a terminal.",
    )
    _server_key_uniq = models.Constraint(
        "unique (server_id, section, key)", "This parameter is already set in this section of the server."
    )
    _terminal_key_uniq = models.Constraint(
        "unique (terminal_id, key)", "This parameter is already set on the terminal."
    )

    @api.depends("server_id.company_id", "terminal_id.company_id")
    def _compute_company_id(self):
        for param in self:
            param.company_id = param.server_id.company_id or param.terminal_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if isinstance(vals.get("key"), str):
                vals["key"] = vals["key"].upper()
        return super().create(vals_list)

    def write(self, vals):
        if isinstance(vals.get("key"), str):
            vals["key"] = vals["key"].upper()
        return super().write(vals)

    @api.constrains("key", "value")
    def _check_shell_syntax(self):
        for param in self:
            check_parameter(self.env, param.key, param.value)
            if param.terminal_id and param.key == "HOSTNAME":
                raise ValidationError(self.env._("HOSTNAME comes from the terminal's Hostname field: change it there."))
            if param.key in RESERVED_KEYS:
                raise ValidationError(
                    self.env._(
                        "%(key)s is written by the helpdesk for the heartbeat: choose another name.", key=param.key
                    )
                )
