"""helpdesk_sms against a real gammu-smsd (dummy phone, SQL service on PostgreSQL).

An SMS put in the dummy modem's inbox goes gammu-smsd → inbox table → RunOnReceive → Odoo
endpoint → ticket; an agent's answer goes Odoo → outbox → gammu-smsd → sentitems → status in Odoo.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from unittest.mock import patch

from e2e_support import wait_for
from hd_sms_support import inbox_rows

import odoo
from odoo.addons.helpdesk_sms.tools import sms_codec
from odoo.tests.common import get_db_name

CUSTOMER = "081277771234"  # written the Indonesian way, without +62
CUSTOMER_E164 = "+6281277771234"


def send_sms(env, ticket, body, user=None):
    """What an agent does: Odoo's SMS composer from the ticket's "Send SMS" button."""
    ticket = ticket.with_user(user) if user else ticket
    action = ticket.action_open_sms_composer()
    composer = env[action["res_model"]].with_user(ticket.env.user).with_context(**action["context"]).create(
        {"body": body})
    composer.action_send_sms()
    return composer


def reply_sms(env, ticket_id):
    """The SMS an agent sent from the ticket (Odoo's sms.sms of its chatter messages, not the automatic ones)."""
    return env["sms.sms"].search([("mail_message_id.model", "=", "helpdesk.ticket"),
                                  ("mail_message_id.res_id", "=", ticket_id), ("helpdesk_ticket_id", "=", False)])


def tickets_of(env, gateway, **filters):
    domain = [("sms_gateway_id", "=", gateway["id"])] + [(k, "=", v) for k, v in filters.items()]
    return env["helpdesk.ticket"].search(domain)


def processed_flags(gammu_db):
    return [row[0] for row in gammu_db.query('SELECT "Processed" FROM inbox ORDER BY "ID"')]


def test_sms_in_creates_ticket_on_receive(gateway, smsd, committed_env):
    """RunOnReceive calls Odoo: the SMS becomes a ticket without waiting for the import cron
    (how fast is measured by the benchmark, not here)."""
    smsd.deliver(CUSTOMER, ["Printer kantor cabang Cimahi rusak\nTidak bisa cetak sama sekali"])

    def ticket():
        return committed_env(lambda env: tickets_of(env, gateway).read(["code", "name", "channel", "partner_id"]))

    found = wait_for(ticket, timeout=10, interval=0.2, message="the ticket created by RunOnReceive")
    assert len(found) == 1
    assert found[0]["name"] == "Printer kantor cabang Cimahi rusak"
    assert found[0]["channel"] == "sms"

    def check(env):
        t = tickets_of(env, gateway)
        assert t.partner_id.phone_sanitized == CUSTOMER_E164, "a new contact with the normalised number"
        assert t.team_id.id == gateway["team_id"]
        sms = env["helpdesk.sms.message"].search([("ticket_id", "=", t.id)])
        assert sms.state == "received" and sms.number == CUSTOMER_E164 and sms.raw_number == CUSTOMER
        assert "Tidak bisa cetak" in sms.mail_message_id.body
        assert sms.mail_message_id.author_id == t.partner_id
        assert t.message_ids.sorted("id")[0] == sms.mail_message_id, "the SMS starts the conversation"
        return t.code

    code = committed_env(check)
    # gammu's row is marked right after Odoo committed the ticket.
    wait_for(lambda: processed_flags(gateway["db"]) == [True], timeout=5, message="the inbox row marked Processed")
    # The team acknowledges new tickets by SMS: the daemon sends it with the ticket code.
    sent = wait_for(lambda: gateway["db"].query(
        'SELECT "DestinationNumber", "TextDecoded", "Status" FROM sentitems'), timeout=15,
        message="the acknowledgement SMS in sentitems")
    assert sent[0][0] == CUSTOMER_E164 and code in sent[0][1] and sent[0][2].startswith("SendingOK")

    # The acknowledgement is written in the conversation once gammu has sent it, with its outcome.
    def acknowledgement(env):
        return env["sms.sms"].search([("helpdesk_ticket_id.code", "=", code)])

    assert not committed_env(lambda env: acknowledgement(env).mail_message_id), "no note while it is queued"
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._run())

    def check_note(env):
        ack = acknowledgement(env)
        note = ack.mail_message_id
        assert ack.state == "pending" and note.subtype_id == env.ref("mail.mt_note") and note.message_type == "sms"
        assert note.notification_ids.notification_status == "pending", "the chatter's icon: sent"
        assert code in note.body
        conversation = ack.helpdesk_ticket_id.message_ids.sorted("id")
        assert conversation.ids == [ack.helpdesk_ticket_id.sms_message_ids.mail_message_id.id, note.id], \
            "the SMS, then the answer"

    committed_env(check_note)


