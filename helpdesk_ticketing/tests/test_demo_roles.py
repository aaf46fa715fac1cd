from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged

from .common import WebClientCalls


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")  # Tuesday 10:00 WIB, within the demo calendar's working hours
class TestDemoRoles(TransactionCase):
    """Workflows on the demo configuration as its users meet it: every addon installed, the demo SLA
    policies and approval rules active, each step done by the demo role who does it in the web client.
    Unlike the unit tests, nothing here switches the demo configuration off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.agent_dewi = ref("helpdesk_ticketing.user_agent_dewi")
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")
        cls.customer = ref("helpdesk_ticketing.user_portal_siti")
        cls.siti = ref("helpdesk_ticketing.partner_siti")
        cls.team_sd = ref("helpdesk_ticketing.team_service_desk")
        cls.team_network = ref("helpdesk_ticketing.team_network")
        cls.category_hardware = ref("helpdesk_ticketing.category_hardware")
        cls.sla_standard = ref("helpdesk_ticketing.sla_standard")
        cls.sla_urgent = ref("helpdesk_ticketing.sla_urgent")
        cls.assertTrue(cls, cls.sla_standard.active and cls.sla_urgent.active)

    def new_ticket_as(self, user, **values):
        """A ticket typed into the backend form by user, saved as the web client saves it."""
        with Form(self.env["helpdesk.ticket"].with_user(user)) as form:
            form.name = values.pop("name", "Monitor berkedip terus")
            form.partner_id = values.pop("partner_id", self.siti)
            for field, value in values.items():
                setattr(form, field, value)
        return form.record.with_env(self.env)  # assertions read as the test, not as the user

    # ------------------------------------------------------------------
    # Backend ticket creation (phone and walk-in tickets)
    # ------------------------------------------------------------------
    def test_agent_creates_phone_ticket_from_the_form(self):
        email, phone = self.siti.email, self.siti.phone
        ticket = self.new_ticket_as(self.agent, channel="phone", category_id=self.category_hardware)
        self.assertEqual(ticket.team_id, self.team_sd)
        self.assertEqual(ticket.sla_id, self.sla_standard, "the demo SLA applies to every ticket")
        self.assertTrue(ticket.code.startswith("HD/"))
        self.assertEqual((self.siti.email, self.siti.phone), (email, phone), "the contact is left as it was")

    def test_agent_cannot_change_the_customers_email_from_a_ticket(self):
        ticket = self.new_ticket_as(self.agent, channel="walk_in")
        form = Form(ticket.with_user(self.agent))
        form.partner_email = "siti.baru@majubersama.example.co.id"
        with self.assertRaisesRegex(UserError, "only users who manage contacts"):
            form.save()
        self.assertEqual(self.siti.email, "siti.rahmawati@majubersama.example.co.id")

    def test_manager_changes_the_customers_phone_from_a_ticket(self):
        ticket = self.new_ticket_as(self.manager, channel="phone")
        with Form(ticket.with_user(self.manager)) as form:
            form.partner_phone = "+62 812 9999 0000"
        self.assertEqual(self.siti.phone, "+62 812 9999 0000")

    # ------------------------------------------------------------------
    # Escalation and hand-over while an SLA policy applies
    # ------------------------------------------------------------------
    def test_agent_escalates_a_ticket_under_sla(self):
        ticket = self.new_ticket_as(self.agent, channel="phone", category_id=self.category_hardware)
        ticket.with_user(self.agent).user_id = self.agent
        self.assertTrue(ticket.sla_id)
        wizard = Form(self.env["helpdesk.escalation.wizard"].with_user(self.agent).with_context(
            **ticket.with_user(self.agent).action_open_escalation_wizard()["context"]))
        wizard.reason = "Perlu pengecekan switch oleh tim jaringan"
        wizard.save().action_confirm()
        self.assertEqual(ticket.team_id, self.team_network)
        self.assertEqual(ticket.level, "2")
        self.assertEqual(ticket.escalation_ids.user_id, self.agent)
        self.assertEqual(ticket.sla_id, self.sla_standard, "the promise made to the customer stays")

    def test_agent_hands_over_to_another_team_under_sla(self):
        ticket = self.new_ticket_as(self.agent, channel="phone")
        wizard = Form(self.env["helpdesk.escalation.wizard"].with_user(self.agent).with_context(
            default_ticket_ids=ticket.ids, default_mode="handover"))
        wizard.team_id = self.team_network
        wizard.reason = "Gangguan jaringan, bukan perangkat"
        wizard.save().action_confirm()
        self.assertEqual(ticket.team_id, self.team_network)
        self.assertEqual(ticket.escalation_ids.kind, "handover")
        self.assertFalse(self.env["helpdesk.ticket"].with_user(self.agent).search([("id", "=", ticket.id)]),
                         "the agent no longer sees the other team's ticket")
        # The network agent now takes it from their queue.
        self.assertIn(ticket, self.env["helpdesk.ticket"].with_user(self.agent_dewi).search(
            self.env["helpdesk.ticket"].with_user(self.agent_dewi)._queue_domain()))

    # ------------------------------------------------------------------
    # Conversation
    # ------------------------------------------------------------------
    def test_agent_reply_is_the_first_response(self):
        ticket = self.new_ticket_as(self.agent, channel="phone")
        ticket.with_user(self.agent).message_post(
            body="Kami sedang memeriksa monitornya.", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertTrue(ticket.first_response_date)
        self.assertIn(self.siti, ticket.message_ids[0].notified_partner_ids | ticket.message_partner_ids)


@tagged("post_install", "-at_install")
class TestDemoPortalOverHttp(WebClientCalls, HttpCase):
    """The demo customer in the portal and the demo agent in the web client, over HTTP."""

    def csrf_token(self, path):
        return self.url_open(path).text.split('name="csrf_token" value="')[1].split('"')[0]

    def test_customer_rates_once_then_reopens(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_printer")
        agent = ticket.user_id or self.env.ref("helpdesk_ticketing.user_agent")
        ticket.with_user(agent).write({
            "user_id": agent.id, "solution": "<p>Sensor kertas dibersihkan.</p>",
            "stage_id": self.env.ref("helpdesk_ticketing.stage_solved").id,
        })
        self.authenticate("customer", "customer")
        page = f"/my/tickets/{ticket.id}"
        response = self.url_open(f"{page}/rate", data={
            "csrf_token": self.csrf_token(page), "rating": "5", "feedback": "Cepat sekali, terima kasih"})
        self.assertIn("rated=1", response.url)
        replay = self.url_open(f"{page}/rate", data={
            "csrf_token": self.csrf_token(page), "rating": "1", "feedback": "ulang"})
        self.assertEqual(replay.status_code, 400)
        self.assertIn("You already rated", replay.text)
        ratings = self.env["rating.rating"].search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id),
                                                    ("consumed", "=", True)])
        self.assertEqual(ratings.mapped("rating"), [5.0])

        response = self.url_open(f"{page}/reopen", data={
            "csrf_token": self.csrf_token(page), "reason": "Printer macet lagi sore ini"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ticket.is_closed)
        self.assertEqual(ticket.reopen_count, 1)
        self.assertTrue(any("Printer macet lagi" in body for body in ticket.message_ids.mapped("body")))


    def test_take_next_serves_exactly_what_the_queue_shows(self):
        # A service desk working its queue by hand (the demo's triage team assigns in turn).
        self.env.ref("helpdesk_ticketing.team_service_desk").assignment_method = "manual"
        self.authenticate("customer", "customer")
        response = self.url_open("/my/tickets/new", data={
            "csrf_token": self.csrf_token("/my/tickets/new"),
            "name": "Tidak tahu kategorinya", "description": "Komputer lambat sekali",
            "category_id": "",  # "I don't know"
        })
        self.assertEqual(response.status_code, 200)
        unsorted = self.env["helpdesk.ticket"].search([("name", "=", "Tidak tahu kategorinya")])
        self.assertEqual(unsorted.team_id, self.env.ref("helpdesk_ticketing.team_service_desk"),
                         "the demo company's triage team")

        self.authenticate("agent", "agent")
        action = self.make_jsonrpc_request("/web/action/run", {
            "action_id": self.env.ref("helpdesk_ticketing.helpdesk_ticket_action_open_queue").id})
        queue = self.call_kw("helpdesk.ticket", "web_search_read", [], {
            "domain": action["domain"], "specification": {"code": {}, "user_id": {}, "is_closed": {}},
        })["records"]
        queue_ids = [row["id"] for row in queue]
        self.assertIn(unsorted.id, queue_ids)
        self.assertFalse([row for row in queue if row["user_id"] or row["is_closed"]],
                         "neither colleagues' nor closed tickets are in the queue")
        taken = []
        while True:
            result = self.call_kw("helpdesk.ticket", "action_take_next", [])
            if result["type"] != "ir.actions.act_window":
                self.assertEqual(result["tag"], "display_notification")
                break
            taken.append(result["res_id"])
        self.assertEqual(taken, queue_ids, "served in the Queue's order, nothing more, nothing less")
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        self.assertEqual(self.env["helpdesk.ticket"].browse(taken).user_id, agent)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestDemoApprovals(TransactionCase):
    """Work permits and resolution sign-offs with the demo's approval rules, decided by the demo leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.technician = ref("helpdesk_ticketing.user_technician_agus")  # data-centre team
        cls.agent_dewi = ref("helpdesk_ticketing.user_agent_dewi")  # network team
        cls.stage_progress = ref("helpdesk_ticketing.stage_in_progress")

    def decide_as(self, user, approval, decision, comment=""):
        """The leader's Approve / Reject dialog, as the approvals list opens it."""
        action = approval.with_user(user).with_context(decision=decision).action_open_decision_wizard()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.comment = comment
        form.save().action_confirm()

    def test_work_permit_rejected_requested_again_approved_and_printed(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_dc_visit")
        first = ticket.approval_ids.filtered(lambda a: a.kind == "validation")
        self.assertEqual((first.state, first.approver_ids), ("pending", self.leader), "the site supervisor decides")
        self.decide_as(self.leader, first, "rejected", "Lampirkan nomor KTP lengkap para pengunjung")
        with self.assertRaisesRegex(UserError, "rejected"):
            ticket.with_user(self.technician).stage_id = self.stage_progress

        action = ticket.with_user(self.technician).action_request_validation()
        again = self.env["helpdesk.approval"].browse(action["res_id"])
        self.assertEqual(again.state, "pending")
        self.assertEqual(again.visitor_names, first.visitor_names, "the visitors are carried over")
        with Form(again.with_user(self.technician)) as form:
            form.visitor_names = "Joko Widodo (KTP 3174000000000001)\nAhmad Fauzi (KTP 3174000000000002)"
            form.visit_date_from = fields.Date.to_date("2026-11-26")
        self.decide_as(self.leader, again, "approved")
        ticket.with_user(self.technician).stage_id = self.stage_progress
        self.assertEqual(ticket.stage_id, self.stage_progress)

        html = self.env["ir.actions.report"].with_user(self.technician)._render_qweb_html(
            "helpdesk_ticketing.action_report_work_permit", again.ids)[0].decode()
        self.assertIn("KTP 3174000000000002", html)
        self.assertIn(ticket.code, html)

    def test_network_change_signed_off_by_the_leader_then_reported(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_vpn")
        ticket.user_id = self.agent_dewi
        as_dewi = ticket.with_user(self.agent_dewi)
        self.assertTrue(as_dewi.signoff_requestable, "the demo sign-off rule of the network team applies")
        with self.assertRaisesRegex(UserError, "solution"):
            as_dewi.action_request_signoff()
        with Form(as_dewi) as form:
            form.solution = "<p>Firmware router cabang diperbarui, tunnel IPsec dibuat ulang.</p>"
            form.root_cause = "Firmware router lama memutus tunnel setiap 30 menit."
        as_dewi.action_request_signoff()
        signoff = ticket.approval_ids.filtered(lambda a: a.kind == "signoff")
        with self.assertRaisesRegex(UserError, "sign-off"):
            as_dewi.stage_id = self.env.ref("helpdesk_ticketing.stage_solved")
        with self.assertRaisesRegex(UserError, "once"):
            as_dewi.action_print_service_report()
        self.decide_as(self.leader, signoff, "approved")
        self.assertEqual(ticket.stage_kind, "solved")
        self.assertEqual(ticket.progress, 100)
        action = as_dewi.action_print_service_report()
        self.assertEqual(action["report_name"], "helpdesk_ticketing.report_service")
        html = self.env["ir.actions.report"].with_user(self.agent_dewi)._render_qweb_html(
            "helpdesk_ticketing.action_report_service", ticket.ids)[0].decode()
        self.assertIn("tunnel IPsec dibuat ulang", html)
        self.assertIn(self.leader.name, html, "the leader who signed off")


@tagged("post_install", "-at_install")
class TestDemoInIndonesian(TransactionCase):
    """The demo's categories as an agent reading Bahasa Indonesia finds them in the ticket form."""

    def test_category_names_translated_in_backend_forms(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        agent.lang = "id_ID"
        hardware = self.env.ref("helpdesk_ticketing.category_hardware")
        visit = self.env.ref("helpdesk_ticketing.category_dc_visit")
        printer = self.env["helpdesk.category"].with_context(lang="en_US").create(
            {"name": "Printer", "parent_id": hardware.id})
        printer.update_field_translations("name", {"id_ID": "Pencetak"})
        Category = self.env["helpdesk.category"].with_user(agent).with_context(lang="id_ID")
        # What the many2one of the ticket form shows, and finds when the agent types.
        self.assertEqual(Category.browse(hardware.id).display_name, "Perangkat Keras")
        self.assertEqual(Category.browse(visit.id).display_name, "Kunjungan Pusat Data (Izin Kerja)")
        self.assertEqual(Category.browse(printer.id).display_name, "Perangkat Keras / Pencetak")
        found = Category.name_search("Izin Kerja")
        self.assertIn((visit.id, "Kunjungan Pusat Data (Izin Kerja)"), found)
        # English users still read English.
        self.assertEqual(Category.with_context(lang="en_US").browse(printer.id).display_name, "Hardware / Printer")


@tagged("post_install", "-at_install")
class TestDemoHomeAction(WebClientCalls, HttpCase):
    def test_demo_agent_lands_in_the_helpdesk(self):
        self.authenticate("agent", "agent")
        self.assertEqual(self.home_action_id(), self.env.ref("helpdesk_ticketing.helpdesk_team_action_dashboard").id)
