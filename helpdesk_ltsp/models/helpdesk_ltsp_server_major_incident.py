from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_ltsp_terminal import ONLINE_DELAY


class HelpdeskLtspServer(models.Model):
    """When several terminals of a server fail at once, the server is the fault: a major incident for it
    is proposed (or opened) and the terminals' tickets become its children."""

    _inherit = "helpdesk.ltsp.server"

    major_incident_mode = fields.Selection(
        [("off", "Off"), ("propose", "Propose"), ("open", "Open automatically")],
        string="Major Incident Detection", required=True, default="propose",
        help="When enough terminals report faults or stop sending heartbeats within the window: propose a "
        "major incident on this form, or open it at once.",
    )
    major_incident_threshold = fields.Integer(
        string="Terminals Affected", default=3,
        help="How many terminals must report a fault, or fall silent, within the window.",
    )
    major_incident_window = fields.Integer(string="Window (minutes)", default=30)
    major_incident_id = fields.Many2one(
        "helpdesk.ticket", string="Open Major Incident", readonly=True, copy=False, index="btree_not_null",
        help="The major incident opened for this server; new terminal tickets are attached to it while it is open.",
    )
    major_incident_proposal = fields.Text(
        string="Proposed Major Incident", readonly=True, copy=False,
        help="Why a major incident is proposed; cleared when it is opened or dismissed.",
    )

    major_incident_dismissed_date = fields.Datetime(
        readonly=True, copy=False, help="Faults and silences before a dismissed proposal are not counted again.",
    )

    _major_incident_threshold_positive = models.Constraint(
        "CHECK (major_incident_threshold >= 2)", "A major incident needs at least two affected terminals."
    )
    _major_incident_window_positive = models.Constraint(
        "CHECK (major_incident_window > 0)", "The detection window must last at least one minute."
    )

    # ------------------------------------------------------------------
    # Detection
    # ------------------------------------------------------------------
    def _fault_tickets(self, now):
        """Open tickets about terminals of the server, created within the window, not attached elsewhere."""
        self.ensure_one()
        return self.env["helpdesk.ticket"].search([
            ("terminal_id.server_id", "=", self.id),
            ("is_closed", "=", False),
            ("is_major_incident", "=", False),
            ("major_incident_id", "=", False),
            ("create_date", ">=", self._detection_start(now)),
            ("create_date", "<=", now),
        ], order="create_date, id")

    def _detection_start(self, now):
        """Start of the window, not before the last dismissed proposal."""
        start = now - timedelta(minutes=self.major_incident_window)
        if self.major_incident_dismissed_date:
            start = max(start, self.major_incident_dismissed_date)
        return start

    def _silent_terminals(self, now):
        """Terminals in service that sent heartbeats and fell silent within the window."""
        self.ensure_one()
        silent_since = now - ONLINE_DELAY
        return self.env["helpdesk.ltsp.terminal"].search([
            ("server_id", "=", self.id),
            ("state", "=", "active"),
            ("last_seen", "<", silent_since),
            ("last_seen", ">=", self._detection_start(now) - ONLINE_DELAY),
        ])

    def _detect_major_incident(self):
        """Check each (locked) server; returns the servers for which something was proposed or opened."""
        now = fields.Datetime.now()
        flagged = self.browse()
        for server in self.filtered(lambda s: s.major_incident_mode != "off"):
            if server.major_incident_id.is_closed:
                server.major_incident_id = False
            faults = server._fault_tickets(now)
            if server.major_incident_id:
                if faults:  # the incident is already open: later reports join it
                    faults._attach_to_major_incident(server.major_incident_id)
                continue
            fault_terminals = faults.terminal_id
            silent = server._silent_terminals(now)
            threshold = server.major_incident_threshold
            if len(fault_terminals) < threshold and len(silent) < threshold:
                continue
            if len(fault_terminals) >= threshold:
                reason = self.env._(
                    "%(count)s terminals reported faults within %(minutes)s minutes: %(terminals)s.",
                    count=len(fault_terminals), minutes=server.major_incident_window,
                    terminals=", ".join(fault_terminals.mapped("name")))
            else:
                reason = self.env._(
                    "%(count)s terminals stopped sending heartbeats within %(minutes)s minutes: %(terminals)s.",
                    count=len(silent), minutes=server.major_incident_window,
                    terminals=", ".join(silent.mapped("name")))
            if server.major_incident_mode == "open":
                server._open_major_incident(reason, faults)
            elif server.major_incident_proposal != reason:
                server.major_incident_proposal = reason
                server.message_post(body=self.env._("Major incident proposed: %(reason)s", reason=reason),
                                    subtype_xmlid="mail.mt_note")
            flagged |= server
        return flagged

    @api.model
    def _cron_detect_major_incidents(self, batch_size=200):
        """Every few minutes, and right after a terminal ticket is created. Servers are claimed with the
        ORM's try_lock_for_update (SKIP LOCKED): two workers never check the same server at once, so a
        server never gets two major incidents."""
        servers = self.search([("major_incident_mode", "!=", "off")], order="id", limit=2 * batch_size)
        return servers._claim_and_detect(batch_size)

    def _claim_and_detect(self, batch_size=200):
        """Detection on the servers no other worker is checking right now (the others are skipped)."""
        return self.try_lock_for_update(limit=batch_size)._detect_major_incident()

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------
    def _open_major_incident(self, reason, faults):
        """The major incident of the server, with the fault tickets as its children."""
        self.ensure_one()
        team = faults.team_id[:1] or self.company_id.helpdesk_triage_team_id
        # sudo: the incident is opened for the server by detection (a cron) or by a leader's decision
        # (checked by the caller); the server's customer may be one an agent does not see.
        incident = self.env["helpdesk.ticket"].sudo().create({
            "name": self.env._("LTSP server %(server)s: terminals down", server=self.name),
            "description": Markup("<p>%s</p>") % reason,
            "partner_id": (self.partner_id or self.company_id.partner_id).id,
            "company_id": self.company_id.id,
            "team_id": team.id,
            "site_id": self.site_id.id,
            "channel": "internal",
            "priority": "3",
            "is_major_incident": True,
        })
        if faults:
            # sudo: the detection job (or the leader's button) acts for the service desk; the rules on
            # who attaches tickets are for people, not for the server's own proposal.
            faults.sudo()._attach_to_major_incident(incident)
        self.write({"major_incident_id": incident.id, "major_incident_proposal": False})
        self.message_post(
            body=Markup(self.env._("Major incident %(incident)s opened: %(reason)s")) % {
                "incident": incident._get_html_link(), "reason": reason},
            subtype_xmlid="mail.mt_note",
        )
        return incident

    def action_open_major_incident(self):
        """The leader accepts the proposal: the incident is opened with the terminals' recent tickets."""
        self.ensure_one()
        self.env["helpdesk.ticket"]._check_major_incident_manager()
        self.check_access("write")
        self.lock_for_update()
        if self.major_incident_id and not self.major_incident_id.is_closed:
            raise UserError(self.env._(
                "Server %(server)s already has an open major incident: %(incident)s.",
                server=self.name, incident=self.major_incident_id.display_name))
        reason = self.major_incident_proposal or self.env._("Opened by %(user)s.", user=self.env.user.name)
        incident = self._open_major_incident(reason, self._fault_tickets(fields.Datetime.now()))
        return incident._get_records_action()

    def action_dismiss_major_incident_proposal(self):
        self.env["helpdesk.ticket"]._check_major_incident_manager()
        for server in self.filtered("major_incident_proposal"):
            server.message_post(body=self.env._("Major incident proposal dismissed by %(user)s.",
                                                user=self.env.user.name), subtype_xmlid="mail.mt_note")
        self.write({"major_incident_proposal": False, "major_incident_dismissed_date": fields.Datetime.now()})
        return True

    def action_view_major_incident(self):
        self.ensure_one()
        return self.major_incident_id._get_records_action()
