from odoo.tests import Form, TransactionCase, freeze_time, tagged


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestMajorIncidentSms(TransactionCase):
    """On the demo configuration: the service desk's network fault gathers an SMS ticket and an e-mail ticket;
    solving it tells the SMS customer by SMS (queued for the modem, in the customer's language), the e-mail
    customer by e-mail, and nobody twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.andi = ref("helpdesk_ticketing.partner_andi")
        cls.siti = ref("helpdesk_ticketing.partner_siti")
        cls.team_sd = ref("helpdesk_ticketing.team_service_desk")
        cls.team_sd.sms_notify_solved = True  # the usual "resolved" SMS would go out too
        cls.sms_ticket = ref("helpdesk_ticketing.ticket_password")  # Andi's SMS ticket, waiting
        Ticket = cls.env["helpdesk.ticket"]
        cls.incident = Ticket.create({
            "name": "Server e-mail kantor tidak dapat diakses", "partner_id": cls.siti.id,
            "team_id": cls.team_sd.id, "channel": "phone", "user_id": cls.agent.id,
        })
        cls.email_ticket = Ticket.create({
            "name": "Tidak bisa kirim e-mail", "partner_id": cls.siti.id, "team_id": cls.team_sd.id,
            "channel": "email",
        })

    def test_sms_child_is_told_by_sms_in_its_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.andi.lang = "id_ID"
        template = self.env.ref("helpdesk_sms.sms_template_major_incident_solved")
        template.with_context(lang="id_ID").body = (
            "Tiket {{ object.code }} selesai: bagian dari gangguan besar. {{ object.solution_summary or '' }}")
        self.incident.with_user(self.leader).action_declare_major_incident()
        (self.sms_ticket | self.email_ticket).with_user(self.leader)._attach_to_major_incident(self.incident)
        sms_before = self.env["sms.sms"].search([])

        with Form(self.incident.with_user(self.agent)) as form:
            form.solution = "<p>Layanan e-mail dipulihkan setelah <b>restart</b> server.</p>"
            form.stage_id = self.incident._solved_stage()

        self.assertTrue(self.sms_ticket.is_closed and self.email_ticket.is_closed)
        self.env["helpdesk.ticket"]._cron_notify_major_incident_solved()  # right after, outside the request
        sms = (self.env["sms.sms"].search([]) - sms_before).filtered(lambda s: s.helpdesk_ticket_id != self.incident)
        self.assertEqual(len(sms), 1, "one SMS for the SMS customer, not the usual 'resolved' one besides")
        self.assertEqual((sms.number, sms.state), ("+6281322223333", "outgoing"), "queued for the modem")
        self.assertEqual(sms.gammu_gateway_id, self.env.ref("helpdesk_sms.gateway_bandung"))
        self.assertEqual(sms.helpdesk_ticket_id, self.sms_ticket)
        self.assertEqual(
            sms.body,
            f"Tiket {self.sms_ticket.code} selesai: bagian dari gangguan besar. "
            "Layanan e-mail dipulihkan setelah restart server.",
        )
        self.assertFalse(self.sms_ticket.message_ids.filtered(lambda m: m.message_type == "comment"
                                                               and "wider incident" in m.body),
                         "no e-mail notice besides the SMS")
        self.assertIn("wider incident", self.email_ticket.message_ids[0].body, "the e-mail customer by e-mail")

    def test_sms_ticket_solved_on_its_own_gets_the_usual_sms(self):
        sms_before = self.env["sms.sms"].search([])
        self.sms_ticket.solution = "<p>Password direset.</p>"
        self.sms_ticket.with_user(self.agent).stage_id = self.sms_ticket._solved_stage()
        sms = self.env["sms.sms"].search([]) - sms_before
        self.assertEqual(len(sms), 1)
        self.assertIn("is resolved. If the problem comes back", sms.body)
