import logging
import time
from collections import defaultdict
from contextlib import contextmanager

import psycopg2
import psycopg2.errors
from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import sms_codec

_logger = logging.getLogger(__name__)

# Columns read from gammu's inbox; the age of a row counts from its insertion by gammu-smsd.
INBOX_COLUMNS = (
    '"ID", "SenderNumber", "Coding", "UDH", "Text", "TextDecoded", '
    'EXTRACT(EPOCH FROM LOCALTIMESTAMP - "UpdatedInDB")'
)
# Errors after which the same batch is simply tried again (another importer got there first).
RETRYABLE = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,
)
SUBJECT_LENGTH = 80


class InboxRow:
    """One row of gammu's inbox table, with its concatenation header read."""

    __slots__ = ("age", "coding", "concat", "id", "note", "sender", "text")

    def __init__(self, row):
        self.id, self.sender, self.coding, udh, text_hex, text_decoded, age = row
        self.age = float(age or 0)
        self.text = sms_codec.decode_inbox_text(self.coding, text_hex, text_decoded)
        self.note = ""
        try:
            self.concat = sms_codec.parse_concat_udh(udh)
        except ValueError as exc:
            self.concat = None
            self.note = f"UDH {udh!r} could not be read ({exc}); imported as a single message."


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
        groups = self.env["helpdesk.sms.message"]._read_group(
            [("gateway_id", "in", self.ids)], ["gateway_id", "direction", "state"], ["__count"]
        )
        counts = defaultdict(lambda: defaultdict(int))
        for gateway, direction, state, count in groups:
            counts[gateway.id][direction] += count
            if state == "error":
                counts[gateway.id]["error"] += count
        for gateway in self:
            gateway.received_count = counts[gateway.id]["in"]
            gateway.sent_count = counts[gateway.id]["out"]
            gateway.failed_count = counts[gateway.id]["error"]

    # ------------------------------------------------------------------
    # Connection
    # ------------------------------------------------------------------
    def action_test_connection(self):
        self.ensure_one()
        try:
            with self._database_connection() as conn, conn.cursor() as cr:
                cr.execute('SELECT "Version" FROM gammu')
                version = cr.fetchone()[0]
                cr.execute(
                    'SELECT "ID", "Signal", "NetName" FROM phones WHERE %s = \'\' OR "ID" = %s '
                    'ORDER BY "UpdatedInDB" DESC LIMIT 1',
                    [self.phone_id or "", self.phone_id or ""],
                )
                phone = cr.fetchone()
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
        if phone:
            message = self.env._(
                "Connected: gammu schema version %(version)s, modem %(phone)s, signal %(signal)s%%, network %(net)s.",
                version=version, phone=phone[0], signal=phone[1], net=phone[2],
            )
        else:
            message = self.env._(
                "Connected: gammu schema version %(version)s. No modem has reported yet: is gammu-smsd running?",
                version=version,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success" if phone else "warning", "message": message, "sticky": False},
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
        importers share the work), the SMS are stored in Odoo under a unique key (gateway, first
        inbox ID) and committed, and only then are the rows marked "Processed" in gammu's
        transaction. A crash between the two commits leaves rows whose key Odoo already has: the
        next run only marks them.
        """
        self.ensure_one()
        imported, after_id, attempts = 0, 0, 0
        with self._database_connection() as conn:
            while True:
                try:
                    with conn.cursor() as gcr:
                        rows = self._lock_inbox_batch(gcr, after_id)
                        if not rows:
                            conn.rollback()
                            break
                        next_after_id = rows[-1].id
                        groups = self._group_inbox_rows(gcr, rows)
                        with self._odoo_env() as gateway:
                            done_ids, created = gateway._store_incoming(
                                groups, lambda senders, gcr=gcr: self._lock_senders(gcr, senders))
                        if done_ids:
                            gcr.execute('UPDATE inbox SET "Processed" = true WHERE "ID" = ANY(%s)', [done_ids])
                    conn.commit()
                except RETRYABLE as exc:
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

    def _lock_inbox_batch(self, gcr, after_id):
        gcr.execute(
            f"""SELECT {INBOX_COLUMNS} FROM inbox
                 WHERE NOT "Processed" AND "ID" > %s AND (%s = '' OR "RecipientID" = %s)
                 ORDER BY "ID" LIMIT %s FOR UPDATE SKIP LOCKED""",
            [after_id, self.phone_id or "", self.phone_id or "", self.batch_size],
        )
        return [InboxRow(row) for row in gcr.fetchall()]

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
            known = [row.id for row in rows]
            gcr.execute(
                f'SELECT {INBOX_COLUMNS} FROM inbox WHERE NOT "Processed" AND "UDH" <> \'\' '
                'AND "SenderNumber" = ANY(%s) AND "ID" <> ALL(%s) AND (%s = \'\' OR "RecipientID" = %s) ORDER BY "ID"',
                [list({key[0] for key in incomplete}), known, self.phone_id or "", self.phone_id or ""],
            )
            siblings = [
                row for row in map(InboxRow, gcr.fetchall())
                if row.concat and (row.sender, row.concat[0], row.concat[1]) in incomplete
            ]
            if siblings:
                gcr.execute(
                    'SELECT "ID" FROM inbox WHERE "ID" = ANY(%s) AND NOT "Processed" FOR UPDATE SKIP LOCKED',
                    [[row.id for row in siblings]],
                )
                locked = {row_id for (row_id,) in gcr.fetchall()}
                for row in siblings:
                    key = (row.sender, row.concat[0], row.concat[1])
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

    def _make_group(self, rows, note="", total=None, extra=()):
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

    def _lock_senders(self, gcr, numbers):
        """Serialise importers on numbers without a contact (in gammu's database, held until the rows
        are marked), so that only one of them creates the contact of a new number, however it is written.
        """
        gcr.execute(
            "SELECT pg_advisory_xact_lock(hashtext('helpdesk_sms:' || s)) FROM unnest(%s::text[]) s ORDER BY s",
            [sorted(numbers)],
        )

    def _store_incoming(self, groups, lock_senders=None):
        """Create the SMS, contacts and tickets of a batch; returns (inbox IDs to mark, SMS created)."""
        Message = self.env["helpdesk.sms.message"]
        existing = Message.search_fetch(
            [("gateway_id", "=", self.id), ("direction", "=", "in"), ("gammu_id", "in", [g["key"] for g in groups])],
            ["gammu_id", "gammu_part_ids"],
        )
        recorded = {msg.gammu_id: set(msg._inbox_ids()) for msg in existing}
        done_ids, new_groups = [], []
        for group in groups:
            seen = recorded.get(group["key"])
            if seen is None:
                new_groups.append(group)
                continue
            # Imported by a run that stopped before marking the rows: only mark them now.
            done_ids += [row_id for row_id in group["ids"] if row_id in seen]
            late = [row for row in group["rows"] if row.id not in seen]
            if late:
                new_groups.append(self._make_group(late, note=self.env._("Late part of an SMS imported before.")))
        if not new_groups:
            return done_ids, 0
        try:
            with self.env.cr.savepoint():
                messages = self._create_incoming(new_groups, lock_senders)
        except RETRYABLE:
            raise  # another importer's transaction is in the way: the whole batch is tried again
        except Exception as batch_error:  # noqa: BLE001 - any failure falls back to one SMS at a time
            _logger.warning("SMS gateway %s: batch import failed (%s), importing one by one", self.name, batch_error)
            messages = Message
            for group in new_groups:
                try:
                    with self.env.cr.savepoint():
                        messages |= self._create_incoming([group], lock_senders)
                except RETRYABLE:
                    raise
                except Exception as exc:  # noqa: BLE001 - the SMS is kept with the error, nothing is lost
                    _logger.exception("SMS gateway %s: inbox row %s not imported", self.name, group["key"])
                    messages |= Message.create(self._incoming_vals(group, None, error=self.env._(
                        "Could not be imported: %(error)s", error=str(exc)
                    )))
        done_ids += [row_id for group in new_groups for row_id in group["ids"]]
        return done_ids, len(messages)

    def _incoming_vals(self, group, number, error=""):
        return {
            "gateway_id": self.id,
            "company_id": self.company_id.id,
            "direction": "in",
            "state": "error" if error else "received",
            "number": number or group["sender"],
            "raw_number": group["sender"],
            "body": group["text"],
            "coding": "8bit" if group["coding"] == "8bit" else sms_codec.encoding_of(group["text"]),
            "part_count": group["parts"],
            "gammu_id": group["key"],
            "gammu_part_ids": ",".join(map(str, group["ids"])),
            "error_message": " ".join(filter(None, [group["note"], error])) or False,
        }

    def _create_incoming(self, groups, lock_senders=None):
        """Match senders (by normalised number) and ticket codes, create contacts and tickets in batch.

        Numbers without a contact are locked first (lock_senders) and looked up again: another
        importer may have created their contact meanwhile, and its commit is visible now.
        """
        country = self.country_id or self.company_id.country_id
        numbers = {group["key"]: phone.normalize(self.env, group["sender"], country) for group in groups}
        partners = phone.partners_by_number(self.env, numbers.values())
        unknown = set(numbers.values()) - partners.keys() - {False}
        if unknown and lock_senders:
            lock_senders(unknown)
            partners.update(phone.partners_by_number(self.env, unknown))
        references = self._tickets_by_reference([group["text"] for group in groups])

        # Contacts made from bare numbers: no chatter history or followers of their own (one INSERT per batch).
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        missing = sorted({
            n for group in groups
            if (n := numbers[group["key"]]) and n not in partners and group["text"].strip()
        })
        for partner in Partner.create([{"name": number, "phone": number} for number in missing]):
            partners[partner.phone] = partner

        ticket_vals, ticket_groups = [], []
        for group in groups:
            number, text = numbers[group["key"]], group["text"]
            if not number:
                group["error"] = self.env._(
                    "Sender “%(sender)s” is not a phone number: no ticket was created.", sender=group["sender"]
                )
            elif not text.strip():
                group["error"] = self.env._("Empty SMS from %(number)s: no ticket was created.", number=number)
            elif references.get(text):
                group["ticket"] = references[text]
            else:
                ticket_vals.append(self._ticket_vals(text, partners[number]))
                ticket_groups.append(group)
        # The SMS itself is the first message of its ticket (see helpdesk.sms.message._create_received).
        tickets = self.env["helpdesk.ticket"]._create_with_first_message(ticket_vals)
        tickets = tickets.with_env(self.env)
        for group, ticket in zip(ticket_groups, tickets, strict=True):
            group["ticket"] = ticket

        vals_list = []
        for group in groups:
            number = numbers[group["key"]]
            vals = self._incoming_vals(group, number)
            vals.update(
                partner_id=partners[number].id if number in partners else False,
                ticket_id=group["ticket"].id if group.get("ticket") else False,
            )
            if group.get("error"):
                vals.update(state="ignored", error_message=" ".join(filter(None, [group["error"], group["note"]])))
            vals_list.append(vals)
        messages = self.env["helpdesk.sms.message"]._create_received(vals_list, tickets)
        tickets._sms_notify("created")  # the acknowledgement answers the SMS: after it in the conversation
        return messages

    def _ticket_vals(self, text, partner):
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
        subject = first_line if len(first_line) <= SUBJECT_LENGTH else first_line[:SUBJECT_LENGTH - 1] + "…"
        return {
            "name": subject,
            "description": text,
            "partner_id": partner.id,
            "channel": "sms",
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "sms_gateway_id": self.id,
        }

    def _tickets_by_reference(self, texts):
        """{text: ticket} for the texts naming a ticket of the gateway's company, in one query."""
        return self.env["helpdesk.ticket"]._find_by_code_references(texts, company=self.company_id)

    # ------------------------------------------------------------------
    # Outbox
    # ------------------------------------------------------------------
    def _schedule_push(self):
        """Send queued SMS right after the current transaction commits (the cron is the fallback)."""
        gateway_ids, registry, context = self.ids, self.env.registry, dict(self.env.context)

        def push():
            for gateway_id in gateway_ids:
                with registry.cursor() as cr:
                    gateway = api.Environment(cr, SUPERUSER_ID, context)[self._name].browse(gateway_id).exists()
                    try:
                        gateway._push_outbox()
                    except psycopg2.Error as exc:
                        _logger.warning("SMS gateway %s: sending postponed to the next poll (%s)", gateway.name, exc)

        self.env.cr.postcommit.add(push)

    def _push_outbox(self):
        """Insert this gateway's queued SMS into gammu's outbox exactly once.

        The messages are locked in Odoo (FOR UPDATE SKIP LOCKED), each gets the CreatorID
        “odoo-<db>-<sms id>-<attempt>”; rows gammu already has under that CreatorID (a run that
        stopped between the two commits) are found again instead of being inserted twice.
        """
        self.ensure_one()
        with self._odoo_env() as gateway:
            cr = gateway.env.cr
            cr.execute(SQL(
                """SELECT id FROM helpdesk_sms_message
                    WHERE gateway_id = %s AND direction = 'out' AND state = 'queued'
                    ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                gateway.id, gateway.batch_size,
            ))
            messages = gateway.env["helpdesk.sms.message"].browse([row[0] for row in cr.fetchall()])
            if not messages:
                return 0
            keys = {msg.id: msg._creator_id() for msg in messages}
            with gateway._database_connection() as conn, conn.cursor() as gcr:
                gcr.execute(
                    """SELECT "CreatorID", "ID" FROM outbox WHERE "CreatorID" = ANY(%(keys)s)
                       UNION SELECT "CreatorID", "ID" FROM sentitems
                        WHERE "DestinationNumber" = ANY(%(numbers)s) AND "CreatorID" = ANY(%(keys)s)""",
                    {"keys": list(keys.values()), "numbers": list(set(messages.mapped("number")))},
                )
                known = dict(gcr.fetchall())
                gammu_ids = {msg.id: known[keys[msg.id]] for msg in messages if keys[msg.id] in known}
                new = messages.filtered(lambda m: m.id not in gammu_ids)
                parts = {msg.id: sms_codec.split(msg.body) for msg in new}
                single = new.filtered(lambda m: len(parts[m.id]) == 1)
                gammu_ids.update(gateway._insert_outbox_single(gcr, single, keys, parts))
                for msg in new - single:
                    gammu_ids[msg.id] = gateway._insert_outbox(gcr, msg, keys[msg.id])
                conn.commit()
            # One UPDATE for the batch: only these three columns change, nothing computes from them.
            messages.flush_recordset(["state", "gammu_id", "error_message"])
            cr.execute(SQL(
                """UPDATE helpdesk_sms_message sms
                      SET state = 'outbox', gammu_id = sent.gammu_id, error_message = NULL,
                          write_uid = %s, write_date = (now() at time zone 'UTC')
                     FROM unnest(%s::int[], %s::int[]) AS sent(id, gammu_id) WHERE sms.id = sent.id""",
                gateway.env.uid, list(gammu_ids), list(gammu_ids.values()),
            ))
            messages.invalidate_recordset(["state", "gammu_id", "error_message", "write_uid", "write_date"])
            return len(messages)

    def _insert_outbox_single(self, gcr, messages, keys, parts):
        """Insert single-part SMS into gammu's outbox in one statement; returns {SMS id: outbox ID}."""
        if not messages:
            return {}
        rows = [
            (keys[msg.id], msg.number, parts[msg.id][0], sms_codec.GAMMU_CODING[sms_codec.encoding_of(msg.body)],
             self.phone_id or None, "yes" if self.delivery_report else "no")
            for msg in messages
        ]
        inserted = execute_values(
            gcr,
            """INSERT INTO outbox ("CreatorID", "DestinationNumber", "TextDecoded", "Coding", "SenderID",
                                   "DeliveryReport") VALUES %s RETURNING "CreatorID", "ID" """,
            rows,
            fetch=True,
            page_size=len(rows),
        )
        by_key = dict(inserted)
        return {msg.id: by_key[keys[msg.id]] for msg in messages}

    def _insert_outbox(self, gcr, message, creator_id):
        parts = sms_codec.split(message.body)
        coding = sms_codec.GAMMU_CODING[sms_codec.encoding_of(message.body)]
        common = {
            "creator": creator_id,
            "number": message.number,
            "coding": coding,
            "sender": self.phone_id or None,
            "report": "yes" if self.delivery_report else "no",
        }
        if len(parts) == 1:
            gcr.execute(
                """INSERT INTO outbox ("CreatorID", "DestinationNumber", "TextDecoded", "Coding", "SenderID",
                                       "DeliveryReport")
                   VALUES (%(creator)s, %(number)s, %(text)s, %(coding)s, %(sender)s, %(report)s) RETURNING "ID" """,
                dict(common, text=parts[0]),
            )
            return gcr.fetchone()[0]
        reference = message.id % 255 + 1
        udhs = [sms_codec.concat_udh(reference, len(parts), seq) for seq in range(1, len(parts) + 1)]
        gcr.execute(
            """INSERT INTO outbox ("CreatorID", "DestinationNumber", "TextDecoded", "Coding", "SenderID",
                                   "DeliveryReport", "MultiPart", "UDH")
               VALUES (%(creator)s, %(number)s, %(text)s, %(coding)s, %(sender)s, %(report)s, true, %(udh)s)
               RETURNING "ID" """,
            dict(common, text=parts[0], udh=udhs[0]),
        )
        outbox_id = gcr.fetchone()[0]
        gcr.executemany(
            """INSERT INTO outbox_multipart ("ID", "SequencePosition", "UDH", "Coding", "TextDecoded")
               VALUES (%s, %s, %s, %s, %s)""",
            [(outbox_id, seq, udhs[seq - 1], coding, parts[seq - 1]) for seq in range(2, len(parts) + 1)],
        )
        return outbox_id

    # ------------------------------------------------------------------
    # Delivery status
    # ------------------------------------------------------------------
    def _sync_status(self):
        """Read sentitems back: an SMS is sent when all its parts are, delivered when all are."""
        self.ensure_one()
        with self._odoo_env() as gateway:
            messages = gateway.env["helpdesk.sms.message"].search(
                [("gateway_id", "=", gateway.id), ("direction", "=", "out"), ("state", "in", ("outbox", "sent")),
                 ("gammu_id", "!=", False)],
                limit=gateway.batch_size * 4,
            )
            if not messages:
                return 0
            with gateway._database_connection() as conn, conn.cursor() as gcr:
                gcr.execute(
                    """SELECT "ID", "SequencePosition", "Status", "StatusError", "DeliveryDateTime", "CreatorID"
                         FROM sentitems WHERE "ID" = ANY(%s)""",
                    [messages.mapped("gammu_id")],
                )
                parts = defaultdict(list)
                for row in gcr.fetchall():
                    parts[row[0]].append(row)
            return messages._apply_sentitems(parts)
