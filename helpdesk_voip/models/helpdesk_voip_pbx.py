import logging
from datetime import datetime

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CDR_QUERY = """
    SELECT id, callid, src_user, dst_user, start_time, end_time, duration
      FROM acc_cdrs WHERE id > %s AND callid <> '' ORDER BY id LIMIT %s
"""
MISSED_QUERY = """
    SELECT id, callid, src_user, dst_user, sip_code, sip_reason, time
      FROM missed_calls WHERE id > %s AND callid <> '' ORDER BY id LIMIT %s
"""


class HelpdeskVoipPbx(models.Model):
    """A telephone system feeding the call log: Kamailio's accounting database or any PBX's webhook."""

    _name = "helpdesk.voip.pbx"
    _inherit = ["helpdesk.machine.endpoint.mixin", "helpdesk.external.database.mixin"]
    _description = "Helpdesk PBX Connection"
    _database_application_name = "odoo-helpdesk-voip"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    kind = fields.Selection(
        [("kamailio", "Kamailio (accounting database)"), ("webhook", "Other PBX (webhook)")],
        required=True,
        default="kamailio",
    )
    team_id = fields.Many2one(
        "helpdesk.team", help="Team whose leader calls back missed calls no agent was matched for."
    )
    # Kamailio's acc database (helpdesk.external.database.mixin): the password is never read back.
    dsn = fields.Char(
        help="PostgreSQL connection of Kamailio's acc module, e.g. postgresql://kamailio@10.0.0.5/kamailio. "
        "When set, it replaces the fields below; a password in it is moved to the Password field.",
    )
    db_timezone = fields.Selection(
        _tz_get, string="Database Time Zone", default="UTC", required=True,
        help="Kamailio writes local times without zone; the time zone of the Kamailio server.",
    )
    token = fields.Char(
        string="Webhook Token", help="Secret the PBX and the softphone bridges send as 'Authorization: Bearer <token>'."
    )
    webhook_url = fields.Char(string="Webhook URL", compute="_compute_webhook_url")
    last_cdr_id = fields.Integer(string="Last CDR Imported", readonly=True, copy=False)
    last_missed_id = fields.Integer(string="Last Missed Call Imported", readonly=True, copy=False)
    call_ids = fields.One2many("helpdesk.voip.call", "pbx_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_count")

    _token_uniq = models.Constraint("unique (token)", "Two PBX connections cannot share a token.")

    def _compute_webhook_url(self):
        base = self.get_base_url()
        for pbx in self:
            pbx.webhook_url = f"{base}/helpdesk_voip/webhook/{pbx.id}" if pbx.id else False

    def _compute_call_count(self):
        counts = dict(self.env["helpdesk.voip.call"]._read_group([("pbx_id", "in", self.ids)], ["pbx_id"], ["__count"]))
        for pbx in self:
            pbx.call_count = counts.get(pbx, 0)

    @api.readonly
    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_voip.helpdesk_voip_call_action")
        action["domain"] = [("pbx_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Kamailio accounting database
    # ------------------------------------------------------------------
    def _connect(self):
        self.ensure_one()
        if not self._database_configured():
            raise UserError(self.env._("Enter the database DSN of PBX “%(name)s” first.", name=self.name))
        try:
            return self._database_connect()
        except psycopg2.Error as error:
            raise UserError(
                self.env._("Cannot connect to the Kamailio database of “%(name)s”: %(error)s",
                           name=self.name, error=str(error).strip())
            ) from error

    def action_test_connection(self):
        self.ensure_one()
        connection = self._connect()
        try:
            with connection.cursor() as cr:
                cr.execute("SELECT count(*) FROM acc_cdrs")
                cdrs = cr.fetchone()[0]
                cr.execute("SELECT count(*) FROM missed_calls")
                missed = cr.fetchone()[0]
                cr.execute("SELECT callid, src_user, dst_user FROM acc_cdrs LIMIT 0")
                cr.execute("SELECT src_user, dst_user FROM missed_calls LIMIT 0")
        except psycopg2.Error as error:
            self._record_contact(str(error).strip())
            raise UserError(
                self.env._("The Kamailio database answers but its tables are not ready: %(error)s. "
                           "See the module's configuration guide for the acc_cdrs and missed_calls columns.",
                           error=str(error).strip())
            ) from error
        finally:
            connection.close()
        self._record_contact()
        return self._notification(
            "success", self.env._("Connection works"),
            self.env._("%(cdrs)s call records and %(missed)s missed calls are waiting in Kamailio.",
                       cdrs=cdrs, missed=missed),
        )

    def action_import_now(self):
        """Import at once; a failure is shown and kept in Last Error (not rolled back with an exception)."""
        calls = self.env["helpdesk.voip.call"]
        for pbx in self:
            if not pbx._lock():
                raise UserError(self.env._("An import of “%(name)s” is already running.", name=pbx.name))
            calls |= pbx._import_cdrs()
        failed = self.filtered("last_error")
        if failed:
            return self._notification("danger", self.env._("Import failed"), "\n".join(failed.mapped("last_error")))
        return self._notification("success", self.env._("Calls imported"),
                                  self.env._("%(count)s new or updated calls.", count=len(calls)))

    def _notification(self, kind, title, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "title": title, "message": message, "sticky": kind == "danger"},
        }

    def _lock(self):
        """Claim this PBX for an import; False if another worker is importing it."""
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT id FROM helpdesk_voip_pbx WHERE id = %s FOR UPDATE SKIP LOCKED", self.id,
        ))
        return bool(self.env.cr.fetchone())

    @api.model
    def _cron_import_cdrs(self, batch_size=1000):
        """Import new CDRs of every Kamailio; two workers never import the same PBX at once."""
        self.env.cr.execute(SQL(
            "SELECT id FROM helpdesk_voip_pbx WHERE active AND kind = 'kamailio' ORDER BY id FOR UPDATE SKIP LOCKED"
        ))
        pbxs = self.browse([row[0] for row in self.env.cr.fetchall()])
        for pbx in pbxs:
            pbx._import_cdrs(batch_size=batch_size)

    def _to_utc(self, value):
        if not value:
            return False
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        local = pytz.timezone(self.db_timezone or "UTC")
        if value.tzinfo is None:
            value = local.localize(value)
        return value.astimezone(pytz.UTC).replace(tzinfo=None)

    def _import_cdrs(self, batch_size=1000):
        """Read acc_cdrs and missed_calls after the last imported ids; each Call-ID gives one call.

        The cursors move in the same transaction as the calls, and the Call-ID is
        unique, so an import interrupted or repeated never duplicates a call.
        """
        self.ensure_one()
        try:
            connection = self._connect()
            try:
                with connection.cursor() as cr:
                    cr.execute(CDR_QUERY, (self.last_cdr_id, batch_size))
                    cdr_rows = cr.fetchall()
                    cr.execute(MISSED_QUERY, (self.last_missed_id, batch_size))
                    missed_rows = cr.fetchall()
            finally:
                connection.close()
        except (UserError, psycopg2.Error) as error:
            message = error.args[0] if isinstance(error, UserError) else str(error).strip()
            self._record_contact(message)
            _logger.warning("CDR import of PBX %s failed: %s", self.name, message)
            return self.env["helpdesk.voip.call"]
        events = []
        for _id, callid, src, dst, start, end, duration in cdr_rows:
            events.append({
                "call_id": callid, "event": "cdr", "caller": src, "callee": dst,
                "date_start": self._to_utc(start), "date_end": self._to_utc(end) if duration else False,
                "duration": float(duration or 0.0),
            })
        for _id, callid, src, dst, code, reason, when in missed_rows:
            events.append({
                "call_id": callid, "event": "missed", "caller": src, "callee": dst,
                "date_start": self._to_utc(when), "date_end": self._to_utc(when),
                "sip_code": int(code) if (code or "").isdigit() else 0, "sip_reason": reason,
            })
        calls = self.env["helpdesk.voip.call"]._ingest(events, "cdr", pbx=self) if events else self.env[
            "helpdesk.voip.call"]
        vals = {}
        if cdr_rows:
            vals["last_cdr_id"] = cdr_rows[-1][0]
        if missed_rows:
            vals["last_missed_id"] = missed_rows[-1][0]
        self.write(vals)
        self._record_contact()
        return calls
