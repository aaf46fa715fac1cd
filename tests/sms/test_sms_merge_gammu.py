"""A merged ticket's code stays valid over the real gammu-smsd: an SMS quoting it lands on the surviving ticket."""
from e2e_support import wait_for

CUSTOMER = "081277771235"  # written the Indonesian way, without +62


def test_sms_quoting_a_merged_code_lands_on_the_surviving_ticket(gateway, smsd, committed_env):
    def make_tickets(env):
        partner = env["res.partner"].create({"name": "Rudi Gabung", "phone": "+62 812 7777 1235"})
        Ticket = env["helpdesk.ticket"]
        survivor, merged = Ticket.create([
            {"name": "Kasir offline", "partner_id": partner.id, "channel": "phone"},
            {"name": "Kasir offline lagi", "partner_id": partner.id, "channel": "phone"},
        ])
        merged.with_user(env.ref("base.user_admin"))._merge_into(survivor)  # a helpdesk manager
        return survivor.id, merged.id, merged.code

    survivor_id, merged_id, code = committed_env(make_tickets)
    smsd.deliver(CUSTOMER, ["HD" + str(int(code.rsplit("/", 1)[1])) + " kasir masih offline"])

    def received():
        return committed_env(lambda env: env["helpdesk.sms.message"].search_count(
            [("body", "like", "kasir masih offline")]) == 1)

    wait_for(received, timeout=15, interval=0.2, message="the SMS imported")

    def check(env):
        sms = env["helpdesk.sms.message"].search([("body", "like", "kasir masih offline")])
        assert sms.ticket_id.id == survivor_id, "the merged ticket's code names the surviving ticket"
        Ticket = env["helpdesk.ticket"]
        assert any("kasir masih offline" in body for body in Ticket.browse(survivor_id).message_ids.mapped("body"))
        assert not any("kasir masih offline" in body for body in Ticket.browse(merged_id).message_ids.mapped("body"))
        assert not Ticket.search([("sms_gateway_id", "=", gateway["id"])]), "no new ticket"

    committed_env(check)