def test_two_sms_without_code_from_one_number_make_one_ticket(gateway, smsd, committed_env):
    """A customer texts again without the ticket code, within the team's window (24 hours by default):
    the second SMS is added to the ticket the first opened, as the customer's reply, and counted as a
    duplicate caught on the SMS channel."""
    smsd.deliver(CUSTOMER, ["Internet kantor cabang Cimahi mati"])
    wait_for(lambda: committed_env(lambda env: len(tickets_of(env, gateway)) == 1), timeout=10, interval=0.2,
             message="the first ticket")
    smsd.deliver(CUSTOMER, ["Masih mati sampai sekarang, tolong dicek"])

    def both():
        return committed_env(lambda env: env["helpdesk.sms.message"].search_count(
            [("gateway_id", "=", gateway["id"])]) == 2)

    wait_for(both, timeout=10, interval=0.2, message="the second SMS imported")
    wait_for(lambda: all(processed_flags(gateway["db"])), timeout=5, message="the inbox rows marked Processed")

    def check(env):
        ticket = tickets_of(env, gateway)
        assert len(ticket) == 1, "one ticket for both SMS"
        first, second = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])], order="gammu_id")
        assert first.ticket_id == second.ticket_id == ticket
        assert ticket.message_ids.sorted("id")[0] == first.mail_message_id, "the first SMS opened it"
        assert "Masih mati" in second.mail_message_id.body and second.mail_message_id.author_id == ticket.partner_id
        events = env["helpdesk.duplicate.event"].search([("ticket_id", "=", ticket.id)])
        assert events.mapped("channel") == ["sms"] and events.sms_message_id == second
        assert ticket.duplicate_channel == "sms"

    committed_env(check)
    # Only the first SMS was acknowledged with a ticket code: the follow-up opened no ticket.
    sent = wait_for(lambda: gateway["db"].query('SELECT "TextDecoded" FROM sentitems'), timeout=15,
                    message="the acknowledgement SMS in sentitems")
    assert len(gateway["db"].query('SELECT 1 FROM outbox UNION ALL SELECT 1 FROM sentitems')) == len(sent) == 1


def test_number_phonenumbers_cannot_validate_is_one_sender(gateway, smsd, committed_env):
    """0999… is possible but not valid for phonenumbers (Odoo leaves its phone_sanitized empty): every SMS
    from it, however the network writes the number, still comes from one contact. (The team's follow-up
    window is off here: each SMS opens its ticket.)"""
    committed_env(lambda env: env["helpdesk.team"].browse(gateway["team_id"]).write(
        {"sms_duplicate_window_hours": 0}))
    smsd.deliver("099912345678", ["Internet kantor mati"])
    wait_for(lambda: committed_env(lambda env: len(tickets_of(env, gateway)) == 1), timeout=10, interval=0.2,
             message="the first ticket")
    smsd.deliver("+6299912345678", ["Masih mati sampai sekarang"])
    wait_for(lambda: committed_env(lambda env: len(tickets_of(env, gateway)) == 2), timeout=10, interval=0.2,
             message="the second ticket")

    def check(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])])
        assert len(sms) == 2 and len(sms.partner_id) == 1, "one sender"
        assert set(sms.mapped("number")) == {"+6299912345678"}
        assert tickets_of(env, gateway).partner_id == sms.partner_id
        assert env["res.partner"].search_count([("phone_mobile_search", "=", "+6299912345678")]) == 1

    committed_env(check)


