from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged

from .common import WebClientCalls


class MajorIncidentDemoMixin:
    """A network fault reported by customers of two companies, on the demo configuration."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")  # Budi: service desk only
        cls.agent_dc = ref("helpdesk_ticketing.user_technician_agus")  # Agus: data centre only
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")
        cls.customer = ref("helpdesk_ticketing.user_portal_siti")
        cls.siti = ref("helpdesk_ticketing.partner_siti")
        cls.andi = ref("helpdesk_ticketing.partner_andi")
        cls.team_sd = ref("helpdesk_ticketing.team_service_desk")
        cls.team_network = ref("helpdesk_ticketing.team_network")
        cls.category_network = ref("helpdesk_ticketing.category_network")
        Ticket = cls.env["helpdesk.ticket"]
        cls.incident = Ticket.create({
            "name": "Jaringan kantor pusat mati", "partner_id": cls.siti.id, "team_id": cls.team_sd.id,
            "category_id": cls.category_network.id, "channel": "phone", "user_id": cls.agent.id,
        })
        cls.siti_ticket = Ticket.create({
            "name": "Internet mati di lantai 2", "partner_id": cls.siti.id, "team_id": cls.team_sd.id,
            "category_id": cls.category_network.id, "channel": "email",
        })
        cls.andi_ticket = Ticket.create({
            "name": "Tidak bisa akses aplikasi", "partner_id": cls.andi.id, "team_id": cls.team_sd.id,
            "category_id": cls.category_network.id, "channel": "portal",
        })


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestMajorIncident(MajorIncidentDemoMixin, TransactionCase):

    def declare(self, ticket, user=None):
        ticket.with_user(user or self.leader).action_declare_major_incident()

    def attach_from_list(self, tickets, incident, user=None):
        """The list's Action menu → Attach to Major Incident → choose the incident → Attach."""
        user = user or self.leader
        action = tickets.with_user(user).action_open_major_incident_attach()
        Wizard = self.env[action["res_model"]].with_user(user).with_context(
            active_model="helpdesk.ticket", active_ids=tickets.ids, **action["context"])
        with Form(Wizard) as wizard:
            wizard.major_incident_id = incident
        return wizard.record.action_confirm()

    def solve_as(self, ticket, user, solution=None):
        with Form(ticket.with_user(user)) as form:
            if solution:
                form.solution = solution
            form.stage_id = ticket._solved_stage()

    # ------------------------------------------------------------------
    # Declaring and attaching
    # ------------------------------------------------------------------
    def test_leader_declares_and_attaches_tickets_of_two_customers(self):
        self.declare(self.incident)
        self.assertTrue(self.incident.is_major_incident)
        self.attach_from_list(self.siti_ticket | self.andi_ticket, self.incident)
        self.assertEqual(self.incident.child_incident_ids, self.siti_ticket | self.andi_ticket)
        self.assertEqual(self.incident.child_incident_count, 2)
        self.assertEqual(self.siti_ticket.major_incident_id, self.incident)
        self.assertIn("Attached to major incident", self.siti_ticket.message_ids[0].body)
        self.assertIn(self.andi_ticket.code, self.incident.message_ids[0].body)

    def test_incident_form_offers_similar_open_tickets(self):
        other_team = self.env["helpdesk.ticket"].create({
            "name": "Server DC lambat", "partner_id": self.siti.id,
            "team_id": self.env.ref("helpdesk_ticketing.team_data_center").id,
        })
        alike = self.env["helpdesk.ticket"].create({
            "name": "Jaringan kantor pusat mati total", "partner_id": self.andi.id,
            "team_id": self.env.ref("helpdesk_ticketing.team_data_center").id,
        })
        self.declare(self.incident)
        offered = self.incident.with_user(self.leader).major_incident_candidate_ids
        self.assertEqual(offered, self.siti_ticket | self.andi_ticket | alike,
                         "same team and category, or a subject alike (other team), just created")
        self.assertNotIn(other_team, offered)
        alike.with_user(self.leader)._attach_to_major_incident(self.incident)
        action = self.incident.with_user(self.leader).action_attach_similar_tickets()
        wizard = Form(self.env[action["res_model"]].with_user(self.leader).with_context(**action["context"]))
        self.assertEqual(wizard.major_incident_id, self.incident)
        wizard.ticket_ids.remove(id=self.andi_ticket.id)
        wizard.save().action_confirm()
        self.assertEqual(self.incident.child_incident_ids, self.siti_ticket | alike)
        self.assertEqual(self.incident.with_user(self.leader).major_incident_candidate_ids, self.andi_ticket)

    def test_agent_cannot_declare_or_attach(self):
        with self.assertRaisesRegex(AccessError, "Only team leaders and managers"):
            self.declare(self.incident, self.agent)
        self.declare(self.incident)
        with self.assertRaisesRegex(AccessError, "Only team leaders and managers"):
            self.siti_ticket.with_user(self.agent)._attach_to_major_incident(self.incident)
        with self.assertRaisesRegex(AccessError, "Only team leaders and managers"):
            self.siti_ticket.with_user(self.agent).write({"major_incident_id": self.incident.id})
        self.assertFalse(self.siti_ticket.major_incident_id)

    # ------------------------------------------------------------------
    # Bad input: a clear error and nothing changed
    # ------------------------------------------------------------------
    def test_bad_input_changes_nothing(self):
        with self.assertRaisesRegex(UserError, "is not a major incident"):
            self.attach_from_list(self.siti_ticket, self.incident)
        self.declare(self.incident)
        with self.assertRaisesRegex(UserError, "cannot be attached to itself"):
            (self.incident | self.siti_ticket).with_user(self.leader)._attach_to_major_incident(self.incident)
        with self.assertRaisesRegex(UserError, "is not attached to a major incident"):
            self.siti_ticket.with_user(self.leader).action_detach_from_major_incident()
        self.assertFalse(self.siti_ticket.major_incident_id)
        self.assertFalse(self.incident.major_incident_id)

    def test_no_cycle_of_major_incidents(self):
        self.declare(self.incident)
        self.declare(self.siti_ticket)
        self.siti_ticket.with_user(self.leader)._attach_to_major_incident(self.incident)
        with self.assertRaisesRegex(UserError, "which is already part of it"):
            self.incident.with_user(self.leader)._attach_to_major_incident(self.siti_ticket)
        self.assertFalse(self.incident.major_incident_id)
        self.assertEqual(self.siti_ticket.major_incident_id, self.incident)
        with self.assertRaisesRegex(ValidationError, "cannot be attached under itself or under one of its own"):
            self.incident.with_user(self.leader).write({"major_incident_id": self.siti_ticket.id})

    def test_no_attaching_to_a_closed_incident_or_across_companies(self):
        self.declare(self.incident)
        closed = self.env["helpdesk.ticket"].create({
            "name": "Gangguan lama", "partner_id": self.siti.id, "team_id": self.team_sd.id,
            "solution": "<p>Router diganti.</p>",
        })
        self.declare(closed)
        closed.stage_id = closed._solved_stage()
        with self.assertRaisesRegex(UserError, "is closed: tickets can only be attached to an open major"):
            self.attach_from_list(self.siti_ticket, closed)
        other_company = self.env["res.company"].create({"name": "PT Cabang Lain"})
        self.manager.company_ids |= other_company
        foreign = self.env["helpdesk.ticket"].create({
            "name": "Internet mati", "partner_id": self.andi.id, "company_id": other_company.id,
        })
        with self.assertRaisesRegex(UserError, "only tickets of the incident's company"):
            foreign.with_user(self.manager)._attach_to_major_incident(self.incident)
        self.assertFalse(foreign.major_incident_id | self.siti_ticket.major_incident_id)

    # ------------------------------------------------------------------
    # Solving the incident
    # ------------------------------------------------------------------
    def test_solving_the_incident_solves_and_tells_each_child_in_its_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.andi.lang = "id_ID"
        solved_stage = self.incident._solved_stage()
        solved_stage.with_context(lang="id_ID").name = "Selesai"
        network_child = self.env["helpdesk.ticket"].create({  # the network team signs its tickets off first
            "name": "Switch lantai 3 mati", "partner_id": self.siti.id, "team_id": self.team_network.id,
            "channel": "email",
        })
        self.declare(self.incident)
        self.attach_from_list(self.siti_ticket | self.andi_ticket | network_child, self.incident)
        self.andi_ticket.solution = "<p>Dicek ulang oleh teknisi cabang.</p>"
        mails_before = self.env["mail.mail"].search([])

        self.solve_as(self.incident, self.agent, solution="<p>Core switch diganti.</p>")

        self.assertEqual(self.siti_ticket.stage_id, solved_stage)
        self.assertEqual(self.andi_ticket.stage_id, solved_stage)
        self.assertIn("Core switch diganti", self.siti_ticket.solution, "the incident's solution is copied")
        self.assertIn("Dicek ulang", self.andi_ticket.solution, "a child's own solution stays")
        self.assertFalse(network_child.is_closed, "held by its own sign-off")
        self.assertIn(network_child.code, self.incident.message_ids[0].body)
        self.assertFalse(self.siti_ticket.message_ids.filtered(lambda m: m.message_type == "comment"),
                         "the customers are told outside the request that solved the incident")
        self.assertEqual(self.env["helpdesk.ticket"]._cron_notify_major_incident_solved(), 2)
        self.assertEqual(self.env["helpdesk.ticket"]._cron_notify_major_incident_solved(), 0, "told once")
        siti_notice = self.siti_ticket.message_ids[0]
        self.assertEqual(siti_notice.partner_ids, self.siti)
        self.assertEqual(siti_notice.author_id, self.agent.partner_id, "from the incident's technician")
        self.assertFalse(siti_notice.is_internal, "visible on the portal")
        self.assertIn("“Solved”", siti_notice.body)
        self.assertIn("“Selesai”", self.andi_ticket.message_ids[0].body, "in the customer's language")
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent in the request")
        self.assertEqual(mails.recipient_ids, self.siti | self.andi)

    def test_child_without_solution_stays_open_when_the_incident_has_none(self):
        self.team_network.solution_required = True
        self.incident.team_id.solution_required = False
        network_child = self.env["helpdesk.ticket"].create({
            "name": "Switch lantai 3 mati", "partner_id": self.siti.id, "team_id": self.team_network.id,
        })
        self.declare(self.incident)
        self.attach_from_list(self.siti_ticket | network_child, self.incident)
        self.env["helpdesk.approval.rule"].search([("kind", "=", "signoff")]).active = False
        self.solve_as(self.incident, self.leader)
        self.assertTrue(self.incident.is_closed)
        self.assertFalse(network_child.is_closed, "its team asks for a solution, and there is none to copy")
        self.assertIn(network_child.code, self.incident.message_ids[0].body)

    def test_detached_child_is_reopened_on_its_own(self):
        self.declare(self.incident)
        self.attach_from_list(self.siti_ticket | self.andi_ticket, self.incident)
        self.solve_as(self.incident, self.agent, solution="<p>Core switch diganti.</p>")
        self.siti_ticket.with_user(self.leader).action_detach_from_major_incident()
        self.assertFalse(self.siti_ticket.major_incident_id)
        self.assertEqual(self.incident.child_incident_ids, self.andi_ticket)
        with Form(self.siti_ticket.with_user(self.agent)) as form:
            form.stage_id = self.env.ref("helpdesk_ticketing.stage_in_progress")
        self.assertFalse(self.siti_ticket.is_closed)
        self.assertEqual(self.siti_ticket.reopen_count, 1)
        self.assertTrue(self.andi_ticket.is_closed)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_agents_read_the_incidents_of_their_teams_tickets(self):
        incident = self.env["helpdesk.ticket"].create({
            "name": "Link data center putus", "partner_id": self.siti.id, "team_id": self.team_network.id,
        })
        self.declare(incident)
        self.siti_ticket.with_user(self.leader)._attach_to_major_incident(incident)
        as_agent = incident.with_user(self.agent)
        self.assertEqual(as_agent.read(["name", "child_incident_ids"])[0]["child_incident_ids"], self.siti_ticket.ids)
        self.assertIn(incident, self.env["helpdesk.ticket"].with_user(self.agent).search(
            [("is_major_incident", "=", True)]))
        with self.assertRaises(AccessError):
            as_agent.write({"priority": "3"})
        with self.assertRaises(AccessError):
            incident.with_user(self.agent_dc).read(["name"])

    def test_report_counts_children_and_time_to_resolve(self):
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = '2026-11-24 03:00:00' WHERE id = %s",
                            [self.incident.id])
        self.incident.invalidate_recordset(["create_date"])
        self.declare(self.incident)
        self.attach_from_list(self.siti_ticket | self.andi_ticket, self.incident)
        with freeze_time("2026-11-24 06:30:00"):
            self.solve_as(self.incident, self.leader, solution="<p>Core switch diganti.</p>")
        self.env.flush_all()
        Report = self.env["helpdesk.major.incident.report"].with_user(self.leader)
        row = Report.search([("ticket_id", "=", self.incident.id)])
        self.assertEqual((row.child_count, row.open_child_count, row.customer_count), (2, 0, 2))
        self.assertAlmostEqual(row.resolution_hours, 3.5)
        action = row.action_open_children()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), self.siti_ticket | self.andi_ticket)
        with self.assertRaises(AccessError):
            self.env["helpdesk.major.incident.report"].with_user(self.agent).search([])


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestMajorIncidentPortal(MajorIncidentDemoMixin, WebClientCalls, HttpCase):

    def test_customer_sees_the_incident_status_but_no_other_customer(self):
        self.incident.with_user(self.leader).action_declare_major_incident()
        self.incident.major_incident_public_note = "Teknisi sedang mengganti core switch."
        (self.siti_ticket | self.andi_ticket).with_user(self.leader)._attach_to_major_incident(self.incident)
        self.authenticate("customer", "customer")
        page = self.url_open(f"/my/tickets/{self.siti_ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_helpdesk_portal_major_incident", page.text)
        self.assertIn("Teknisi sedang mengganti core switch.", page.text)
        self.assertNotIn(self.andi.name, page.text)
        self.assertNotIn(self.andi_ticket.code, page.text)
        with self.assertRaises(AccessError):
            self.andi_ticket.with_user(self.customer).read(["name"])


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestMergeMajorIncident(MajorIncidentDemoMixin, TransactionCase):
    def test_merged_major_incident_hands_its_affected_tickets_to_the_ticket_that_stays(self):
        """Siti reported the outage twice; the leader made one a major incident, then merges it into the
        other: the affected tickets stay attached, to the ticket that stays."""
        self.incident.with_user(self.leader).action_declare_major_incident()
        self.andi_ticket.with_user(self.leader)._attach_to_major_incident(self.incident)
        self.siti_ticket.with_user(self.leader)._attach_to_major_incident(self.incident)
        self.incident.with_user(self.leader)._merge_into(self.siti_ticket)
        self.assertEqual(self.incident.merged_into_id, self.siti_ticket)
        self.assertTrue(self.siti_ticket.is_major_incident)
        self.assertFalse(self.siti_ticket.major_incident_id, "no longer under the incident merged into it")
        self.assertEqual(self.siti_ticket.child_incident_ids, self.andi_ticket)
        self.assertFalse(self.incident.child_incident_ids)
