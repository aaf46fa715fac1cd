"""gammu-smsd's SQL database: every statement Odoo runs on it, as functions of a psycopg2 cursor.

gammu-smsd owns this database (schema: /usr/share/doc/gammu-smsd/examples/pgsql.sql). Odoo reads
``inbox`` and marks its rows ``Processed``, writes ``outbox``/``outbox_multipart`` and reads
``sentitems``. No function commits: the caller decides when gammu's transaction ends.
"""
from collections import defaultdict, namedtuple

import psycopg2
import psycopg2.errors
from psycopg2.extras import execute_values

from . import sms_codec

# Errors after which the same batch is simply tried again (another importer got there first).
RETRYABLE = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,
)
# Columns read from the inbox; the age of a row counts from its insertion by gammu-smsd.
INBOX_COLUMNS = (
    '"ID", "SenderNumber", "Coding", "UDH", "Text", "TextDecoded", '
    'EXTRACT(EPOCH FROM LOCALTIMESTAMP - "UpdatedInDB")'
)
# sentitems statuses: sent (waiting for or without a delivery report), delivered, failed.
SENT = frozenset({"SendingOK", "SendingOKNoReport", "DeliveryPending", "DeliveryUnknown"})
DELIVERED = "DeliveryOK"
FAILED = frozenset({"SendingError", "Error", "DeliveryFailed"})

ServerInfo = namedtuple("ServerInfo", "version phone_id signal network")
OutgoingSms = namedtuple("OutgoingSms", "creator_id number text reference")
SentPart = namedtuple("SentPart", "outbox_id sequence status error_code delivered_at")


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


def server_info(cr, phone_id=""):
    """gammu's schema version and the modem that reported last (phone_id's, when given)."""
    cr.execute('SELECT "Version" FROM gammu')
    version = cr.fetchone()[0]
    cr.execute(
        'SELECT "ID", "Signal", "NetName" FROM phones WHERE %s = \'\' OR "ID" = %s '
        'ORDER BY "UpdatedInDB" DESC LIMIT 1',
        [phone_id or "", phone_id or ""],
    )
    phone = cr.fetchone()
    return ServerInfo(version, *(phone or (None, None, None)))


# ----------------------------------------------------------------------
# Inbox
# ----------------------------------------------------------------------
def lock_inbox_batch(cr, phone_id, after_id, limit):
    """Unprocessed inbox rows after after_id, locked (SKIP LOCKED: concurrent importers share the work)."""
    cr.execute(
        f"""SELECT {INBOX_COLUMNS} FROM inbox
             WHERE NOT "Processed" AND "ID" > %s AND (%s = '' OR "RecipientID" = %s)
             ORDER BY "ID" LIMIT %s FOR UPDATE SKIP LOCKED""",
        [after_id, phone_id or "", phone_id or "", limit],
    )
    return [InboxRow(row) for row in cr.fetchall()]


def lock_concat_siblings(cr, phone_id, senders, exclude_ids):
    """Unprocessed concatenated parts of senders outside exclude_ids: (rows, IDs this cursor locked).

    A part another importer holds is returned but not locked.
    """
    cr.execute(
        f'SELECT {INBOX_COLUMNS} FROM inbox WHERE NOT "Processed" AND "UDH" <> \'\' '
        'AND "SenderNumber" = ANY(%s) AND "ID" <> ALL(%s) AND (%s = \'\' OR "RecipientID" = %s) ORDER BY "ID"',
        [list(senders), list(exclude_ids), phone_id or "", phone_id or ""],
    )
    rows = [row for row in map(InboxRow, cr.fetchall()) if row.concat]
    if not rows:
        return [], set()
    cr.execute(
        'SELECT "ID" FROM inbox WHERE "ID" = ANY(%s) AND NOT "Processed" FOR UPDATE SKIP LOCKED',
        [[row.id for row in rows]],
    )
    return rows, {row_id for (row_id,) in cr.fetchall()}


def lock_senders(cr, numbers):
    """Serialise importers on these numbers until gammu's transaction ends (advisory locks)."""
    cr.execute(
        "SELECT pg_advisory_xact_lock(hashtext('helpdesk_sms:' || s)) FROM unnest(%s::text[]) s ORDER BY s",
        [sorted(numbers)],
    )


