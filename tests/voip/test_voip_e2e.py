"""End-to-end: Odoo against a real Kamailio (acc -> PostgreSQL) and real baresip softphones."""
import time

import pytest

from odoo.exceptions import UserError

from ._shared import bus_messages, free_port, kamailio_rows, wait_for

SITI = "+6281211112222"  # demo customer Siti Rahmawati (PT Maju Bersama), phone +62 812 1111 2222


def _set_agent(committed, key, extension, softphone=None):
    committed(lambda env: env.ref(f"helpdesk_ticketing.{key}").write({
        "sip_extension": extension,
        "softphone_control_url": softphone.control_url if softphone else False,
    }))


def _import(committed, pbx_id):
    return committed(lambda env: env["helpdesk.voip.pbx"].browse(pbx_id)._import_cdrs().ids)


def _calls(committed, domain):
    return committed(lambda env: [
        {
            "id": c.id, "call_id": c.call_id, "outcome": c.outcome, "direction": c.direction,
            "duration": c.duration, "partner": c.partner_id.name, "user": c.user_id.login,
            "ticket": c.ticket_id.id, "sip_code": c.sip_code, "source": c.source,
            "activities": c.activity_ids.mapped("user_id.login"),
        }
        for c in env["helpdesk.voip.call"].search(domain)
    ])


def test_click_to_dial_real_call_is_imported_once_on_customer_log(committed, voip_setup, kamailio, softphone):
    """Agent Budi clicks "Dial" on a ticket: his baresip calls the customer, who answers;
    Kamailio's CDR is imported onto the same call (no duplicate, even when imported twice)."""
    agent_phone = softphone("1001")
    customer_phone = softphone(SITI, answermode="auto")
    _set_agent(committed, "user_agent", "1001", agent_phone)

    def dial(env):
        budi = env.ref("helpdesk_ticketing.user_agent")
        ticket = env.ref("helpdesk_ticketing.ticket_printer")
        env["res.users"].with_user(budi).helpdesk_voip_dial("+62 812-1111-2222", "helpdesk.ticket", ticket.id)
        call = env["helpdesk.voip.call"].search([("ticket_id", "=", ticket.id)], order="id desc", limit=1)
        return call.call_id

    call_id = committed(dial)
    assert call_id, "click-to-dial logged no call"
    wait_for(lambda: "Call established" in customer_phone.log(), timeout=15, message="the customer to answer")
    time.sleep(1.2)  # some talk time
    assert agent_phone.command("hangup")["ok"]
    db = kamailio["db"]
    cdrs = wait_for(lambda: [r for r in kamailio_rows(db, "acc_cdrs") if r["callid"] == call_id], timeout=10,
                    message="Kamailio's CDR of the call")
    assert cdrs[0]["duration"] > 1

    _import(committed, voip_setup["pbx_id"])
    calls = _calls(committed, [("call_id", "=", call_id)])
    assert len(calls) == 1
    call = calls[0]
    assert call["outcome"] == "answered"
    assert call["direction"] == "outbound"
    assert call["duration"] > 1
    assert call["partner"] == "Siti Rahmawati"
    assert call["user"] == "agent"
    assert call["source"] == "softphone"

    # On the customer's call log (what the widget reads), and the ticket's first response is set.
    def logs(env):
        siti = env.ref("helpdesk_ticketing.partner_siti")
        company = env.ref("helpdesk_ticketing.partner_maju_bersama")
        ticket = env.ref("helpdesk_ticketing.ticket_printer")
        domain = ["|", ("partner_id", "=", company.id), ("commercial_partner_id", "=", company.id)]
        return (
            env["helpdesk.voip.call"].search(domain, limit=1).call_id,
            call_id in siti.voip_call_ids.mapped("call_id"),
            bool(ticket.first_response_date),
        )

    newest_on_company, on_contact, first_response = committed(logs)
    assert newest_on_company == call_id
    assert on_contact
    assert first_response

    # Importing again (or the cron after a crash) never duplicates.
    assert _import(committed, voip_setup["pbx_id"]) == []
    committed(lambda env: env["helpdesk.voip.pbx"].browse(voip_setup["pbx_id"]).write(
        {"last_cdr_id": 0, "last_missed_id": 0}))
    _import(committed, voip_setup["pbx_id"])
    assert len(_calls(committed, [("call_id", "=", call_id)])) == 1