def test_sms_with_ticket_code_adds_to_that_ticket(gateway, smsd, committed_env):
    """A customer's SMS naming a ticket is a reply on it: a ticket waiting for the customer goes back
    to work, and its followers (the assignee) are notified through Odoo's scheduled-message queue."""
    def make_ticket(env):
        partner = env["res.partner"].create({"name": "Andi Wijaya", "phone": "+62 812 7777 1234"})
        ticket = env["helpdesk.ticket"].create({
            "name": "VPN putus", "partner_id": partner.id, "channel": "phone",
            "user_id": env.ref("helpdesk_ticketing.user_agent").id,
        })
        ticket.stage_id = env.ref("helpdesk_ticketing.stage_waiting")
        return ticket.id, ticket.code, partner.id

    ticket_id, code, partner_id = committed_env(make_ticket)
    smsd.deliver(CUSTOMER, [f"{code} sudah saya restart router, masih putus"])
    smsd.deliver(CUSTOMER, ["HD" + str(int(code.rsplit("/", 1)[1])) + " lampu merah menyala"])

    def answers():
        return committed_env(lambda env: env["helpdesk.sms.message"].search_count(
            [("ticket_id", "=", ticket_id)]) == 2)

    wait_for(answers, timeout=15, interval=0.2, message="both SMS on the ticket")

    def check(env):
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        bodies = ticket.message_ids.mapped("body")
        assert any("masih putus" in b for b in bodies) and any("lampu merah" in b for b in bodies)
        assert not tickets_of(env, gateway), "no new ticket for an SMS naming a ticket"
        messages = env["helpdesk.sms.message"].search([("ticket_id", "=", ticket_id)])
        assert set(messages.partner_id.ids) == {partner_id}, "matched to the existing contact by number"
        assert ticket.stage_id == env.ref("helpdesk_ticketing.stage_in_progress"), "the customer answered"
        replies = messages.mail_message_id
        assert replies.author_id.ids == [partner_id] and set(replies.mapped("message_type")) == {"comment"}
        assert env["mail.message.schedule"].search_count([("mail_message_id", "in", replies.ids)]) == 2
        env["mail.message.schedule"]._send_notifications_cron()  # what its cron, triggered by the import, does
        agent = env.ref("helpdesk_ticketing.user_agent").partner_id
        notified = env["mail.notification"].search([("mail_message_id", "in", replies.ids),
                                                   ("res_partner_id", "=", agent.id)])
        assert len(notified) == 2, "the assignee follows the ticket and hears of both replies"

    committed_env(check)


def test_agent_reply_is_sent_and_status_comes_back(gateway, smsd, committed_env):
    def reply(env):
        agent = env.ref("helpdesk_ticketing.user_agent")
        partner = env["res.partner"].create({"name": "Dewi Lestari", "phone": "0812 7777 1234"})
        ticket = env["helpdesk.ticket"].create({
            "name": "Email tidak masuk", "partner_id": partner.id, "team_id": gateway["team_id"],
            "user_id": agent.id,
        })
        env["helpdesk.team"].browse(gateway["team_id"]).member_line_ids = [(0, 0, {"user_id": agent.id})]
        body = "Selamat siang Bu Dewi, kotak surat sudah kami perbesar."
        composer = send_sms(env, ticket, body, user=agent)
        assert composer.recipient_single_number_itf == CUSTOMER_E164
        assert sms_codec.count(body)[:3] == ("gsm7", len(body), 1)
        return ticket.id

    ticket_id = committed_env(reply)  # the commit pushes the SMS to gammu's outbox at once

    def status():
        return committed_env(lambda env: reply_sms(env, ticket_id).state)

    assert status() in ("process", "pending"), "in gammu's outbox, or already sent"
    wait_for(lambda: gateway["db"].query('SELECT 1 FROM sentitems WHERE "DestinationNumber" = %s '
                                         'AND "TextDecoded" LIKE %s', [CUSTOMER_E164, "Selamat siang%"]),
             timeout=15, message="gammu-smsd to send the reply")
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._run())
    assert status() == "pending", "sent (no delivery report asked)"

    def check(env):
        sms = reply_sms(env, ticket_id)
        assert sms.mail_message_id.author_id == env.ref("helpdesk_ticketing.user_agent").partner_id
        assert sms.mail_message_id.notification_ids.notification_status == "pending", "the chatter's icon: sent"
        assert env["helpdesk.ticket"].browse(ticket_id).first_response_date, "an SMS answer is the SLA's first response"

    committed_env(check)


