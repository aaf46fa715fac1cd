"""helpdesk_sms/tools/gammu_store.py on a throw-away database with gammu-smsd's own schema.

Every statement Odoo runs on gammu's database is here; these tests pin what each one reads, locks
and writes, with two connections where importers or senders run at once.
"""
from contextlib import closing

import psycopg2
import psycopg2.errors
import pytest
from hd_sms_support import PHONE_ID

from odoo.addons.helpdesk_sms.tools import gammu_store


def connection(gammu_db):
    return closing(psycopg2.connect(gammu_db.dsn))


def test_server_info_reports_the_schema_and_the_modem(gammu_db):
    with connection(gammu_db) as conn, conn.cursor() as cr:
        info = gammu_store.server_info(cr, PHONE_ID)
        assert info.version >= 17 and info.phone_id is None, "no modem has reported yet"
        cr.execute("""INSERT INTO phones ("ID", "IMEI", "IMSI", "Client", "Signal", "NetName")
                      VALUES (%s, '3520990001', '5101000001', 'Gammu', 63, 'TELKOMSEL')""", [PHONE_ID])
        assert gammu_store.server_info(cr, PHONE_ID)[1:] == (PHONE_ID, 63, "TELKOMSEL")
        assert gammu_store.server_info(cr, "modem-lain").phone_id is None


def test_concurrent_importers_share_the_inbox(gammu_db):
    gammu_db.insert_inbox([(f"+6281200000{i}", f"Pesan {i}", "", "Default_No_Compression") for i in range(5)])
    gammu_db.query("""INSERT INTO inbox ("SenderNumber", "Text", "UDH", "Coding", "TextDecoded", "RecipientID")
                      VALUES ('+628120000099', '', '', 'Default_No_Compression', 'Modem lain', 'modem-lain')""")
    with connection(gammu_db) as first, connection(gammu_db) as second:
        batch = gammu_store.lock_inbox_batch(first.cursor(), PHONE_ID, 0, 2)
        assert [row.text for row in batch] == ["Pesan 0", "Pesan 1"]
        others = gammu_store.lock_inbox_batch(second.cursor(), PHONE_ID, 0, 10)
        assert [row.text for row in others] == ["Pesan 2", "Pesan 3", "Pesan 4"], \
            "the rows the first importer holds are skipped, another modem's SMS are not read"
        gammu_store.mark_processed(first.cursor(), [row.id for row in batch])
        first.commit()
        second.rollback()
        assert [row.text for row in gammu_store.lock_inbox_batch(second.cursor(), PHONE_ID, 0, 10)] == [
            "Pesan 2", "Pesan 3", "Pesan 4"], "processed rows are not read again"
        assert [row.text for row in gammu_store.lock_inbox_batch(second.cursor(), "", batch[-1].id, 10)][-1] \
            == "Modem lain", "without a PhoneID every modem's SMS are read"


def test_inbox_rows_are_decoded_and_a_broken_header_is_explained(gammu_db):
    gammu_db.insert_inbox([
        ("+6281211110000", "Server mati ✓", "050003A70201", "Unicode_No_Compression"),
        ("+6281211110000", "UDH rusak", "0500", "Default_No_Compression"),
    ])
    with connection(gammu_db) as conn:
        part, broken = gammu_store.lock_inbox_batch(conn.cursor(), PHONE_ID, 0, 10)
    assert (part.text, part.concat, part.note) == ("Server mati ✓", (0xA7, 2, 1), "")
    assert broken.concat is None and "could not be read" in broken.note


def test_concatenated_siblings_are_locked_unless_another_importer_holds_them(gammu_db):
    gammu_db.insert_inbox([
        ("+6281277770000", "bagian satu ", "050003110301", "Default_No_Compression"),
        ("+6281277770000", "bagian dua ", "050003110302", "Default_No_Compression"),
        ("+6281277770000", "bagian tiga", "050003110303", "Default_No_Compression"),
        ("+6281277770000", "pesan biasa", "", "Default_No_Compression"),
    ])
    with connection(gammu_db) as first, connection(gammu_db) as second:
        [one] = gammu_store.lock_inbox_batch(first.cursor(), PHONE_ID, 0, 1)
        [two] = gammu_store.lock_inbox_batch(second.cursor(), PHONE_ID, one.id, 1)
        siblings, locked = gammu_store.lock_concat_siblings(first.cursor(), PHONE_ID, {one.sender}, [one.id])
        assert [row.text for row in siblings] == ["bagian dua ", "bagian tiga"], "only concatenated parts"
        assert locked == {siblings[1].id} and two.id not in locked, "the part the other importer holds waits"


