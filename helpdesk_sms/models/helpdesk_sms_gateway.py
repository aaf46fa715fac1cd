import logging
import time
from collections import defaultdict
from contextlib import contextmanager

import psycopg2
import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.exceptions import UserError

from ..tools import gammu_store
from ..tools.sms_api import SmsApiGammu

_logger = logging.getLogger(__name__)


class HelpdeskSmsGateway(models.Model):
    """A GSM modem run by gammu-smsd, reached through gammu's PostgreSQL database."""

    _name = "helpdesk.sms.gateway"
    _inherit = ["helpdesk.machine.endpoint.mixin", "helpdesk.external.database.mixin"]
    _description = "SMS Gateway (gammu-smsd)"
    _database_application_name = "odoo-helpdesk-sms"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    team_id = fields.Many2one(
        "helpdesk.team",
        string="Default Team",
        domain="[('company_id', '=', company_id)]",
        help="Team of the tickets created from SMS received by this gateway.",
    )
    country_id = fields.Many2one(
        "res.country",
        string="Numbers' Country",
        default=lambda self: self.env.company.country_id,
        help="Country of numbers written without international prefix (0812… is read as +62812… for Indonesia).",
    )
    # Connection to gammu's database (helpdesk.external.database.mixin): its usual place by default.
    db_host = fields.Char(default="/var/run/postgresql")
    db_name = fields.Char(default="smsd")
    db_user = fields.Char(default="smsd")
    phone_id = fields.Char(
        string="PhoneID",
        help="gammu-smsd's PhoneID of this modem, when several modems share one database: "
        "only SMS received by it are imported and replies are sent through it.",
    )
    polling = fields.Boolean(
        default=True, help="Import, send and follow SMS on the scheduled action (fallback of RunOnReceive)."
    )
    delivery_report = fields.Boolean(default=True, help="Ask the network for delivery reports.")
    batch_size = fields.Integer(default=500, help="Inbox rows imported per transaction.")
    multipart_timeout = fields.Integer(
        string="Multipart Timeout (min)",
        default=10,
        help="Minutes to wait for the missing parts of a concatenated SMS before importing the parts received.",
    )
    token = fields.Char(help="Secret of the RunOnReceive call.")
    receive_url = fields.Char(compute="_compute_receive_url", string="RunOnReceive URL")
    smsdrc_example = fields.Text(
        compute="_compute_receive_url", string="smsdrc Example", groups="helpdesk_ticketing.group_helpdesk_manager"
    )
    message_ids = fields.One2many("helpdesk.sms.message", "gateway_id", string="SMS")
    received_count = fields.Integer(compute="_compute_counts")
    sent_count = fields.Integer(compute="_compute_counts")
    failed_count = fields.Integer(compute="_compute_counts")

    _batch_size_positive = models.Constraint("CHECK (batch_size > 0)", "The batch size must be positive.")

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    @api.depends("phone_id", "db_host", "db_name", "db_user")
    def _compute_receive_url(self):
        base_url = self.get_base_url()
        script = "/path/to/helpdesk_sms/scripts/gammu_run_on_receive.sh"
        for gateway in self:
            url = f"{base_url}/helpdesk_sms/gateway/{gateway.id or 0}/received"
            gateway.receive_url = url
            gateway.smsdrc_example = "\n".join(filter(None, [
                "[smsd]",
                "service = sql",
                "driver = native_pgsql",
                f"host = {gateway.db_host or '/var/run/postgresql'}",
                f"database = {gateway.db_name or 'smsd'}",
                f"user = {gateway.db_user or 'smsd'}",
                f"PhoneID = {gateway.phone_id}" if gateway.phone_id else "",
                f"RunOnReceive = {script} {url} /etc/gammu-smsd-odoo.token",
                "; /etc/gammu-smsd-odoo.token holds the gateway's token",
            ]))

    def _compute_counts(self):
        received = dict(self.env["helpdesk.sms.message"]._read_group(
            [("gateway_id", "in", self.ids)], ["gateway_id"], ["__count"]
        ))
        sent = defaultdict(lambda: defaultdict(int))
        # sudo: counts of the gateway's log; agents do not read sms.sms
        for gateway, state, count in self.env["sms.sms"].sudo()._read_group(
            [("gammu_gateway_id", "in", self.ids)], ["gammu_gateway_id", "state"], ["__count"]
        ):
            sent[gateway.id]["all"] += count
            sent[gateway.id][state] += count
        for gateway in self:
            gateway.received_count = received.get(gateway, 0)
            gateway.sent_count = sent[gateway.id]["all"]
            gateway.failed_count = sent[gateway.id]["error"]

    @api.model
    def _for_company(self, company):
        """The gateway that sends the company's SMS (all Odoo apps), if it has one."""
        return self.search([("company_id", "=", company.id)], limit=1)

    # ------------------------------------------------------------------
    # Connection
    # ------------------------------------------------------------------
    def action_test_connection(self):
        self.ensure_one()
        try:
            with self._database_connection() as conn, conn.cursor() as cr:
                info = gammu_store.server_info(cr, self.phone_id)
        except psycopg2.errors.UndefinedTable as exc:
            raise UserError(self.env._(
                "Database %(db)s has no gammu tables: load /usr/share/doc/gammu-smsd/examples/pgsql.sql "
                "into it. (%(error)s)", db=self._database_label(), error=str(exc).strip(),
            )) from exc
        except psycopg2.Error as exc:
            raise UserError(self.env._(
                "Cannot connect to gammu's database %(db)s: %(error)s", db=self._database_label(),
                error=str(exc).strip(),
            )) from exc
        if info.phone_id:
            message = self.env._(
                "Connected: gammu schema version %(version)s, modem %(phone)s, signal %(signal)s%%, network %(net)s.",
                version=info.version, phone=info.phone_id, signal=info.signal, net=info.network,
            )
        else:
            message = self.env._(
                "Connected: gammu schema version %(version)s. No modem has reported yet: is gammu-smsd running?",
                version=info.version,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success" if info.phone_id else "warning", "message": message, "sticky": False},
        }

    def action_fetch_now(self):
        self._run()
        self.invalidate_recordset(["last_error", "last_contact_date"])  # written in the run's own transaction
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if self.filtered("last_error") else "success",
                "message": "\n".join(self.filtered("last_error").mapped("last_error"))
                or self.env._("SMS gateway checked."),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Polling entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_poll(self):
        self.search([("polling", "=", True)])._run()

    def _run(self):
        """Import the inbox, send the outbox and read back statuses; returns the number of SMS imported.

        Every step works in its own transactions, so the caller's cursor never holds gammu's rows.
        """
        imported = 0
        for gateway in self:
            error = None
            try:
                imported += gateway._import_inbox()
                gateway._push_outbox()
                gateway._sync_status()
            except psycopg2.Error as exc:
                error = self.env._(
                    "gammu's database %(db)s: %(error)s", db=gateway._database_label(), error=str(exc).strip()
                )
                _logger.warning("SMS gateway %s: %s", gateway.name, error)
            gateway._record_run(error)
        return imported

    def _record_run(self, error):
        """Store the outcome of a run in its own short transaction (the import committed already)."""
        try:
            with self.env.registry.cursor() as cr:
                # A caller still holding the gateway's row must not make this wait forever.
                cr.execute("SET LOCAL lock_timeout = '2s'")
                self.with_env(self.env(cr=cr))._record_contact(error)
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            _logger.warning("SMS gateway %s: outcome not stored (gateway busy): %s", self.name, error or "OK")

    @contextmanager
    def _odoo_env(self):
        """A fresh Odoo transaction, committed when the block ends, as superuser in the company's language.

        The import runs for a cron, an anonymous RunOnReceive call or a button alike; tickets and
        contacts are created on behalf of the system.
        """
        with self.env.registry.cursor() as cr:
            lang = self.company_id.partner_id.lang or "en_US"
            env = api.Environment(cr, SUPERUSER_ID, dict(self.env.context, lang=lang))
            yield self.with_env(env)

    # ------------------------------------------------------------------
    # Inbox
    # ------------------------------------------------------------------
    def _import_inbox(self):
        """Import the unprocessed inbox rows of this gateway exactly once; returns the SMS created.

        Per batch: the rows are locked in gammu's database (FOR UPDATE SKIP LOCKED, so concurrent
        importers share the work), so are their senders (importers of SMS from the same number take
        turns: the second finds the contact and the open ticket the first made), the SMS are stored
        in Odoo under a unique key (gateway, first inbox ID) and committed, and only then are the
        rows marked "Processed" in gammu's transaction. A crash between the two commits leaves rows
        whose key Odoo already has: the next run only marks them.
        """
        self.ensure_one()
        imported, after_id, attempts = 0, 0, 0
        with self._database_connection() as conn:
            while True:
                try:
                    with conn.cursor() as gcr:
                        rows = gammu_store.lock_inbox_batch(gcr, self.phone_id, after_id, self.batch_size)
                        if not rows:
                            conn.rollback()
                            break
                        next_after_id = rows[-1].id
                        groups = self._group_inbox_rows(gcr, rows)
                        # Before Odoo's transaction starts, so that its snapshot shows the contacts and
                        # tickets another importer committed for the same senders.
                        gammu_store.lock_senders(gcr, self._sender_numbers(groups))
                        with self._odoo_env() as gateway:
                            done_ids, created = gateway.env["helpdesk.sms.message"]._import_groups(
                                gateway, groups, lambda senders, gcr=gcr: gammu_store.lock_senders(gcr, senders))
                        gammu_store.mark_processed(gcr, done_ids)
                    conn.commit()
                except gammu_store.RETRYABLE as exc:
                    conn.rollback()
                    attempts += 1
                    if attempts > 3:
                        raise
                    _logger.info("SMS gateway %s: batch after inbox ID %s retried (%s)", self.name, after_id, exc)
                    time.sleep(0.2 * attempts)
                    continue
                attempts = 0
                imported += created
                after_id = next_after_id
                if len(rows) < self.batch_size:
                    break
        return imported

    def _sender_numbers(self, groups):
        """The normalised numbers of the groups' senders, as the intake reads them."""
        country = self.country_id or self.company_id.country_id
        return {phone.normalize(self.env, group["sender"], country) for group in groups} - {False}

    def _group_inbox_rows(self, gcr, rows):
        """Join concatenated parts by sender, reference and count.

        Parts outside the batch are fetched and locked too; a group whose missing parts are
        locked by another importer, or not received yet (within the multipart timeout), waits.
        """
        singles, concat = [], defaultdict(dict)
        for row in rows:
            if row.concat:
                concat[(row.sender, row.concat[0], row.concat[1])].setdefault(row.concat[2], []).append(row)
            else:
                singles.append(row)
        incomplete = {key for key, parts in concat.items() if len(parts) < key[2]}
        busy = set()
        if incomplete:
            siblings, locked = gammu_store.lock_concat_siblings(
                gcr, self.phone_id, {key[0] for key in incomplete}, [row.id for row in rows])
            for row in siblings:
                key = (row.sender, row.concat[0], row.concat[1])
                if key not in incomplete:
                    continue
                if row.id in locked:
                    concat[key].setdefault(row.concat[2], []).append(row)
                else:
                    busy.add(key)
        timeout = self.multipart_timeout * 60
        groups = [self._make_group([row]) for row in singles]
        for key, parts in concat.items():
            complete = len(parts) >= key[2]
            if not complete and (key in busy or max(r.age for rows_ in parts.values() for r in rows_) < timeout):
                continue
            ordered = [rows_[0] for _seq, rows_ in sorted(parts.items())]
            duplicates = [row for _seq, rows_ in sorted(parts.items()) for row in rows_[1:]]
            note = "" if complete else self.env._(
                "Only %(have)s of %(total)s parts arrived within %(minutes)s minutes; the text is incomplete.",
                have=len(parts), total=key[2], minutes=self.multipart_timeout,
            )
            groups.append(self._make_group(ordered, note=note, total=key[2], extra=duplicates))
        return groups

    @api.model
    def _make_group(self, rows, note="", total=None, extra=()):
        """One received SMS from its inbox rows (parts in order; extra: duplicate parts, marked too)."""
        notes = [row.note for row in rows if row.note] + ([note] if note else [])
        return {
            "key": min(row.id for row in rows),
            "ids": sorted(row.id for row in [*rows, *extra]),
            "rows": rows,
            "sender": rows[0].sender,
            "text": "".join(row.text for row in rows),
            "coding": rows[0].coding,
            "parts": total or len(rows),
            "note": " ".join(notes),
        }

    # ------------------------------------------------------------------
    # Outbox
    # ------------------------------------------------------------------
    def _schedule_push(self):
        """Send queued SMS right after the current transaction commits (the cron is the fallback);
        one push per gateway and transaction, however many changes queued SMS."""
        scheduled = self.env.cr.postcommit.data.get("helpdesk_sms.push")
        if scheduled is not None:
            scheduled.update(self.ids)
            return
        gateway_ids = self.env.cr.postcommit.data["helpdesk_sms.push"] = set(self.ids)
        registry, context = self.env.registry, dict(self.env.context)

        def push():
            for gateway_id in sorted(gateway_ids):
                with registry.cursor() as cr:
                    gateway = api.Environment(cr, SUPERUSER_ID, context)[self._name].browse(gateway_id).exists()
                    try:
                        gateway._push_outbox()
                    except psycopg2.Error as exc:
                        _logger.warning("SMS gateway %s: sending postponed to the next poll (%s)", gateway.name, exc)

        self.env.cr.postcommit.add(push)

    def _push_outbox(self):
        """Hand this gateway's queued sms.sms to gammu-smsd, through Odoo's sending (SmsApiGammu).

        The SMS are claimed with the ORM's try_lock_for_update (SKIP LOCKED: several workers share
        the queue); each goes into the outbox under its CreatorID (see _push_to_outbox), so a run that
        stopped between gammu's commit and Odoo's finds its rows again instead of sending twice.
        """
        self.ensure_one()
        with self._odoo_env() as gateway:
            sms = gateway.env["sms.sms"].search(
                [("gammu_gateway_id", "=", gateway.id), ("state", "=", "outgoing"), ("to_delete", "!=", True)],
                order="id",
            ).try_lock_for_update(limit=gateway.batch_size)
            if sms:
                sms.with_context(gammu_push_now=True)._send_with_api(SmsApiGammu(gateway.env, gateway),
                                                                     raise_exception=True)
            return len(sms)

    def _push_to_outbox(self, sms):
        """Insert these SMS into gammu's outbox exactly once and commit gammu's transaction; returns
        Odoo's provider results ([{uuid, state, gammu_id}])."""
        self.ensure_one()
        country = self.country_id or self.company_id.country_id
        numbers = {record.id: phone.normalize(self.env, record.number, country) for record in sms}
        results = [{"uuid": record.uuid, "state": "wrong_number_format"} for record in sms if not numbers[record.id]]
        valid = sms.filtered(lambda record: numbers[record.id])
        if not valid:
            return results
        keys = {record.id: record._gammu_creator_id() for record in valid}
        with self._database_connection() as conn, conn.cursor() as gcr:
            gammu_ids = gammu_store.known_creator_ids(gcr, keys.values(), set(numbers.values()) - {False})
            gammu_ids.update(gammu_store.insert_outbox(gcr, [
                gammu_store.OutgoingSms(keys[record.id], numbers[record.id], record._gammu_text(), record.id % 255 + 1)
                for record in valid if keys[record.id] not in gammu_ids
            ], sender_id=self.phone_id or None, delivery_report=self.delivery_report))
            conn.commit()
        return results + [
            {"uuid": record.uuid, "state": "processing", "gammu_id": gammu_ids[keys[record.id]]} for record in valid
        ]

    # ------------------------------------------------------------------
    # Delivery status
    # ------------------------------------------------------------------
    def _sync_status(self):
        """Read sentitems back onto the gateway's SMS and their chatter notifications."""
        self.ensure_one()
        with self._odoo_env() as gateway:
            sms = gateway.env["sms.sms"].search(
                [("gammu_gateway_id", "=", gateway.id), ("state", "in", ("process", "pending")),
                 ("gammu_id", "!=", False)],
                limit=gateway.batch_size * 4,
            )
            if not sms:
                return 0
            with gateway._database_connection() as conn, conn.cursor() as gcr:
                parts = gammu_store.read_sentitems(gcr, set(sms.mapped("gammu_id")))
            return sms._gammu_apply_sentitems(parts)