def test_multipart_in_and_out(gateway, smsd, committed_env):
    first = "Selamat pagi, jaringan di gedung B lantai 2 terputus sejak jam 7 pagi, semua komputer di ruang "
    second = "keuangan tidak bisa akses server ✓ mohon segera dicek, "
    third = "terima kasih. 😀"
    # Parts arrive out of order and in two codings; they are joined by reference and sequence.
    smsd.deliver("+6281377778888", [(third, "050003A40303"), (first, "050003A40301")],
                 coding="Unicode_No_Compression")
    smsd.deliver("+6281377778888", [(second, "050003A40302")], coding="Unicode_No_Compression")

    def ticket():
        return committed_env(lambda env: tickets_of(env, gateway).read(["description"]))

    found = wait_for(ticket, timeout=20, interval=0.2, message="the concatenated SMS as one ticket")
    assert len(found) == 1

    def check_in(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])])
        assert len(sms) == 1 and sms.part_count == 3
        assert sms.body == first + second + third
        return sms.ticket_id.id

    ticket_id = committed_env(check_in)
    long_text = "Mohon maaf atas gangguannya 🙏 " * 8  # Unicode: 67 units per part

    def send(env):
        assert sms_codec.count(long_text)[0] == "ucs2" and len(sms_codec.split(long_text.strip())) == 4
        send_sms(env, env["helpdesk.ticket"].browse(ticket_id), long_text)

    committed_env(send)
    rows = wait_for(lambda: (r := gateway["db"].query(
        'SELECT "SequencePosition", "TextDecoded", "UDH" FROM sentitems WHERE "TextDecoded" <> \'\' '
        'AND "UDH" <> \'\' ORDER BY "SequencePosition"')) and len(r) == 4 and r, timeout=20,
        message="the 4 parts in sentitems")
    assert "".join(row[1] for row in rows) == long_text.strip()
    assert [row[2][-4:] for row in rows] == ["0401", "0402", "0403", "0404"]
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._run())
    assert committed_env(lambda env: reply_sms(env, ticket_id).state) == "pending"


def _assert_exactly_once(gateway, committed_env, groups, rows):
    def check(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])])
        assert len(sms) == groups, f"{len(sms)} SMS for {groups} sent"
        assert len(set(sms.mapped("gammu_id"))) == groups
        inbox_ids = [i for m in sms for i in m._inbox_ids()]
        assert len(inbox_ids) == len(set(inbox_ids)) == rows, "every inbox row in exactly one SMS"
        assert len(env["res.partner"].search([("phone_sanitized", "like", "+62812555%")])) == 40, "one contact a number"
        # Within the team's window a sender's later SMS are added to the ticket their first opened:
        # one ticket per sender, every other SMS counted once as a duplicate caught on it.
        assert len(sms.ticket_id) == 40, f"{len(sms.ticket_id)} tickets for 40 senders"
        assert all(len(ticket.partner_id) == 1 for ticket in sms.ticket_id)
        events = env["helpdesk.duplicate.event"].search([("sms_message_id", "in", sms.ids)])
        assert len(events) == len(events.sms_message_id) == groups - 40
        assert all(event.ticket_id == event.sms_message_id.ticket_id for event in events)

    committed_env(check)
    assert all(processed_flags(gateway["db"]))


def test_two_concurrent_importers_import_each_row_once(gateway, committed_env, odoo_registry):
    rows, groups = inbox_rows(150)
    gateway["db"].insert_inbox(rows)
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).write({"batch_size": 25}))
    results, errors = [], []

    def importer():
        try:
            with odoo_registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                results.append(env["helpdesk.sms.gateway"].browse(gateway["id"])._import_inbox())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert all(results), f"both importers worked: {results}"
    # A multipart SMS whose parts were split between the two importers waits for the next run
    # (the RunOnReceive call or the cron): that run imports what is left, and nothing twice.
    with odoo_registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        results.append(env["helpdesk.sms.gateway"].browse(gateway["id"])._import_inbox())
    assert sum(results) == groups, f"imported per run: {results}"
    _assert_exactly_once(gateway, committed_env, groups, len(rows))


def test_two_importers_of_one_senders_sms_open_one_ticket(gateway, committed_env, odoo_registry):
    """Two SMS of one new sender, taken by two importers at once: the second importer waits for the sender
    until the first committed, then finds the contact and the ticket the first made (exactly once)."""
    gateway["db"].insert_inbox([("+6281277779999", "Server absensi mati", "", "Default_No_Compression"),
                                ("+6281277779999", "Tolong cepat ya", "", "Default_No_Compression")])
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).write({"batch_size": 1}))
    first_stored, errors = threading.Event(), []
    model = type(committed_env(lambda env: env["helpdesk.sms.message"]))
    import_groups = model._import_groups

    def slow_first_importer(self, *args, **kwargs):
        result = import_groups(self, *args, **kwargs)
        if threading.current_thread().name == "first":
            first_stored.set()
            time.sleep(1.5)  # its transaction still open while the second importer starts
        return result

    def importer():
        try:
            if threading.current_thread().name == "second":
                assert first_stored.wait(30), "the first importer stored its SMS"
            with odoo_registry.cursor() as cr:
                odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["helpdesk.sms.gateway"].browse(
                    gateway["id"])._import_inbox()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    with patch.object(model, "_import_groups", slow_first_importer):
        threads = [threading.Thread(target=importer, name=name) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors

    def check(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])], order="gammu_id")
        assert len(sms) == 2 and len(sms.partner_id) == 1, "one contact for the sender"
        assert len(sms.ticket_id) == 1, "one ticket"
        assert sms[0].ticket_id.message_ids.sorted("id")[0] == sms[0].mail_message_id
        events = env["helpdesk.duplicate.event"].search([("sms_message_id", "in", sms.ids)])
        assert events.sms_message_id == sms[1]

    committed_env(check)
    assert all(processed_flags(gateway["db"]))