def test_sender_locks_serialise_importers(gammu_db):
    with connection(gammu_db) as first, connection(gammu_db) as second:
        gammu_store.lock_senders(first.cursor(), {"+6281200001111", "+6281200002222"})
        cr = second.cursor()
        cr.execute("SET lock_timeout = '100ms'")
        gammu_store.lock_senders(cr, {"+6281200003333"})
        with pytest.raises(psycopg2.errors.LockNotAvailable):
            gammu_store.lock_senders(cr, {"+6281200002222"})
        second.rollback()
        first.rollback()
        gammu_store.lock_senders(second.cursor(), {"+6281200002222"})  # free once the first transaction ends


def test_outbox_single_and_multipart_and_known_creator_ids(gammu_db):
    long_text = "Mohon maaf atas gangguannya 🙏 " * 8
    messages = [
        gammu_store.OutgoingSms("odoo-test-1-0", "+6281211112222", "Teknisi datang jam 14.00", 2),
        gammu_store.OutgoingSms("odoo-test-2-0", "+6281211113333", "Harga €5", 3),
        gammu_store.OutgoingSms("odoo-test-3-0", "+6281211114444", long_text.strip(), 4),
    ]
    with connection(gammu_db) as conn, conn.cursor() as cr:
        ids = gammu_store.insert_outbox(cr, messages, sender_id=PHONE_ID, delivery_report=False)
        conn.commit()
        assert set(ids) == {"odoo-test-1-0", "odoo-test-2-0", "odoo-test-3-0"}
        assert gammu_store.known_creator_ids(cr, ids, ["+6281211112222"]) == ids, "found again in the outbox"
        cr.execute('SELECT "CreatorID", "Coding", "SenderID", "DeliveryReport", "MultiPart", "UDH" FROM outbox '
                   'ORDER BY "ID"')
        rows = {row[0]: row[1:] for row in cr.fetchall()}
        assert rows["odoo-test-1-0"] == ("Default_No_Compression", PHONE_ID, "no", False, None)
        assert rows["odoo-test-2-0"][0] == "Default_No_Compression", "the GSM-7 extension table is still GSM-7"
        assert rows["odoo-test-3-0"][:4] == ("Unicode_No_Compression", PHONE_ID, "no", True)
        assert rows["odoo-test-3-0"][4] == "050003040401"
        cr.execute('SELECT "SequencePosition", "UDH", "TextDecoded" FROM outbox_multipart WHERE "ID" = %s '
                   'ORDER BY 1', [ids["odoo-test-3-0"]])
        parts = cr.fetchall()
        assert [(seq, udh) for seq, udh, _text in parts] == [(2, "050003040402"), (3, "050003040403"),
                                                           (4, "050003040404")]
        # gammu-smsd moves what it sent to sentitems: the CreatorID is still found there.
        cr.execute('DELETE FROM outbox WHERE "ID" = %s', [ids["odoo-test-1-0"]])
        cr.execute("""INSERT INTO sentitems ("ID", "DestinationNumber", "Text", "UDH", "SenderID", "CreatorID")
                      VALUES (%s, '+6281211112222', '', '', %s, 'odoo-test-1-0')""", [ids["odoo-test-1-0"], PHONE_ID])
        assert gammu_store.known_creator_ids(cr, ["odoo-test-1-0"], ["+6281211112222"]) == {
            "odoo-test-1-0": ids["odoo-test-1-0"]}
        assert gammu_store.known_creator_ids(cr, ["odoo-test-1-1"], ["+6281211112222"]) == {}, "a retry is new"


def test_sentitems_statuses_give_each_sms_its_outcome(gammu_db):
    with connection(gammu_db) as conn, conn.cursor() as cr:
        for outbox_id, seq, status, error in ((7, 1, "DeliveryOK", -1), (7, 2, "DeliveryOK", -1),
                                              (8, 1, "SendingOK", -1), (9, 1, "SendingOK", -1),
                                              (9, 2, "SendingError", 27)):
            cr.execute("""INSERT INTO sentitems ("ID", "SequencePosition", "Status", "StatusError", "Text", "UDH",
                                                 "SenderID", "CreatorID", "DeliveryDateTime")
                          VALUES (%s, %s, %s, %s, '', '', '', 'x', CASE WHEN %s = 'DeliveryOK'
                                  THEN TIMESTAMP '2026-01-01 12:00:00' + %s * INTERVAL '1 minute' END)""",
                       [outbox_id, seq, status, error, status, seq])
        parts = gammu_store.read_sentitems(cr, [7, 8, 9, 10])
    assert set(parts) == {7, 8, 9}
    result, delivered_at = gammu_store.outcome(parts[7], 2)
    assert result == "delivered" and delivered_at.minute == 2, "delivered when its last part is"
    assert gammu_store.outcome(parts[8], 1) == ("sent", None)
    assert gammu_store.outcome(parts[8], 2) == (None, None), "a part not sent yet"
    result, failed = gammu_store.outcome(parts[9], 2)
    assert result == "failed" and (failed.sequence, failed.status, failed.error_code) == (2, "SendingError", 27)
