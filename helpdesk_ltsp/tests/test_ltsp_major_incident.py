from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, freeze_time, tagged

NOW = datetime(2026, 11, 24, 3, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestLtspMajorIncident(TransactionCase):
    """On the demo configuration: the Bandung town hall's LTSP server fails, its counter and lab terminals
    report faults one after the other (or fall silent); a major incident for the server is proposed to the
    leader, or opened at once, and the terminals' tickets become its affected tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent_dewi")
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")
        cls.andi = ref("helpdesk_ticketing.partner_andi")
        cls.server = ref("helpdesk_ltsp.server_bandung_balai_kota")
        cls.loket1 = ref("helpdesk_ltsp.terminal_loket_01")
        cls.loket2 = ref("helpdesk_ltsp.terminal_loket_02")
        cls.lab1 = ref("helpdesk_ltsp.terminal_lab_01")
        cls.Server = cls.env["helpdesk.ltsp.server"]

    def report_fault(self, terminal, name="Terminal tidak bisa login"):
        """The agent types the caller's ticket about a terminal, as the web client saves it."""
        with Form(self.env["helpdesk.ticket"].with_user(self.agent)) as form:
            form.name = name
            form.partner_id = self.andi
            form.terminal_id = terminal
            form.channel = "phone"
        ticket = form.record.with_env(self.env)
        # Records are stamped with the database's clock, which the test's frozen clock does not move.
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                            [fields.Datetime.now(), ticket.id])
        ticket.invalidate_recordset(["create_date"])
        return ticket

    def set_detection(self, **values):
        with Form(self.server.with_user(self.manager)) as form:
            for field, value in values.items():
                setattr(form, field, value)

    def test_faults_of_several_terminals_propose_a_major_incident(self):
        self.assertEqual(self.server.major_incident_mode, "propose")
        first = self.report_fault(self.loket1)
        with freeze_time(NOW + timedelta(minutes=10)):
            second = self.report_fault(self.lab1, "Lab komputer mati semua")
            self.assertFalse(self.Server._cron_detect_major_incidents(), "two terminals: not yet")
        with freeze_time(NOW + timedelta(minutes=20)):
            third = self.report_fault(self.loket2, "Loket 2 layar hitam")
            self.assertEqual(self.Server._cron_detect_major_incidents(), self.server)
        self.assertIn("3 terminals reported faults within 30 minutes", self.server.major_incident_proposal)
        self.assertFalse(self.server.major_incident_id, "proposed, not opened")
        self.assertFalse(first.major_incident_id)

        with self.assertRaises(AccessError):
            self.server.with_user(self.agent).action_open_major_incident()
        with freeze_time(NOW + timedelta(minutes=25)):
            action = self.server.with_user(self.leader).action_open_major_incident()
        incident = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertTrue(incident.is_major_incident)
        self.assertEqual(incident.child_incident_ids, first | second | third)
        self.assertEqual(self.server.major_incident_id, incident)
        self.assertFalse(self.server.major_incident_proposal)
        self.assertEqual(incident.site_id, self.server.site_id)
        demo_ticket = self.env.ref("helpdesk_ltsp.ticket_loket_02_black_screen")
        self.assertFalse(demo_ticket.major_incident_id, "the old report of loket-02 is outside the window")

        with freeze_time(NOW + timedelta(minutes=40)):
            later = self.report_fault(self.loket1, "Loket 1 masih mati")
            self.Server._cron_detect_major_incidents()
            self.Server._cron_detect_major_incidents()
        self.assertEqual(later.major_incident_id, incident, "a later report joins the open incident")
        self.assertEqual(self.env["helpdesk.ticket"].search_count(
            [("is_major_incident", "=", True), ("site_id", "=", self.server.site_id.id)]), 1)
        with self.assertRaisesRegex(UserError, "already has an open major incident"):
            self.server.with_user(self.leader).action_open_major_incident()

    def test_terminals_falling_silent_open_the_incident_at_once(self):
        self.set_detection(major_incident_mode="open", major_incident_threshold=2)
        (self.loket1 | self.loket2).write({"last_seen": NOW - timedelta(minutes=5), "last_event": "login"})
        self.assertFalse(self.Server._cron_detect_major_incidents(), "all terminals online")
        with freeze_time(NOW + timedelta(minutes=25)):
            self.assertEqual(self.Server._cron_detect_major_incidents(), self.server)
            incident = self.server.major_incident_id
            self.assertTrue(incident.is_major_incident)
            self.assertIn("2 terminals stopped sending heartbeats", incident.description)
            fault = self.report_fault(self.loket2)
            self.Server._cron_detect_major_incidents()
        self.assertEqual(fault.major_incident_id, incident)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("is_major_incident", "=", True),
                                                                   ("site_id", "=", self.server.site_id.id)]), 1)

    def test_dismissed_proposal_is_not_made_again_for_the_same_faults(self):
        self.set_detection(major_incident_threshold=2)
        self.report_fault(self.loket1)
        self.report_fault(self.lab1)
        self.Server._cron_detect_major_incidents()
        self.assertTrue(self.server.major_incident_proposal)
        with freeze_time(NOW + timedelta(minutes=5)):
            self.server.with_user(self.leader).action_dismiss_major_incident_proposal()
            self.assertFalse(self.Server._cron_detect_major_incidents())
        self.assertFalse(self.server.major_incident_proposal)
        self.assertIn("dismissed", self.server.message_ids[0].body)

    def test_detection_off(self):
        self.set_detection(major_incident_mode="off")
        for terminal in (self.loket1, self.loket2, self.lab1):
            self.report_fault(terminal)
        self.assertFalse(self.Server._cron_detect_major_incidents())
        self.assertFalse(self.server.major_incident_proposal)
