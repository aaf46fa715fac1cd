import hashlib
import ipaddress
import re
from datetime import UTC, datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.ltsp_syntax import comment_text, parse_ip, parse_network, shell_quote

URL_RE = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/\-]*)?$")
SECTIONS = ("server", "common", "clients")


class HelpdeskLtspServer(models.Model):
    """An LTSP server: its network, its dnsmasq mode, the defaults of its clients and its terminals.

    The server pulls the `ltsp.conf` and dnsmasq hosts published here with its own token; its
    terminals send their heartbeat with a second one.
    """

    _name = "helpdesk.ltsp.server"
    _description = "LTSP Server"
    _inherit = ["mail.thread", "helpdesk.machine.endpoint.mixin"]
    _endpoint_token_fields = ("token", "heartbeat_token")
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        tracking=True,
        help="Customer whose terminals this server boots.",
    )
    site_id = fields.Many2one("helpdesk.site", string="Site / Branch", index="btree_not_null")
    network = fields.Char(
        string="Network Range",
        required=True,
        default="192.168.67.0/24",
        tracking=True,
        help="Range of the terminals' network, e.g. 192.168.67.0/24. Fixed addresses must be in it.",
    )
    server_ip = fields.Char(string="Server Address", help="Address of the LTSP server in the network range.")
    dhcp_mode = fields.Selection(
        [("full", "Full DHCP"), ("proxy", "proxyDHCP")],
        string="DHCP Mode",
        required=True,
        default="full",
        tracking=True,
        help="Full DHCP: dnsmasq on the LTSP server hands out addresses and fixed addresses come from here. "
        "proxyDHCP: another DHCP server hands out addresses, dnsmasq only sends the boot information.",
    )
    lease_hours = fields.Integer(
        string="Lease Time (hours)",
        default=12,
        required=True,
        help="Lease time of dnsmasq's dhcp-range, used to date the last lease of a terminal.",
    )
    parameter_ids = fields.One2many(
        "helpdesk.ltsp.parameter",
        "server_id",
        string="Default Parameters",
        help="Written to the [server], [common] and [clients] sections of ltsp.conf.",
    )
    terminal_ids = fields.One2many("helpdesk.ltsp.terminal", "server_id", string="Terminals")
    terminal_count = fields.Integer(compute="_compute_terminal_counts")
    draft_terminal_count = fields.Integer(compute="_compute_terminal_counts")
    helpdesk_url = fields.Char(
        string="Helpdesk URL for Terminals",
        # sudo: system parameters are admin-only; web.base.url is the public address of this Odoo.
        default=lambda self: self.env["ir.config_parameter"].sudo().get_param("web.base.url"),
        help="Address of this Odoo as the terminals reach it, used by the boot/login heartbeat.",
    )
    token = fields.Char(
        string="Configuration Token", help="Secret of the LTSP server to pull its configuration and push its leases."
    )
    heartbeat_token = fields.Char(
        copy=False,
        readonly=True,
        default=lambda self: self._new_token(),
        groups="helpdesk_ticketing.group_helpdesk_manager",
        help="Secret the terminals send with their heartbeat; it is readable by every "
        "terminal, so it only allows heartbeats.",
    )
    ltsp_conf_preview = fields.Text(string="ltsp.conf (preview)", compute="_compute_previews")
    dnsmasq_conf_preview = fields.Text(string="dnsmasq hosts (preview)", compute="_compute_previews")
    published_ltsp_conf = fields.Text(string="Published ltsp.conf", readonly=True, copy=False)
    published_dnsmasq_conf = fields.Text(string="Published dnsmasq hosts", readonly=True, copy=False)
    published_date = fields.Datetime(readonly=True, copy=False)
    config_pending = fields.Boolean(string="Changes Not Published", compute="_compute_previews")
    last_contact_date = fields.Datetime(string="Last Pulled")
    last_discovery_date = fields.Datetime(
        string="Last Discovery", readonly=True, copy=False, help="Last import of leases or of an unknown terminal."
    )
    ltsp_conf_url = fields.Char(string="ltsp.conf URL", compute="_compute_urls")
    dnsmasq_conf_url = fields.Char(string="dnsmasq URL", compute="_compute_urls")
    leases_url = fields.Char(string="Leases Upload URL", compute="_compute_urls")

    _name_company_uniq = models.Constraint(
        "unique (company_id, name)", "An LTSP server with this name already exists in this company."
    )
    _lease_hours_positive = models.Constraint("CHECK (lease_hours > 0)", "The lease time must be at least one hour.")

    @api.depends("terminal_ids.state")
    def _compute_terminal_counts(self):
        groups = self.env["helpdesk.ltsp.terminal"]._read_group(
            [("server_id", "in", self.ids)], ["server_id", "state"], ["__count"]
        )
        counts = {}
        for server, state, count in groups:
            counts.setdefault(server.id, {})[state] = count
        for server in self:
            by_state = counts.get(server.id, {})
            server.terminal_count = sum(by_state.values())
            server.draft_terminal_count = by_state.get("draft", 0)

    @api.depends(
        "name",
        "dhcp_mode",
        "network",
        "helpdesk_url",
        "parameter_ids.key",
        "parameter_ids.value",
        "parameter_ids.section",
        "terminal_ids.name",
        "terminal_ids.mac_address",
        "terminal_ids.ip_address",
        "terminal_ids.ip_mode",
        "terminal_ids.state",
        "terminal_ids.location",
        "terminal_ids.parameter_ids.key",
        "terminal_ids.parameter_ids.value",
        "published_ltsp_conf",
        "published_dnsmasq_conf",
    )
    def _compute_previews(self):
        for server in self:
            server.ltsp_conf_preview = server._render_ltsp_conf()
            server.dnsmasq_conf_preview = server._render_dnsmasq_conf()
            server.config_pending = server.ltsp_conf_preview != (
                server.published_ltsp_conf or ""
            ) or server.dnsmasq_conf_preview != (server.published_dnsmasq_conf or "")

    @api.depends("helpdesk_url")
    def _compute_urls(self):
        for server in self:
            base = f"{server.helpdesk_url or ''}/helpdesk_ltsp/{server.id or 0}"
            server.ltsp_conf_url = f"{base}/ltsp.conf"
            server.dnsmasq_conf_url = f"{base}/dnsmasq.conf"
            server.leases_url = f"{base}/leases"

    @api.constrains("network", "server_ip")
    def _check_network(self):
        for server in self:
            network = parse_network(self.env, server.network)
            if server.server_ip and parse_ip(self.env, server.server_ip) not in network:
                raise ValidationError(
                    self.env._(
                        "The server address %(ip)s is outside the network range %(range)s.",
                        ip=server.server_ip,
                        range=server.network,
                    )
                )

    @api.constrains("helpdesk_url")
    def _check_helpdesk_url(self):
        for server in self:
            if server.helpdesk_url and not URL_RE.match(server.helpdesk_url):
                raise ValidationError(
                    self.env._(
                        "“%(url)s” is not a plain http(s) address, e.g. https://helpdesk.example.co.id.",
                        url=server.helpdesk_url,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    def _normalize_vals(self, vals):
        if vals.get("network"):
            vals["network"] = str(parse_network(self.env, vals["network"]))
        if vals.get("server_ip"):
            vals["server_ip"] = str(parse_ip(self.env, vals["server_ip"]))
        if vals.get("helpdesk_url"):
            vals["helpdesk_url"] = vals["helpdesk_url"].strip().rstrip("/")

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def _network(self):
        return ipaddress.IPv4Network(self.network)

    def _published_terminals(self):
        """Terminals written to the configuration: reviewed ones; drafts boot with the defaults."""
        return self.terminal_ids.filtered(lambda t: t.state != "draft").sorted(lambda t: (t.name, t.id))

    def _heartbeat_url(self):
        return f"{self.helpdesk_url or ''}/helpdesk_ltsp/heartbeat/{self.id}"

    def _render_ltsp_conf(self):
        """ltsp.conf in the format of man ltsp.conf(5): special sections, then one [MAC] section per terminal."""
        self.ensure_one()
        lines = [
            "# /etc/ltsp/ltsp.conf for LTSP server “%s”, generated by the helpdesk." % comment_text(self.name),
            "# Do not edit on the server: it is replaced at the next pull. Documentation=man:ltsp.conf(5)",
        ]
        params = self.parameter_ids.sorted(lambda p: (p.sequence, p.id))
        for section in SECTIONS:
            lines += ["", f"[{section}]"]
            lines += [f"{p.key}={shell_quote(p.value or '')}" for p in params if p.section == section]
            if section == "clients" and self.id and self.helpdesk_url:
                lines += [
                    "# Heartbeat: tell the helpdesk when a terminal boots and when someone logs in",
                    "POST_INIT_HELPDESK_HEARTBEAT='section_helpdesk_heartbeat boot'",
                    "POST_SESSION_HELPDESK_HEARTBEAT='section_helpdesk_heartbeat login'",
                ]
        for terminal in self._published_terminals():
            label = " — ".join(filter(None, [terminal.name, comment_text(terminal.location)]))
            lines += ["", f"# {label}", f"[{terminal.mac_address}]", f"HOSTNAME={shell_quote(terminal.name)}"]
            lines += [
                f"{p.key}={shell_quote(p.value or '')}"
                for p in terminal.parameter_ids.sorted(lambda p: (p.sequence, p.id))
            ]
        if self.id and self.helpdesk_url:
            lines += ["", *self._heartbeat_section()]
        return "\n".join(lines) + "\n"

    def _heartbeat_section(self):
        """A named section, called from POST_INIT_x/POST_SESSION_x: LTSP turns it into a shell function."""
        # sudo: the heartbeat token is a field of managers; it is written into every terminal's ltsp.conf anyway.
        token = self.sudo().heartbeat_token
        url = self._heartbeat_url()
        data = "mac=$MAC_ADDRESS&ip=$IP_ADDRESS&hostname=$HOSTNAME&event=${1:-boot}"
        return [
            "[helpdesk_heartbeat]",
            "# Generated: report this terminal to the helpdesk; never blocks the boot for more than 5 seconds.",
            f'helpdesk_heartbeat_data="{data}"',
            "if command -v curl >/dev/null 2>&1; then",
            f"    curl -fsS --max-time 5 -H 'Authorization: Bearer {token}' --data \"$helpdesk_heartbeat_data\" "
            f"'{url}' >/dev/null 2>&1 || true",
            "else",
            f"    wget -q -T 5 --header 'Authorization: Bearer {token}' --post-data \"$helpdesk_heartbeat_data\" "
            f"-O /dev/null '{url}' >/dev/null 2>&1 || true",
            "fi",
        ]

    def _render_dnsmasq_conf(self):
        """dnsmasq `dhcp-host=` lines, for a file next to the one `ltsp dnsmasq` writes in /etc/dnsmasq.d/."""
        self.ensure_one()
        lines = [
            "# /etc/dnsmasq.d/ltsp-helpdesk.conf for LTSP server “%s”, generated by the helpdesk."
            % comment_text(self.name),
        ]
        terminals = self._published_terminals()
        if self.dhcp_mode == "proxy":
            lines.append("# proxyDHCP: the main DHCP server hands out addresses; reserve these there:")
            lines += [f"# {t.mac_address} {t.ip_address or 'dynamic'} {t.name}" for t in terminals]
        else:
            for terminal in terminals:
                if terminal.ip_mode == "fixed" and terminal.ip_address:
                    lines.append(f"dhcp-host={terminal.mac_address},{terminal.ip_address},{terminal.name}")
                else:
                    lines.append(f"dhcp-host={terminal.mac_address},{terminal.name}")
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_publish_config(self):
        """Regenerate: publish what the preview shows, for the server's next pull."""
        now = fields.Datetime.now()
        for server in self:
            server.write(
                {
                    "published_ltsp_conf": server._render_ltsp_conf(),
                    "published_dnsmasq_conf": server._render_dnsmasq_conf(),
                    "published_date": now,
                }
            )
            server.message_post(body=self.env._("Configuration regenerated and published for the next pull."))
        return True

    def action_regenerate_token(self):
        super().action_regenerate_token()
        for server in self:
            server.message_post(
                body=self.env._("Tokens replaced: update the pull timer on the LTSP server and publish.")
            )
        return True

    @api.readonly
    def action_view_terminals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ltsp.helpdesk_ltsp_terminal_action")
        action["domain"] = [("server_id", "=", self.id)]
        action["context"] = {
            "default_server_id": self.id,
            **{key: value for key, value in self.env.context.items() if key.startswith("search_default_")},
        }
        return action

    @api.readonly
    def action_open_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Terminals"),
            "res_model": "helpdesk.ltsp.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_server_id": self.id},
        }

    # ------------------------------------------------------------------
    # Machine endpoints (called by the controller after the token check)
    # ------------------------------------------------------------------
    @staticmethod
    def _etag(content):
        return hashlib.sha256((content or "").encode()).hexdigest()

    def _lock(self):
        """Serialise discovery of one server across workers, so an unknown MAC becomes one draft only.

        The UPDATE waits for a concurrent discovery of the same server; under Odoo's REPEATABLE READ it then
        fails with a serialization error if that discovery committed meanwhile, and Odoo retries the request
        with a fresh snapshot that sees the new terminals.
        """
        self.env.cr.execute(
            "UPDATE helpdesk_ltsp_server SET last_discovery_date = now() AT TIME ZONE 'UTC' WHERE id IN %s",
            [tuple(self.ids)],
        )
        self.invalidate_recordset(["last_discovery_date"])

    def _register_heartbeat(self, mac, ip=False, hostname=False, event="boot"):
        """A terminal said hello: update its status, or register it as a draft to review."""
        self.ensure_one()
        Terminal = self.env["helpdesk.ltsp.terminal"].with_context(active_test=False)
        vals = {"last_seen": fields.Datetime.now(), "last_event": event}
        if ip and parse_ip(self.env, ip) in self._network():
            vals["last_ip"] = ip
        terminal = Terminal.search([("server_id", "=", self.id), ("mac_address", "=", mac)], limit=1)
        if not terminal:
            self._lock()
            terminal = Terminal.search([("server_id", "=", self.id), ("mac_address", "=", mac)], limit=1)
        if terminal:
            terminal.write(vals)
            return terminal
        return self._create_draft_terminals([{"mac": mac, "hostname": hostname, "ip": ip, **vals}])

    def _create_draft_terminals(self, entries):
        """Create draft terminals for MACs seen on the network but not registered yet (one batch)."""
        self.ensure_one()
        taken = set(self.with_context(active_test=False).terminal_ids.mapped("name"))
        vals_list = []
        for entry in entries:
            name = entry.get("hostname")
            if not name or name in taken:
                name = "ltsp-" + entry["mac"].replace(":", "")
            taken.add(name)
            vals_list.append(
                {
                    "server_id": self.id,
                    "name": name,
                    "mac_address": entry["mac"],
                    "ip_mode": "dynamic",
                    "state": "draft",
                    "last_seen": entry.get("last_seen"),
                    "last_ip": entry.get("last_ip") or entry.get("ip") or False,
                    "last_event": entry.get("last_event", "lease"),
                }
            )
        return self.env["helpdesk.ltsp.terminal"].create(vals_list)

    def _import_leases(self, leases):
        """Apply parsed dnsmasq leases: last-seen of known terminals, drafts for unknown MACs.

        Returns (created terminals, updated count). The whole file is applied in one transaction.
        """
        self.ensure_one()
        self._lock()
        network = self._network()
        known = {
            t.mac_address: t
            for t in self.env["helpdesk.ltsp.terminal"]
            .with_context(active_test=False)
            .search([("server_id", "=", self.id), ("mac_address", "in", [lease["mac"] for lease in leases])])
        }
        new_entries, seen = [], {}
        for lease in leases:
            if ipaddress.IPv4Address(lease["ip"]) not in network:
                raise ValidationError(
                    self.env._(
                        "The lease of %(mac)s has the address %(ip)s, outside the network %(range)s of "
                        "server %(server)s: is it the leases file of another server?",
                        mac=lease["mac"],
                        ip=lease["ip"],
                        range=self.network,
                        server=self.name,
                    )
                )
            last_seen = (
                datetime.fromtimestamp(lease["expiry"], tz=UTC).replace(tzinfo=None) - timedelta(hours=self.lease_hours)
                if lease["expiry"]
                else False
            )
            entry = {**lease, "last_seen": last_seen, "last_ip": lease["ip"], "last_event": "lease"}
            if lease["mac"] in known:
                seen[lease["mac"]] = entry
            elif lease["mac"] not in {e["mac"] for e in new_entries}:
                new_entries.append(entry)
        if seen:
            self._apply_lease_status(
                [(known[mac].id, entry["last_ip"], entry["last_seen"]) for mac, entry in seen.items()]
            )
        created = self._create_draft_terminals(new_entries) if new_entries else self.env["helpdesk.ltsp.terminal"]
        return created, len(seen)

    def _apply_lease_status(self, rows):
        """Last address and last-seen of known terminals in one UPDATE, however long the leases file.

        Plain SQL on purpose: these status fields are not tracked and a file of hundreds of leases must not
        cost one query per terminal. An older lease never moves last-seen back.
        """
        values = SQL(", ").join(SQL("(%s, %s, %s::timestamp)", tid, ip, seen or None) for tid, ip, seen in rows)
        self.env.cr.execute(
            SQL(
                """
            UPDATE helpdesk_ltsp_terminal t
               SET last_ip = v.ip,
                   last_seen = GREATEST(t.last_seen, v.seen),
                   last_event = CASE WHEN v.seen > COALESCE(t.last_seen, v.seen - interval '1 second')
                                     THEN 'lease' ELSE t.last_event END
              FROM (VALUES %s) AS v(id, ip, seen)
             WHERE t.id = v.id
            """,
                values,
            )
        )
        self.env["helpdesk.ltsp.terminal"].browse([row[0] for row in rows]).invalidate_recordset(
            ["last_ip", "last_seen", "last_event"]
        )