def test_incoming_call_pops_up_for_the_ringing_agent_only(committed, voip_setup, kamailio, softphone, bridge):
    """The customer calls Budi's extension; his softphone rings (manual answer): the pop-up
    reaches Budi's Odoo window and not Dewi's. Nobody answers: a missed call to call back."""
    agent_phone = softphone("1001")
    softphone("1002")
    customer_phone = softphone(SITI)
    _set_agent(committed, "user_agent", "1001", agent_phone)
    _set_agent(committed, "user_agent_dewi", "1002")
    bridge(agent_phone, "1001", voip_setup["pbx_id"], voip_setup["token"])

    assert customer_phone.command("dial", "1001")["ok"]

    def popups(env):
        budi = env.ref("helpdesk_ticketing.user_agent").partner_id
        dewi = env.ref("helpdesk_ticketing.user_agent_dewi").partner_id
        messages = bus_messages(env, voip_setup["bus_start"], "helpdesk_voip/incoming_call")
        to = {(channel[1], channel[2]) for channel, _payload in messages}
        return messages, ("res.partner", budi.id) in to, ("res.partner", dewi.id) in to

    messages = wait_for(lambda: committed(popups)[0], timeout=10, message="the pop-up on the bus")
    _messages, to_budi, to_dewi = committed(popups)
    assert to_budi
    assert not to_dewi
    payload = messages[0][1]
    assert payload["partner_name"] == "Siti Rahmawati"
    assert payload["company_name"] == "PT Maju Bersama"
    assert payload["number"] == SITI
    assert any(t["code"] for t in payload["open_tickets"])

    # The caller gives up: Kamailio logs a missed call, the import marks it and asks Budi to call back.
    assert customer_phone.command("hangup")["ok"]
    call_id = payload["call_id"]
    wait_for(lambda: [r for r in kamailio_rows(kamailio["db"], "missed_calls") if r["callid"] == call_id],
             timeout=10, message="the missed call in Kamailio")
    # The softphone bridge already reported the end of the call (live log); the CDR import completes it.
    wait_for(lambda: _calls(committed, [("call_id", "=", call_id), ("outcome", "=", "missed")]), timeout=10,
             message="the softphone's hang-up event")
    _import(committed, voip_setup["pbx_id"])
    calls = _calls(committed, [("call_id", "=", call_id)])
    assert len(calls) == 1
    assert calls[0]["outcome"] == "missed"
    assert calls[0]["sip_code"] == 487
    assert calls[0]["direction"] == "inbound"
    assert calls[0]["user"] == "agent"
    assert calls[0]["activities"] == ["agent"]


def test_call_to_unregistered_number_is_failed(committed, voip_setup, kamailio, softphone):
    """Budi dials a customer whose phone is not registered: Kamailio answers 404, the call is failed."""
    agent_phone = softphone("1001")
    _set_agent(committed, "user_agent", "1001", agent_phone)

    def dial(env):
        budi = env.ref("helpdesk_ticketing.user_agent")
        andi = env.ref("helpdesk_ticketing.partner_andi")
        env["res.users"].with_user(budi).helpdesk_voip_dial(andi.phone, "res.partner", andi.id)
        return env["helpdesk.voip.call"].search([("partner_id", "=", andi.id)], order="id desc", limit=1).call_id

    call_id = committed(dial)
    wait_for(lambda: [r for r in kamailio_rows(kamailio["db"], "missed_calls") if r["callid"] == call_id],
             timeout=10, message="Kamailio's record of the failed call")
    _import(committed, voip_setup["pbx_id"])
    calls = _calls(committed, [("call_id", "=", call_id)])
    assert len(calls) == 1
    assert calls[0]["outcome"] in ("failed", "missed")
    assert calls[0]["sip_code"] == 404
    assert calls[0]["partner"] == "Andi Firmansyah"


def test_unreachable_softphone_gives_a_clear_message(committed, voip_setup, kamailio):
    """No softphone listening at the agent's control address: a clear, translated error; nothing logged."""
    committed(lambda env: env.ref("helpdesk_ticketing.user_agent").write(
        {"softphone_control_url": f"tcp://127.0.0.1:{free_port()}"}))

    def dial(env):
        budi = env.ref("helpdesk_ticketing.user_agent")
        before = env["helpdesk.voip.call"].search_count([])
        with pytest.raises(UserError) as error:
            env["res.users"].with_user(budi).helpdesk_voip_dial("+62 812 1111 2222")
        return str(error.value), env["helpdesk.voip.call"].search_count([]) - before

    message, created = committed(dial)
    assert "does not answer" in message
    assert created == 0


def test_two_workers_import_each_cdr_exactly_once(committed, odoo_registry, voip_setup, kamailio, softphone):
    """Two cron workers at the same time: the second skips the PBX the first is importing."""
    from odoo import SUPERUSER_ID, api

    caller = softphone("1001")
    callee = softphone("1002", answermode="auto")
    _set_agent(committed, "user_agent", "1001")
    _set_agent(committed, "user_agent_dewi", "1002")
    for _index in range(2):
        assert caller.command("dial", "1002")["ok"]
        wait_for(lambda: "Call established" in callee.log(), timeout=10, message="the call to be answered")
        time.sleep(0.5)
        assert caller.command("hangup")["ok"]
        time.sleep(0.3)
    wait_for(lambda: len(kamailio_rows(kamailio["db"], "acc_cdrs")) >= 2, timeout=10, message="two CDRs")
    call_ids = {r["callid"] for r in kamailio_rows(kamailio["db"], "acc_cdrs")}

    with odoo_registry.cursor() as cr1, odoo_registry.cursor() as cr2:
        env1 = api.Environment(cr1, SUPERUSER_ID, {})
        env2 = api.Environment(cr2, SUPERUSER_ID, {})
        env1["helpdesk.voip.pbx"]._cron_import_cdrs()  # holds the PBX row until commit
        env2["helpdesk.voip.pbx"]._cron_import_cdrs()  # skips it (SKIP LOCKED)
        imported_by_second = env2["helpdesk.voip.call"].search_count([("call_id", "in", list(call_ids))])
        cr2.commit()
        cr1.commit()
    assert imported_by_second == 0
    _import(committed, voip_setup["pbx_id"])
    calls = _calls(committed, [("call_id", "in", list(call_ids))])
    assert sorted(c["call_id"] for c in calls) == sorted(call_ids)
    assert all(c["outcome"] == "answered" and c["direction"] == "internal" for c in calls)
