import socket

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import HelpdeskVoipCase


@tagged("post_install", "-at_install")
class TestVoipCall(HelpdeskVoipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Call = cls.env["helpdesk.voip.call"]
        cls.budi, cls.dewi, cls.rina, cls.portal = cls.agent_a, cls.agent_b, cls.leader, cls.portal_user
        cls.agus = cls.agent_net  # network team only
        cls.siti, cls.andi = cls.contact, cls.other_contact
        cls.team, cls.dc_team = cls.team_sd, cls.team_net
        cls.pbx = cls.env["helpdesk.voip.pbx"].create(
            {"name": "Asterisk uji", "kind": "webhook", "team_id": cls.team.id}
        )

    def _ring(self, call_id, caller="+62 812 7777 1111", callee="2101", **extra):
        return self.Call._ingest([dict(call_id=call_id, event="ringing", caller=caller, callee=callee, **extra)],
                                 "webhook", pbx=self.pbx)

    def test_numbers_normalised_customer_and_agent_matched(self):
        call = self._ring("t-1", caller="0812-7777-1111")
        self.assertEqual(call.caller_number, "+6281277771111", "national Indonesian number becomes E.164")
        self.assertEqual(call.callee_number, "2101", "extensions stay as they are")
        self.assertEqual(call.partner_id, self.siti)
        self.assertEqual(call.user_id, self.budi)
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.outcome, "ringing")
        self.assertEqual(call.team_id, self.team, "the PBX's team owns calls without one")

    def test_number_phonenumbers_cannot_validate_finds_its_contact(self):
        """The same E.164 form as the SMS importer, and the same contact, for a number of an unknown range."""
        joko = self.env["res.partner"].create({"name": "Pak Joko", "phone": "0999 1234 5678"})
        self.assertFalse(joko.phone_sanitized)
        call = self._ring("t-unvalidated-1", caller="sip:0999-1234-5678@pbx")
        self.assertEqual(call.caller_number, "+6299912345678")
        self.assertEqual(call.partner_id, joko)
        self.assertEqual(self._ring("t-unvalidated-2", caller="+62 999 1234 5678").partner_id, joko)

    def test_events_of_one_call_complete_one_record_in_any_order(self):
        hangup = {"call_id": "t-2", "event": "hangup", "sip_code": 200}
        answered = {"call_id": "t-2", "event": "answered"}
        ringing = {"call_id": "t-2", "event": "ringing", "caller": "+6281277771111", "callee": "2101"}
        self.Call._ingest([hangup], "webhook", pbx=self.pbx)
        self.Call._ingest([ringing, answered], "webhook", pbx=self.pbx)
        self.Call._ingest([ringing, answered, hangup], "webhook", pbx=self.pbx)  # replayed
        calls = self.Call.search([("call_id", "=", "t-2")])
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls.outcome, "answered")
        self.assertEqual(calls.partner_id, self.siti)

    def test_cdr_then_missed_row_gives_the_sip_code(self):
        self.Call._ingest([{"call_id": "t-3", "event": "cdr", "caller": "+6281377772222", "callee": "2102",
                            "duration": 0}], "cdr", pbx=self.pbx)
        self.Call._ingest([{"call_id": "t-3", "event": "missed", "sip_code": 486, "sip_reason": "Busy Here"}],
                          "cdr", pbx=self.pbx)
        call = self.Call.search([("call_id", "=", "t-3")])
        self.assertEqual(call.outcome, "busy")
        self.assertEqual(call.sip_code, 486)
        self.assertEqual(call.partner_id, self.andi)
        self.assertEqual(call.user_id, self.dewi)

    def test_missed_call_asks_the_agent_to_call_back(self):
        self._ring("t-4")
        call = self.Call._ingest([{"call_id": "t-4", "event": "hangup", "sip_code": 487}], "webhook", pbx=self.pbx)
        self.assertEqual(call.outcome, "missed")
        self.assertEqual(call.activity_ids.user_id, self.budi)
        self.assertIn(self.siti.name, call.activity_ids.summary)
        # Reported again: still one activity.
        self.Call._ingest([{"call_id": "t-4", "event": "hangup", "sip_code": 487}], "webhook", pbx=self.pbx)
        self.assertEqual(len(call.activity_ids), 1)

    def test_ringing_call_pops_up_for_the_agent_only(self):
        self.env["bus.bus"].search([]).unlink()
        self._ring("t-5")
        self.env.cr.precommit.run()
        notifications = self.env["bus.bus"].search([("message", "like", "helpdesk_voip/incoming_call")])
        self.assertEqual(len(notifications), 1)
        self.assertIn(f'"res.partner",{self.budi.partner_id.id}]', notifications.channel)

    def test_answered_outbound_call_is_the_ticket_first_response(self):
        ticket = self.env["helpdesk.ticket"].create({"name": "Printer macet", "partner_id": self.siti.id})
        self.assertFalse(ticket.first_response_date)
        call = self.Call._ingest([{"call_id": "t-6", "event": "ringing", "caller": "2101",
                                   "callee": "+6281277771111", "direction": "outbound"}], "softphone")
        call.ticket_id = ticket
        self.Call._ingest([{"call_id": "t-6", "event": "cdr", "duration": 42.0}], "cdr", pbx=self.pbx)
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.duration, 42.0)
        self.assertTrue(ticket.first_response_date)

    def test_new_ticket_from_call_counts_the_conversion(self):
        call = self._ring("t-7")
        action = call.with_user(self.budi).action_create_ticket()
        ticket = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.partner_id, self.siti)
        self.assertEqual(ticket.channel, "phone")
        self.assertEqual(call.ticket_id, ticket)
        self.assertTrue(call.ticket_created)
        self.assertEqual(ticket.voip_call_count, 1)

    def test_ticket_counts_its_calls_from_its_call_log(self):
        """The ticket's Calls button counts the call log the form shows: both in one query."""
        ticket, other = self.env["helpdesk.ticket"].create([
            {"name": "Printer lantai 3 mati", "partner_id": self.siti.id, "team_id": self.team.id},
            {"name": "Printer lantai 2 mati", "partner_id": self.siti.id, "team_id": self.team.id},
        ])
        for i in range(3):
            self._ring(f"t-count-{i}").ticket_id = ticket
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(other.with_user(self.budi).voip_call_count, 0)  # the rules of calls, cached
        self.env.invalidate_all()
        ticket = ticket.with_user(self.budi)
        with self.assertQueryCount(1):
            self.assertEqual((ticket.voip_call_count, len(ticket.voip_call_ids)), (3, 3))

    def test_unknown_caller_contact_takes_over_the_call(self):
        call = self._ring("t-8", caller="+62 857 0000 1111")
        self.assertFalse(call.partner_id)
        with self.assertRaises(UserError):
            call.action_create_ticket()
        action = call.action_create_contact()
        partner = self.env["res.partner"].with_context(**action["context"]).create({"name": "Pak Joko"})
        self.assertEqual(partner.phone, "+6285700001111")
        self.assertEqual(call.partner_id, partner)

    def test_bad_events_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "SIP Call-ID"):
            self.Call._ingest([{"event": "ringing", "caller": "1"}], "webhook", pbx=self.pbx)
        self.assertFalse(self.Call.search([("caller_number", "=", "1")]))

    def test_access_rights(self):
        sd_call = self._ring("t-9")  # service desk, agent A, the customer's contact
        dc_call = self._ring("t-10", caller="+6281377772222", callee="2102")
        dc_call.write({"team_id": self.dc_team.id, "user_id": False})  # network team, the other customer
        Call = self.Call
        self.assertEqual(Call.with_user(self.budi).search([("id", "in", (sd_call | dc_call).ids)]), sd_call,
                         "an agent does not see another team's calls")
        self.assertEqual(Call.with_user(self.agus).search([("id", "in", (sd_call | dc_call).ids)]), dc_call)
        self.assertEqual(Call.with_user(self.rina).search([("id", "in", (sd_call | dc_call).ids)]),
                         sd_call | dc_call, "the leader sees the teams she leads or belongs to")
        self.assertEqual(Call.with_user(self.portal).search([("id", "in", (sd_call | dc_call).ids)]), sd_call,
                         "a portal user sees their own company's calls only")
        with self.assertRaises(AccessError):
            sd_call.with_user(self.portal).write({"note": "x"})
        with self.assertRaises(AccessError):
            sd_call.with_user(self.budi).unlink()
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.budi).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.budi).read(["token"])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "PT Lain"})
        call = self._ring("t-11")
        call.company_id = other
        self.assertFalse(self.Call.with_user(self.budi).search([("id", "=", call.id)]))

    def test_dial_without_softphone_explains_what_to_do(self):
        self.budi.softphone_control_url = False
        with self.assertRaisesRegex(UserError, "control address of your softphone"):
            self.env["res.users"].with_user(self.budi).helpdesk_voip_dial("+62 812 7777 1111")

    def test_unreachable_softphone_says_what_to_check(self):
        """Nothing listens at Budi's control address: a sentence in his language, no socket error."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
        self.budi.softphone_control_url = address
        calls_before = self.Call.search_count([])
        for lang, expected in (("en_US", f"The softphone of {self.budi.name} does not answer at {address}: "
                                         "is baresip running"),
                               ("id_ID", f"Softphone milik {self.budi.name} tidak menjawab di {address}: "
                                         "apakah baresip berjalan")):
            self.env["res.lang"]._activate_lang(lang)
            with self.subTest(lang=lang), self.assertRaises(UserError) as error:
                self.env["res.users"].with_user(self.budi).with_context(lang=lang).helpdesk_voip_dial(
                    "0812 7777 1111")
            self.assertIn(expected, str(error.exception))
            self.assertNotIn("Errno", str(error.exception))
        self.assertEqual(self.Call.search_count([]), calls_before, "no call logged")

    def test_control_url_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "tcp://127.0.0.1:4444"):
            self.budi.softphone_control_url = "http://nope"

    def test_errors_speak_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.budi.write({"lang": "id_ID", "softphone_control_url": False})
        with self.assertRaisesRegex(UserError, "Atur alamat kontrol softphone Anda"):
            self.env["res.users"].with_user(self.budi).with_context(lang="id_ID").helpdesk_voip_dial("0812 7777 1111")
