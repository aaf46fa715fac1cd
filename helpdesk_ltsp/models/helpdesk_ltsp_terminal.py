from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.ltsp_syntax import normalize_hostname, normalize_mac, parse_ip

# A terminal that said hello within this delay counts as online.
ONLINE_DELAY = timedelta(minutes=15)
# dnsmasq reads these words in a dhcp-host line as options, not as a hostname.
DNSMASQ_KEYWORDS = {"infinite", "ignore"}


class HelpdeskLtspTerminal(models.Model):
    """A diskless LTSP thin client at a customer's counter, lab or office; most tickets are about one."""

    _name = "helpdesk.ltsp.terminal"
    _description = "LTSP Terminal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "server_id, name, id"
    _rec_names_search = ["name", "mac_address", "location", "ip_address"]

    name = fields.Char(string="Hostname", required=True, tracking=True, help="DNS label, e.g. loket-01.")
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        [("draft", "To Review"), ("active", "In Service"), ("maintenance", "In Maintenance")],
        string="Status",
        required=True,
        default="active",
        index=True,
        tracking=True,
        help="To Review: discovered on the network, not yet in the generated configuration.",
    )
    server_id = fields.Many2one(
        "helpdesk.ltsp.server", string="LTSP Server", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="server_id.company_id", store=True, index=True)
    mac_address = fields.Char(string="MAC Address", required=True, tracking=True, copy=False)
    ip_mode = fields.Selection(
        [("dynamic", "Dynamic"), ("fixed", "Fixed")], string="Address", required=True, default="dynamic"
    )
    ip_address = fields.Char(string="Fixed IP", tracking=True, copy=False)
    location = fields.Char(string="Location / Room", index="trigram", help="e.g. Loket 3, Lab Komputer 2")
    site_id = fields.Many2one(
        "helpdesk.site",
        string="Site / Branch",
        index="btree_not_null",
        domain="['|', ('partner_id', '=', False), ('partner_id', '=', commercial_partner_id)]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index="btree_not_null",
        tracking=True,
        help="Customer who owns the terminal; tickets about it are theirs.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index="btree_not_null", string="Owner Company"
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain=[("share", "=", False)],
        index="btree_not_null",
        tracking=True,
        help="Employee who looks after this terminal on site.",
    )
    parameter_ids = fields.One2many("helpdesk.ltsp.parameter", "terminal_id", string="LTSP Parameters")
    last_seen = fields.Datetime(readonly=True, copy=False, index="btree_not_null")
    last_event = fields.Selection(
        [("boot", "Boot"), ("login", "Login"), ("lease", "DHCP lease")], readonly=True, copy=False
    )
    last_ip = fields.Char(string="Last Address", readonly=True, copy=False)
    connection_status = fields.Selection(
        [("online", "Online"), ("offline", "Offline"), ("never", "Never Seen")], compute="_compute_connection_status"
    )
    notes = fields.Html()
    ticket_ids = fields.One2many("helpdesk.ticket", "terminal_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    _mac_server_uniq = models.Constraint(
        "unique (server_id, mac_address)", "This MAC address is already registered on this LTSP server."
    )
    _name_server_uniq = models.Constraint(
        "unique (server_id, name)", "This hostname is already used on this LTSP server."
    )
    _ip_server_uniq = models.Constraint(
        "unique (server_id, ip_address)", "This fixed IP is already used on this LTSP server."
    )
    _fixed_ip_check = models.Constraint(
        "CHECK (ip_mode = 'dynamic' OR ip_address IS NOT NULL)", "A terminal with a fixed address needs its IP."
    )

    def _compute_connection_status(self):
        limit = fields.Datetime.now() - ONLINE_DELAY
        for terminal in self:
            if not terminal.last_seen:
                terminal.connection_status = "never"
            else:
                terminal.connection_status = "online" if terminal.last_seen >= limit else "offline"

    def _compute_ticket_counts(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [("terminal_id", "in", self.ids)], ["terminal_id", "is_closed"], ["__count"]
        )
        total, open_ = {}, {}
        for terminal, is_closed, count in groups:
            total[terminal.id] = total.get(terminal.id, 0) + count
            if not is_closed:
                open_[terminal.id] = open_.get(terminal.id, 0) + count
        for terminal in self:
            terminal.ticket_count = total.get(terminal.id, 0)
            terminal.open_ticket_count = open_.get(terminal.id, 0)

    @api.onchange("site_id")
    def _onchange_site_id(self):
        if self.site_id.partner_id and not self.partner_id:
            self.partner_id = self.site_id.partner_id

    @api.onchange("server_id")
    def _onchange_server_id(self):
        if self.server_id and not self.partner_id:
            self.partner_id = self.server_id.partner_id
        if self.server_id.site_id and not self.site_id:
            self.site_id = self.server_id.site_id

    # ------------------------------------------------------------------
    # Normalisation and checks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        self._check_duplicates(
            [
                {"id": False, **{f: vals.get(f) or False for f in ("server_id", "mac_address", "name", "ip_address")}}
                for vals in vals_list
            ]
        )
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        if {"server_id", "mac_address", "name", "ip_address", "ip_mode"} & set(vals):
            self._check_duplicates(
                [
                    {
                        "id": terminal.id,
                        "server_id": vals.get("server_id", terminal.server_id.id),
                        "mac_address": vals.get("mac_address", terminal.mac_address),
                        "name": vals.get("name", terminal.name),
                        "ip_address": vals.get("ip_address", terminal.ip_address),
                    }
                    for terminal in self
                ]
            )
        return super().write(vals)

    def _normalize_vals(self, vals):
        """Store MAC, hostname and IP in one canonical form, so uniqueness means what users expect."""
        if "mac_address" in vals:
            vals["mac_address"] = normalize_mac(self.env, vals["mac_address"])
        if "name" in vals:
            vals["name"] = normalize_hostname(self.env, vals["name"])
            if vals["name"] in DNSMASQ_KEYWORDS or vals["name"][0].isdigit():
                raise ValidationError(
                    self.env._(
                        "“%(name)s” cannot be a hostname for dnsmasq: start it with a letter and do not use "
                        "“infinite” or “ignore”.",
                        name=vals["name"],
                    )
                )
        if vals.get("ip_mode") == "dynamic":
            vals["ip_address"] = False
        elif vals.get("ip_address"):
            vals["ip_address"] = str(parse_ip(self.env, vals["ip_address"]))

    @api.constrains("ip_address", "ip_mode", "server_id")
    def _check_ip_in_range(self):
        for terminal in self.filtered(lambda t: t.ip_mode == "fixed"):
            if not terminal.ip_address:
                raise ValidationError(
                    self.env._("Terminal %(name)s has a fixed address: enter its IP.", name=terminal.name)
                )
            network = terminal.server_id._network()
            ip = parse_ip(self.env, terminal.ip_address)
            if ip not in network or ip in (network.network_address, network.broadcast_address):
                raise ValidationError(
                    self.env._(
                        "The IP %(ip)s of terminal %(name)s is outside the network range %(range)s of server "
                        "%(server)s.",
                        ip=terminal.ip_address,
                        name=terminal.name,
                        range=terminal.server_id.network,
                        server=terminal.server_id.name,
                    )
                )
            if terminal.server_id.server_ip == terminal.ip_address:
                raise ValidationError(
                    self.env._(
                        "The IP %(ip)s of terminal %(name)s is the address of the LTSP server itself.",
                        ip=terminal.ip_address,
                        name=terminal.name,
                    )
                )

    def _check_duplicates(self, candidates):
        """Before writing: name the terminal already holding a MAC, hostname or IP (one query per batch).

        The unique constraints stay as the last guard when two workers register the same terminal at once.
        """
        fields_checked = ("mac_address", "name", "ip_address")
        existing = self.with_context(active_test=False).search_read(
            [
                ("server_id", "in", list({c["server_id"] for c in candidates if c["server_id"]})),
                ("id", "not in", [c["id"] for c in candidates if c["id"]]),
                "|",
                "|",
                ("mac_address", "in", [c["mac_address"] for c in candidates if c["mac_address"]]),
                ("name", "in", [c["name"] for c in candidates if c["name"]]),
                ("ip_address", "in", [c["ip_address"] for c in candidates if c["ip_address"]]),
            ],
            ["server_id", *fields_checked],
        )
        seen = {}
        for row in existing:
            for field_name in fields_checked:
                if row[field_name]:
                    seen[(row["server_id"][0], field_name, row[field_name])] = row["name"]
        servers = self.env["helpdesk.ltsp.server"].browse({c["server_id"] for c in candidates if c["server_id"]})
        for candidate in candidates:
            for field_name in fields_checked:
                key = (candidate["server_id"], field_name, candidate[field_name])
                if not candidate[field_name]:
                    continue
                if key in seen:
                    server = servers.browse(candidate["server_id"])
                    raise ValidationError(self._duplicate_message(field_name, candidate[field_name], seen[key], server))
                seen[key] = candidate["name"]

    def _duplicate_message(self, field_name, value, holder, server):
        names = {"holder": holder, "value": value, "server": server.name}
        if field_name == "mac_address":
            return self.env._(
                "MAC address %(value)s is already registered on server %(server)s as terminal "
                "%(holder)s (it may be archived).",
                **names,
            )
        if field_name == "name":
            return self.env._("Hostname %(value)s is already used on server %(server)s (it may be archived).", **names)
        return self.env._("IP %(value)s is already given to terminal %(holder)s on server %(server)s.", **names)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Reviewed drafts and repaired terminals go (back) into service."""
        self.filtered(lambda t: t.state != "active").write({"state": "active"})
        return True

    def action_maintenance(self):
        self.write({"state": "maintenance"})
        return True

    @api.readonly
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_action")
        action.update(
            domain=[("terminal_id", "=", self.id)],
            context=self._ticket_defaults(),
        )
        return action

    def action_create_ticket(self):
        """A new ticket about this terminal, with its customer and location filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Ticket"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._ticket_defaults(),
        }

    def _ticket_defaults(self):
        context = {"default_terminal_id": self.id}
        if self.partner_id:
            context["default_partner_id"] = self.partner_id.id
        if self.site_id:
            context["default_site_id"] = self.site_id.id
        return context

    def action_regenerate_config(self):
        self.server_id.action_publish_config()
        return True

    @api.readonly
    def action_open_move_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Move to Another LTSP Server"),
            "res_model": "helpdesk.ltsp.move.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_terminal_ids": self.ids},
        }
