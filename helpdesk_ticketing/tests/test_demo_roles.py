from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged


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
class TestDemoQueueOverHttp(HttpCase):
    """The customer files a ticket in the portal; the agent works the Queue through the web client's calls."""

    def url_open(self, *args, **kwargs):
        response = super().url_open(*args, **kwargs)
        self.env.invalidate_all()  # the server wrote through its own environment
        return response

    def call_kw(self, model, method, args, kwargs=None):
        try:
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            )
        finally:
            self.env.invalidate_all()

    def test_take_next_serves_exactly_what_the_queue_shows(self):
        # A service desk working its queue by hand (the demo's triage team assigns in turn).
        self.env.ref("helpdesk_ticketing.team_service_desk").assignment_method = "manual"
        self.authenticate("customer", "customer")
        page = self.url_open("/my/tickets/new").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.url_open("/my/tickets/new", data={
            "csrf_token": csrf, "name": "Tidak tahu kategorinya", "description": "Komputer lambat sekali",
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
