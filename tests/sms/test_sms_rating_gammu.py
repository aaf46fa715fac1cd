"""A rating answered by SMS, through a real gammu-smsd (dummy phone, SQL service on PostgreSQL).

The solved ticket's customer gets the rating request from the modem (gammu's outbox → sentitems),
answers "5", and gammu-smsd's RunOnReceive hands it to Odoo, which rates the ticket once.
"""
from e2e_support import wait_for

CUSTOMER = "081277775555"
CUSTOMER_E164 = "+6281277775555"


def tickets_of(env, gateway):
    return env["helpdesk.ticket"].search([("sms_gateway_id", "=", gateway["id"])], order="id")


def test_rating_arrives_by_sms_once_per_solve(gateway, smsd, committed_env):
    smsd.deliver(CUSTOMER, ["Laptop tidak bisa konek Wi-Fi kantor"])
    wait_for(lambda: committed_env(lambda env: len(tickets_of(env, gateway)) == 1), timeout=10, interval=0.2,
             message="the ticket created by RunOnReceive")

    def solve(env):
        ticket = tickets_of(env, gateway)
        ticket.write({"solution": "<p>Driver Wi-Fi diperbarui.</p>",
                      "stage_id": env.ref("helpdesk_ticketing.stage_solved").id})
        env["helpdesk.ticket"]._cron_send_rating_requests()  # what its cron, triggered by the solve, does
        assert (ticket.rating_request_state, ticket.rating_request_channel) == ("sent", "sms")
        return ticket.id, ticket.rating_ids.filtered(lambda r: not r.consumed).access_token

    ticket_id, token = committed_env(solve)  # the commit pushes the request to gammu's outbox
    sent = wait_for(lambda: gateway["db"].query(
        'SELECT "DestinationNumber" FROM sentitems WHERE "TextDecoded" LIKE %s', [f"%/rate/{token}/5%"]),
        timeout=20, message="gammu-smsd to send the rating request")
    assert sent[0][0] == CUSTOMER_E164

    smsd.deliver(CUSTOMER, ["5"])

    def rated():
        return committed_env(lambda env: env["helpdesk.ticket"].browse(ticket_id).portal_rating_id.rating)

    assert wait_for(rated, timeout=10, interval=0.2, message="the rating from the SMS answer") == 5

    def check(env):
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        answer = env["helpdesk.sms.message"].search([("rating_id", "=", ticket.portal_rating_id.id)])
        assert answer.number == CUSTOMER_E164 and answer.body == "5"
        assert ticket.portal_rating_id.message_id == answer.mail_message_id, "the rating is the chatter message"
        assert ticket.rating_last_value == 5

    committed_env(check)

    # The same answer again (a resent SMS) is an ordinary message: the solve keeps its one rating.
    smsd.deliver(CUSTOMER, ["5"])
    wait_for(lambda: committed_env(lambda env: len(tickets_of(env, gateway)) == 2), timeout=10, interval=0.2,
             message="the second '5' handled as an ordinary SMS")

    def check_once(env):
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        assert ticket.rating_ids.filtered("consumed").mapped("rating") == [5.0]
        assert env["helpdesk.sms.message"].search_count(
            [("gateway_id", "=", gateway["id"]), ("rating_id", "!=", False)]) == 1

    committed_env(check_once)