def mark_processed(cr, inbox_ids):
    if inbox_ids:
        cr.execute('UPDATE inbox SET "Processed" = true WHERE "ID" = ANY(%s)', [list(inbox_ids)])


# ----------------------------------------------------------------------
# Outbox and sentitems
# ----------------------------------------------------------------------
def known_creator_ids(cr, creator_ids, numbers):
    """{CreatorID: outbox ID} of the SMS gammu already has, waiting in outbox or sent."""
    cr.execute(
        """SELECT "CreatorID", "ID" FROM outbox WHERE "CreatorID" = ANY(%(keys)s)
           UNION SELECT "CreatorID", "ID" FROM sentitems
            WHERE "DestinationNumber" = ANY(%(numbers)s) AND "CreatorID" = ANY(%(keys)s)""",
        {"keys": list(creator_ids), "numbers": list(numbers)},
    )
    return dict(cr.fetchall())


def insert_outbox(cr, messages, sender_id=None, delivery_report=True):
    """Queue OutgoingSms for gammu-smsd; returns {CreatorID: outbox ID}.

    Single-part SMS go in one statement; a longer text goes into outbox (first part) and
    outbox_multipart (the others), with a concatenation header whose reference is the message's.
    """
    report = "yes" if delivery_report else "no"
    ids, single = {}, []
    for sms in messages:
        parts = sms_codec.split(sms.text)
        coding = sms_codec.GAMMU_CODING[sms_codec.encoding_of(sms.text)]
        if len(parts) == 1:
            single.append((sms.creator_id, sms.number, parts[0], coding, sender_id, report))
            continue
        udhs = [sms_codec.concat_udh(sms.reference, len(parts), seq) for seq in range(1, len(parts) + 1)]
        cr.execute(
            """INSERT INTO outbox ("CreatorID", "DestinationNumber", "TextDecoded", "Coding", "SenderID",
                                   "DeliveryReport", "MultiPart", "UDH")
               VALUES (%s, %s, %s, %s, %s, %s, true, %s) RETURNING "ID" """,
            [sms.creator_id, sms.number, parts[0], coding, sender_id, report, udhs[0]],
        )
        outbox_id = ids[sms.creator_id] = cr.fetchone()[0]
        cr.executemany(
            """INSERT INTO outbox_multipart ("ID", "SequencePosition", "UDH", "Coding", "TextDecoded")
               VALUES (%s, %s, %s, %s, %s)""",
            [(outbox_id, seq, udhs[seq - 1], coding, parts[seq - 1]) for seq in range(2, len(parts) + 1)],
        )
    if single:
        ids.update(execute_values(
            cr,
            """INSERT INTO outbox ("CreatorID", "DestinationNumber", "TextDecoded", "Coding", "SenderID",
                                   "DeliveryReport") VALUES %s RETURNING "CreatorID", "ID" """,
            single,
            fetch=True,
            page_size=len(single),
        ))
    return ids


def read_sentitems(cr, outbox_ids):
    """{outbox ID: [SentPart]} of the SMS gammu-smsd has sent or tried to send."""
    cr.execute(
        """SELECT "ID", "SequencePosition", "Status", "StatusError", "DeliveryDateTime"
             FROM sentitems WHERE "ID" = ANY(%s) ORDER BY "ID", "SequencePosition" """,
        [list(outbox_ids)],
    )
    parts = defaultdict(list)
    for row in cr.fetchall():
        parts[row[0]].append(SentPart(*row))
    return dict(parts)


def outcome(parts, part_count):
    """("failed", first failed part) / ("delivered", date) / ("sent", None) / (None, None) for an SMS's parts.

    An SMS is sent when all its parts are, delivered when all are; one failed part fails it.
    """
    if failed := [part for part in parts if part.status in FAILED]:
        return "failed", failed[0]
    if len(parts) < part_count:
        return None, None
    if all(part.status == DELIVERED for part in parts):
        return "delivered", max((part.delivered_at for part in parts if part.delivered_at), default=None)
    if all(part.status in SENT or part.status == DELIVERED for part in parts):
        return "sent", None
    return None, None
