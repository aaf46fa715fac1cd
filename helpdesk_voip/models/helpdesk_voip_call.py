import logging
import re
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OUTCOMES = [
    ("ringing", "Ringing"),
    ("in_progress", "In Progress"),
    ("answered", "Answered"),
    ("missed", "Missed"),
    ("busy", "Busy"),
    ("failed", "Failed"),
]
FINAL_OUTCOMES = ("answered", "missed", "busy", "failed")
SIP_USER_RE = re.compile(r"^(?:sips?:)?([^@;>]+)")
# What _normalize_number returns: an international number, or an extension's few digits.
NORMALIZED_NUMBER_RE = re.compile(r"^(?:\+\d{7,}|\d{1,6})$")


def outcome_from_sip_code(code):
    """SIP final response -> outcome of the call."""
    code = int(code or 0)
    if 200 <= code < 300:
        return "answered"
    if code in (486, 600, 603):
        return "busy"
    if code in (408, 480, 487):
        return "missed"
    return "failed"


class HelpdeskVoipCall(models.Model):
    """One phone call, whatever reported it (CDR, softphone, PBX webhook or an agent).

    The SIP Call-ID is the key every source shares, so events of the same call
    complete a single record instead of duplicating it.
    """

    _name = "helpdesk.voip.call"
    _description = "Helpdesk Phone Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    call_id = fields.Char(string="SIP Call-ID", readonly=True, copy=False, index=True)
    direction = fields.Selection(
        [("inbound", "Incoming"), ("outbound", "Outgoing"), ("internal", "Internal")],
        required=True,
        default="inbound",
        index=True,
    )
    caller_number = fields.Char(string="Caller", index="btree_not_null")
    callee_number = fields.Char(string="Callee", index="btree_not_null")
    partner_number = fields.Char(
        string="Customer Number", compute="_compute_partner_number", help="The number on the customer's side."
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null", tracking=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index="btree_not_null", string="Customer Company"
    )
    user_id = fields.Many2one(
        "res.users", string="Agent", index="btree_not_null", domain=[("share", "=", False)], tracking=True
    )
    team_id = fields.Many2one("helpdesk.team", index="btree_not_null")
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", tracking=True)
    ticket_created = fields.Boolean(
        string="Ticket Created From Call", readonly=True, copy=False, help="Counts the call-to-ticket conversion."
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    pbx_id = fields.Many2one("helpdesk.voip.pbx", string="PBX", index="btree_not_null", ondelete="set null")
    date_start = fields.Datetime(string="Start", required=True, default=fields.Datetime.now, index=True)
    date_answer = fields.Datetime(string="Answered At")
    date_end = fields.Datetime(string="End")
    duration = fields.Float(aggregator="avg", help="Talk time (minutes:seconds).")
    outcome = fields.Selection(OUTCOMES, required=True, default="ringing", index=True, tracking=True)
    sip_code = fields.Integer(string="SIP Code")
    sip_reason = fields.Char(string="SIP Reason")
    source = fields.Selection(
        [("cdr", "CDR Import"), ("softphone", "Softphone Event"), ("webhook", "Webhook"), ("manual", "Manual")],
        required=True,
        default="manual",
    )
    note = fields.Text(string="Notes")
    call_count = fields.Integer(default=1, aggregator="sum", help="1 per call, for reports.")
    answered_count = fields.Integer(compute="_compute_counters", store=True, aggregator="sum", string="Answered")
    missed_count = fields.Integer(compute="_compute_counters", store=True, aggregator="sum", string="Not Answered")

    _call_id_uniq = models.Constraint("unique (call_id)", "A call with this SIP Call-ID is already logged.")
    _duration_positive = models.Constraint("CHECK (duration >= 0)", "A call cannot last a negative time.")
    # Call-log widgets read a customer's or a ticket's calls, newest first.
    _partner_date_idx = models.Index("(commercial_partner_id, date_start DESC)")
    _ticket_date_idx = models.Index("(ticket_id, date_start DESC) WHERE ticket_id IS NOT NULL")

    @api.depends("direction", "caller_number", "callee_number")
    def _compute_partner_number(self):
        for call in self:
            call.partner_number = call.callee_number if call.direction == "outbound" else call.caller_number

    @api.depends("outcome")
    def _compute_counters(self):
        for call in self:
            call.answered_count = 1 if call.outcome == "answered" else 0
            call.missed_count = 1 if call.outcome in ("missed", "busy", "failed") else 0

    @api.depends("direction", "partner_id", "partner_number", "date_start")
    def _compute_display_name(self):
        labels = dict(self._fields["direction"]._description_selection(self.env))
        for call in self:
            who = call.partner_id.name or call.partner_number or "?"
            call.display_name = f"{labels.get(call.direction)}: {who}"

    @api.constrains("date_start", "date_answer", "date_end")
    def _check_dates(self):
        for call in self:
            if call.date_end and call.date_end < call.date_start:
                raise ValidationError(self.env._("A call cannot end before it starts."))
            if call.date_answer and call.date_answer < call.date_start:
                raise ValidationError(self.env._("A call cannot be answered before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        country = None
        for vals in vals_list:
            for fname in ("caller_number", "callee_number"):
                # Numbers from _ingest are normalised already: normalising is idempotent, skip the work.
                if vals.get(fname) and not NORMALIZED_NUMBER_RE.match(vals[fname]):
                    country = country or self._number_country()
                    vals[fname] = self._normalize_number(vals[fname], country=country)
        calls = super().create(vals_list)
        calls._link_partners()
        return calls

    # ------------------------------------------------------------------
    # Numbers, customers and agents
    # ------------------------------------------------------------------
    @api.model
    def _number_country(self, company=None):
        """Country of numbers written without international prefix (Indonesia when the company has none)."""
        return (company or self.env.company).country_id or self.env.ref("base.id", raise_if_not_found=False)

    @api.model
    def _normalize_number(self, number, company=None, country=None):
        """E.164 for phone numbers (+6281211112222), bare digits for extensions (1001)."""
        if not number:
            return False
        match = SIP_USER_RE.match(str(number).strip())
        raw = match.group(1).strip() if match else str(number).strip()
        digits = re.sub(r"[^\d+]", "", raw)
        if len(digits.lstrip("+")) < 7:
            return digits or raw
        return phone.normalize(self.env, digits, country or self._number_country(company)) or digits

    @api.model
    def _find_agents(self, extensions, company=None):
        """{extension: internal user}, one query."""
        extensions = [e for e in set(extensions) if e]
        if not extensions:
            return {}
        users = self.env["res.users"].search([
            ("sip_extension", "in", extensions),
            ("share", "=", False),
            ("company_ids", "in", (company or self.env.company).ids),
        ])
        return {user.sip_extension: user for user in users}

    def _link_partners(self):
        """Match the customer by number where nobody chose one."""
        missing = self.filtered(lambda c: not c.partner_id and c.partner_number)
        partners = phone.partners_by_number(self.env, missing.mapped("partner_number"))
        by_partner = defaultdict(lambda: self.browse())
        for call in missing:
            if call.partner_number in partners:
                by_partner[partners[call.partner_number]] |= call
        for partner, calls in by_partner.items():
            calls.partner_id = partner

    # ------------------------------------------------------------------
    # Ingestion: one path for CDRs, softphone events and webhooks
    # ------------------------------------------------------------------
    @api.model
    def _ingest(self, events, source, pbx=None, company=None):
        """Create or complete calls from normalised events, keyed on the SIP Call-ID.

        Each event is a dict with ``call_id`` and any of: ``event`` (ringing,
        answered, hangup, cdr), ``direction``, ``caller``, ``callee``,
        ``extension`` (the agent's), ``date_start``, ``date_answer``, ``date_end``,
        ``duration``, ``sip_code``, ``sip_reason``. Safe with two workers: the
        existing rows are locked, and a concurrent insert of the same Call-ID
        makes this batch retry as an update.
        """
        company = company or (pbx.company_id if pbx else self.env.company)
        merged = {}
        for event in events:
            call_id = (event.get("call_id") or "").strip()
            if not call_id:
                raise ValidationError(self.env._("Every call event needs its SIP Call-ID."))
            merged.setdefault(call_id, []).append(event)
        if not merged:
            return self.browse()
        for attempt in range(3):
            try:
                with self.env.cr.savepoint():
                    return self._ingest_merged(merged, source, pbx, company)
            except psycopg2.errors.UniqueViolation:
                if attempt == 2:
                    raise
                _logger.info("call ingestion raced another worker, retrying as update")
        return self.browse()

    def _ingest_merged(self, merged, source, pbx, company):
        self.env.cr.execute(SQL(
            "SELECT id FROM helpdesk_voip_call WHERE call_id IN %s ORDER BY id FOR UPDATE",
            tuple(merged),
        ))
        existing = self.browse([row[0] for row in self.env.cr.fetchall()])
        by_call_id = {call.call_id: call for call in existing}
        numbers = set()
        for events in merged.values():
            for event in events:
                numbers.update(str(event.get(key) or "") for key in ("caller", "callee", "extension"))
        country = self._number_country(company)
        normalized = {n: self._normalize_number(n, company, country) for n in numbers if n}
        agents = self._find_agents(set(normalized.values()), company)
        partners = phone.partners_by_number(self.env, normalized.values())
        to_create, updated = [], self.browse()
        state = {}
        for call_id, events in merged.items():
            call = by_call_id.get(call_id)
            vals = self._values_from_events(call, events, normalized, agents, partners, company)
            if call:
                vals = self._changed_values(call, vals)
                before = call.outcome
                if vals:
                    call.write(vals)
                    updated |= call
                state[call_id] = before
            else:
                vals.update(call_id=call_id, source=source, pbx_id=pbx.id if pbx else False, company_id=company.id)
                if pbx and not vals.get("team_id") and pbx.team_id:
                    vals["team_id"] = pbx.team_id.id
                to_create.append(vals)
                state[call_id] = False
        # The caller pop-up tells the agent about a call: no "assigned to you" e-mail per call. CDRs are
        # the history of calls already over: no creation message nor followers of their own either.
        creator = self.with_context(
            mail_auto_subscribe_no_notify=True, tracking_disable=source == "cdr"
        )
        created = creator.create(to_create).with_env(self.env) if to_create else self.browse()
        calls = existing | created
        changed = created | updated
        ringing = changed.filtered(lambda c: c.outcome == "ringing" and c.direction in ("inbound", "internal"))
        ringing._notify_incoming()
        ended = changed.filtered(lambda c: c.outcome in FINAL_OUTCOMES and state.get(c.call_id) not in FINAL_OUTCOMES)
        ended._after_end(pbx)
        return calls

    @api.model
    def _changed_values(self, call, vals):
        result = {}
        for key, value in vals.items():
            current = call[key]
            if isinstance(current, models.BaseModel):
                current = current.id
            if current != value:
                result[key] = value
        return result

    def _values_from_events(self, call, events, normalized, agents, partners, company):
        """Fold the events of one call into field values, never going back in time."""
        vals = {}
        outcome = call.outcome if call else "ringing"
        direction = call.direction if call else False
        for event in sorted(events, key=lambda e: ["ringing", "answered", "hangup", "missed", "cdr"].index(
                e.get("event") if e.get("event") in ("ringing", "answered", "hangup", "missed", "cdr") else "ringing")):
            caller = normalized.get(str(event.get("caller") or ""))
            callee = normalized.get(str(event.get("callee") or ""))
            if caller and not (call and call.caller_number):
                vals["caller_number"] = caller
            if callee and not (call and call.callee_number):
                vals["callee_number"] = callee
            if event.get("direction") in ("inbound", "outbound", "internal"):
                direction = direction or event["direction"]
            extension = normalized.get(str(event.get("extension") or ""))
            agent = agents.get(extension) or agents.get(callee) or agents.get(caller)
            if not direction:
                caller_agent, callee_agent = agents.get(caller), agents.get(callee)
                direction = "internal" if caller_agent and callee_agent else "outbound" if caller_agent else "inbound"
            if agent and not (call and call.user_id):
                vals["user_id"] = agent.id
            for key in ("date_start", "date_answer", "date_end"):
                if event.get(key) and not (call and call[key]):
                    vals.setdefault(key, event[key])
            kind = event.get("event")
            code = int(event.get("sip_code") or 0)
            if code:
                vals["sip_code"] = code
                if event.get("sip_reason"):
                    vals["sip_reason"] = event["sip_reason"]
            if kind == "answered":
                if outcome in ("ringing", "in_progress"):
                    outcome = "in_progress"
                vals.setdefault("date_answer", event.get("date_answer") or event.get("date") or fields.Datetime.now())
            elif kind in ("hangup", "missed"):
                if outcome == "in_progress" or (kind == "hangup" and 200 <= code < 300):
                    outcome = "answered"
                elif outcome not in FINAL_OUTCOMES or (outcome != "answered" and code):
                    outcome = outcome_from_sip_code(code) if code else "missed"
                vals.setdefault("date_end", event.get("date_end") or event.get("date") or fields.Datetime.now())
            elif kind == "cdr":
                duration = float(event.get("duration") or 0.0)
                if duration > 0:
                    outcome = "answered"
                    vals["duration"] = duration
                    vals.setdefault("date_answer", event.get("date_start"))
                elif outcome not in FINAL_OUTCOMES:
                    outcome = outcome_from_sip_code(code) if code else "missed"
        if not call:
            vals.setdefault("date_start", fields.Datetime.now())
        if vals.get("date_answer") and vals.get("date_end") and not vals.get("duration") and outcome == "answered":
            vals["duration"] = max(0.0, (vals["date_end"] - vals["date_answer"]).total_seconds())
        if direction and not call:
            vals["direction"] = direction
        external = vals.get("callee_number") if direction == "outbound" else vals.get("caller_number")
        if external in partners and not (call and call.partner_id):
            vals["partner_id"] = partners[external].id
        vals["outcome"] = outcome
        return vals

    def _after_end(self, pbx=None):
        """A call just ended: first response on its ticket, call-back for missed calls, live logs."""
        for call in self.filtered(lambda c: c.outcome == "answered" and c.ticket_id and c.direction == "outbound"):
            call.ticket_id._set_first_response(call.date_answer or call.date_end)
        self.filtered(lambda c: c.outcome != "answered" and c.direction == "inbound")._schedule_call_back()
        self._notify_call_updated()

    def _schedule_call_back(self):
        """Missed customer call: a "call back" activity for the agent, else the team leader."""
        if self.env.context.get("mail_activity_automation_skip"):
            return
        activity_type = (
            self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False) or self._default_activity_type()
        )
        vals_list = []
        for call in self:
            user = call.user_id or call.team_id.leader_id or call.pbx_id.team_id.leader_id
            if not user:
                continue
            vals_list.append({
                "activity_type_id": activity_type.id,
                "summary": self.env._("Call back %(who)s", who=call.partner_id.name or call.caller_number or "?"),
                "automated": True,
                "note": activity_type.default_note,
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(call),
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": call.id,
            })
        # One INSERT for a whole import; an import's missed calls (CDRs) land in the agents' activities
        # without one e-mail each, a single live call e-mails its agent as usual.
        self.env["mail.activity"].with_context(mail_activity_quick_update=len(vals_list) > 1).create(vals_list)

    # ------------------------------------------------------------------
    # Live notifications (bus)
    # ------------------------------------------------------------------
    def _popup_payload(self):
        self.ensure_one()
        partner = self.partner_id
        tickets = self.env["helpdesk.ticket"]
        if partner:
            tickets = tickets.search(
                [("commercial_partner_id", "=", partner.commercial_partner_id.id), ("is_closed", "=", False)],
                limit=5,
            )
        return {
            "id": self.id,
            "call_id": self.call_id,
            "number": self.caller_number,
            "partner_id": partner.id,
            "partner_name": partner.name or "",
            "company_name": partner.commercial_partner_id.name if partner.parent_id else "",
            "open_tickets": [{"id": t.id, "code": t.code, "name": t.name} for t in tickets],
        }

    def _notify_incoming(self):
        """Caller pop-up in the Odoo window of the agent whose phone rings, and only there."""
        for call in self.filtered("user_id"):
            call.user_id._bus_send("helpdesk_voip/incoming_call", call._popup_payload())

    def _notify_call_updated(self):
        """Open call logs of this customer or ticket refresh themselves."""
        users = self.user_id | self.ticket_id.user_id
        if not users:
            return
        payload = {
            "partner_ids": self.commercial_partner_id.ids + self.partner_id.ids,
            "ticket_ids": self.ticket_id.ids,
        }
        for user in users:
            user._bus_send("helpdesk_voip/call_updated", payload)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_call_back(self):
        self.ensure_one()
        if not self.partner_number:
            raise UserError(self.env._("This call has no number to call back."))
        return self.env.user.helpdesk_voip_dial(
            self.partner_number, "helpdesk.ticket" if self.ticket_id else "res.partner",
            self.ticket_id.id or self.partner_id.id,
        )

    def action_create_ticket(self):
        """New ticket from this call, for its customer, linked to it."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Create the contact of number %(number)s first.", number=self.partner_number))
        ticket = self.env["helpdesk.ticket"].create({
            "name": self.env._("Phone call from %(who)s", who=self.partner_id.name),
            "partner_id": self.partner_id.id,
            "channel": "phone",
            "team_id": self.team_id.id,
            "user_id": self.user_id.id or self.env.user.id,
            "description": Markup("<p>%s</p>") % (self.note or ""),
        })
        self.write({"ticket_id": ticket.id, "ticket_created": True})
        if self.outcome == "answered":
            ticket._set_first_response(self.date_answer or self.date_start)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.readonly
    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_create_contact(self):
        """Unknown caller: a new contact with this number, linked to the call on save."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_phone": self.partner_number, "default_voip_call_ids": [Command.link(self.id)]},
        }