IMPORTER = """
import sys, odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--addons-path", sys.argv[3]])
registry = odoo.modules.registry.Registry(sys.argv[2])
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    env["helpdesk.sms.gateway"].browse(int(sys.argv[4]))._import_inbox()
"""


def test_importer_killed_mid_batch_resumes_without_loss_or_duplicate(gateway, committed_env, tmp_path):
    rows, groups = inbox_rows(300)
    gateway["db"].insert_inbox(rows)
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).write({"batch_size": 20}))
    config = odoo.tools.config
    script = tmp_path / "importer.py"
    script.write_text(IMPORTER)
    addons_path = config["addons_path"]
    args = [sys.executable, str(script), config.rcfile or os.path.abspath("odoo.conf"), get_db_name(),
            ",".join(addons_path) if isinstance(addons_path, list) else addons_path, str(gateway["id"])]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)

    def imported():
        return committed_env(lambda env: env["helpdesk.sms.message"].search_count(
            [("gateway_id", "=", gateway["id"])]))

    try:
        wait_for(lambda: imported() >= 40 or proc.poll() is not None, timeout=90, interval=0.05,
                 message="the importer to commit some batches")
        assert proc.poll() is None, f"importer ended before it was killed: {proc.stderr.read().decode()[-2000:]}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
    before = imported()
    assert 0 < before < groups, "killed in the middle of the import"
    # Worst case: Odoo committed a batch but gammu never saw "Processed" (crash between the two commits).
    gateway["db"].query('UPDATE inbox SET "Processed" = false WHERE "ID" IN '
                        '(SELECT "ID" FROM inbox WHERE "Processed" ORDER BY "ID" DESC LIMIT 20) RETURNING 1')
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._import_inbox())
    _assert_exactly_once(gateway, committed_env, groups, len(rows))


def test_bad_input_is_kept_and_explained(gateway, committed_env):
    """Empty text, a sender that is no number, a broken UDH, 10 kB: each is imported once, with a note."""
    long_text = "Gangguan listrik di gardu. " * 380  # about 10 kB
    gateway["db"].insert_inbox([
        ("+6281299990001", "", "", "Default_No_Compression"),
        ("TELKOMSEL", "Sisa pulsa Anda Rp 5.000", "", "Default_No_Compression"),
        ("+6281299990002", "Server mati total", "0500", "Default_No_Compression"),
        ("+6281299990003", long_text, "", "Default_No_Compression"),
    ])
    imported = committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._run())
    assert imported == 4

    def check(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])], order="gammu_id")
        empty, operator, broken, big = sms
        assert empty.state == "ignored" and "Empty SMS" in empty.error_message and not empty.ticket_id
        assert operator.state == "ignored" and "TELKOMSEL" in operator.error_message and not operator.partner_id
        assert operator.body == "Sisa pulsa Anda Rp 5.000", "the text is kept in the SMS log"
        assert broken.ticket_id.name == "Server mati total" and "UDH" in broken.error_message
        assert big.body == long_text and big.ticket_id.name.endswith("…") and len(big.ticket_id.name) <= 80
        assert "Gangguan listrik" in big.ticket_id.description
        assert not env["helpdesk.sms.gateway"].browse(gateway["id"]).last_error

    committed_env(check)
    assert all(processed_flags(gateway["db"]))


def test_unreachable_database_is_reported_on_the_gateway(gateway, committed_env):
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).write(
        {"dsn": "host=/var/run/postgresql dbname=hd_sms_no_such_db"}))
    assert committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"])._run()) == 0
    error = committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).last_error)
    assert "hd_sms_no_such_db" in error and "does not exist" in error
