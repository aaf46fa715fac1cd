"""A ticket that came in by SMS, solved with its major incident: the customer's notice goes through the real
gammu-smsd (Odoo → outbox → gammu-smsd → sentitems)."""
from e2e_support import wait_for

CUSTOMER = "0812 7777 1234"
CUSTOMER_E164 = "+6281277771234"


def test_sms_child_notice_reaches_gammu(gateway, smsd, committed_env):
    def solve(env):
        leader = env.ref("helpdesk_ticketing.user_leader")
        team = env["helpdesk.team"].browse(gateway["team_id"])
        team.leader_id = leader
        customer = env["res.partner"].create({"name": "Joko Susilo", "phone": CUSTOMER, "lang": "en_US"})
        Ticket = env["helpdesk.ticket"]
        incident = Ticket.create({"name": "Server aplikasi kelurahan mati", "partner_id": customer.id,
                                  "team_id": team.id, "channel": "internal"})
        child = Ticket.create({"name": "Aplikasi tidak bisa dibuka", "partner_id": customer.id, "team_id": team.id,
                               "channel": "sms", "sms_gateway_id": gateway["id"]})
        incident.with_user(leader).action_declare_major_incident()
        child.with_user(leader)._attach_to_major_incident(incident)
        incident.with_user(leader).write({"solution": "<p>Server dinyalakan ulang.</p>",
                                          "stage_id": incident._solved_stage().id})
        assert child.is_closed and child.major_incident_notice_pending
        return child.id, child.code

    child_id, code = committed_env(solve)
    # The notice job right after the solve; its commit pushes the SMS to gammu's outbox.
    assert committed_env(lambda env: env["helpdesk.ticket"]._cron_notify_major_incident_solved()) == 1
    text = f"Ticket {code} is resolved: it was part of a wider incident. Server dinyalakan ulang.%"
    wait_for(lambda: gateway["db"].query('SELECT 1 FROM sentitems WHERE "DestinationNumber" = %s '
                                         'AND "TextDecoded" LIKE %s', [CUSTOMER_E164, text]),
             timeout=20, message="gammu-smsd to send the major incident notice")

    def check(env):
        sms = env["sms.sms"].search([("helpdesk_ticket_id", "=", child_id), ("body", "like", "wider incident")])
        assert len(sms) == 1, "told once"
        assert sms.number == CUSTOMER_E164

    committed_env(check)
