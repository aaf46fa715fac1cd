"""Manager reports: ticket analysis (SQL view), technician performance (pivot and PDF), work-permit letter."""

import io
import json
from datetime import datetime, timedelta
from urllib.parse import quote

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from .common import HelpdeskCase


class TicketReportCase(HelpdeskCase):
    """The two technicians of the service desk with a known history in March 2026, and another team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tech_a, cls.tech_b = cls.agent_a, cls.agent_b
        cls.team, cls.team_other = cls.team_sd, cls.team_net
        cls.sla = env["helpdesk.sla"].create(
            {"name": "SLA laporan", "team_id": cls.team.id, "response_hours": 4, "resolution_hours": 24}
        )
        Ticket = env["helpdesk.ticket"]
        cls.t1 = Ticket.create(
            {
                "name": "Satu",
                "partner_id": cls.customer.id,
                "solution": "<p>Kabel jaringan diganti.</p>",
                "team_id": cls.team.id,
                "user_id": cls.tech_a.id,
                "channel": "phone",
            }
        )
        cls.t2 = Ticket.create(
            {
                "name": "Dua",
                "partner_id": cls.customer.id,
                "solution": "<p>Driver printer dipasang ulang.</p>",
                "team_id": cls.team.id,
                "user_id": cls.tech_a.id,
                "channel": "portal",
            }
        )
        cls.t3 = Ticket.create(
            {
                "name": "Tiga",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "user_id": cls.tech_b.id,
                "channel": "portal",
            }
        )
        cls.t_other = Ticket.create({"name": "Lain", "partner_id": cls.customer.id, "team_id": cls.team_other.id})
        # A known history: created 1 March 08:00; t1 answered after 2 h, solved after 10 h;
        # t2 answered after 6 h, solved after 30 h and reopened once; t3 still open.
        created = datetime(2026, 3, 2, 8, 0)
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            [created, (cls.t1.id, cls.t2.id, cls.t3.id, cls.t_other.id)],
        )
        env.invalidate_all()
        cls.t1._set_first_response(created + timedelta(hours=2))
        cls.t2._set_first_response(created + timedelta(hours=6))
        cls.t1.stage_id = cls.stage_solved
        cls.t2.stage_id = cls.stage_solved
        cls.t2.stage_id = cls.stage_progress
        cls.t2.stage_id = cls.stage_solved
        cls.t1.date_closed = created + timedelta(hours=10)
        cls.t2.date_closed = created + timedelta(hours=30)
        cls.t1.write({"sla_response_breached": False, "sla_resolve_breached": False})
        cls.t2.write({"sla_response_breached": True, "sla_resolve_breached": True})
        cls.t1.rating_apply(5, token=cls.t1._rating_get_access_token(), feedback="Mantap")
        cls.t2.rating_apply(1, token=cls.t2._rating_get_access_token(), feedback="Lama sekali")
        env.flush_all()


@tagged("post_install", "-at_install")
class TestTicketReport(TicketReportCase):
    def report(self, user=None):
        Report = self.env["helpdesk.ticket.report"]
        return Report.with_user(user) if user else Report

    def test_figures_per_technician(self):
        rows = self.report().search([("team_id", "=", self.team.id)])
        self.assertEqual(set(rows.ticket_id.ids), {self.t1.id, self.t2.id, self.t3.id})
        by_user = {
            user: (count, solved, first, resolution, rating, reopens)
            for user, count, solved, first, resolution, rating, reopens in self.report()._read_group(
                [("team_id", "=", self.team.id)],
                ["user_id"],
                [
                    "ticket_count:sum",
                    "solved_count:sum",
                    "first_response_hours:avg",
                    "resolution_hours:avg",
                    "rating:avg",
                    "reopen_count:sum",
                ],
            )
        }
        count, solved, first, resolution, rating, reopens = by_user[self.tech_a]
        self.assertEqual((count, solved, reopens), (2, 2, 1))
        self.assertAlmostEqual(first, 4.0, places=2)
        self.assertAlmostEqual(resolution, 20.0, places=2)
        self.assertAlmostEqual(rating, 3.0, places=2)
        self.assertEqual(by_user[self.tech_b][:2], (1, 0))
        self.assertEqual(self.t1.sla_id, self.sla)
        self.assertEqual(rows.filtered(lambda r: r.ticket_id == self.t1).sla_success_rate, 100.0)
        self.assertEqual(rows.filtered(lambda r: r.ticket_id == self.t2).sla_success_rate, 0.0)
        self.assertEqual(sum(rows.mapped("sla_met_count")), 1)

    def test_group_by_period_and_channel(self):
        groups = dict(
            self.report()._read_group([("team_id", "=", self.team.id)], ["create_date:month"], ["ticket_count:sum"])
        )
        self.assertEqual(list(groups.values()), [3])
        channels = dict(self.report()._read_group([("team_id", "=", self.team.id)], ["channel"], ["ticket_count:sum"]))
        self.assertEqual(channels, {"phone": 1, "portal": 2})

    def test_groups_in_the_orm_order_without_the_join(self):
        """Groups sorted after grouping come in the order the ORM's join gives (team sequence, name;
        assignee name; month), empty values last, for tickets and for the report."""
        self.team_other.sequence = 1
        self.team.sequence = 2
        self.t3.user_id = False
        # New tickets go to the triage team; one taken out of every team makes the empty group.
        self.env["helpdesk.ticket"].create({"name": "Tanpa tim", "partner_id": self.customer.id}).team_id = False
        for model in ("helpdesk.ticket", "helpdesk.ticket.report"):
            Model = self.env[model].with_user(self.manager)
            for groupby in (["team_id"], ["user_id"], ["create_date:month", "team_id"], ["stage_id", "user_id"],
                            ["team_id", "create_date:day"]):
                with self.subTest(model=model, groupby=groupby):
                    self.assertTrue(Model._group_order_in_python(groupby, 0, None, ", ".join(groupby)))
                    sorted_here = Model.formatted_read_group([], groupby, ["__count"])
                    by_the_orm = Model.formatted_read_group(
                        [], groupby, ["__count"], order=", ".join(f"{spec} asc" for spec in groupby)
                    )
                    self.assertEqual(sorted_here, by_the_orm)
            # The pivot view asks for all its groupings at once (grouping sets).
            sets = [["team_id", "create_date:month"], ["team_id"], ["user_id", "stage_id"], []]
            specs = ["team_id", "create_date:month", "user_id", "stage_id"]
            self.assertEqual(
                Model.formatted_read_grouping_sets([], sets, ["__count"]),
                Model.formatted_read_grouping_sets([], sets, ["__count"], order=", ".join(f"{s} asc" for s in specs)),
            )
            teams = [g["team_id"] for g in Model.formatted_read_group([], ["team_id"], ["__count"])]
            self.assertEqual(teams[-1], False)
            self.assertLess(teams.index((self.team_other.id, self.team_other.display_name)),
                            teams.index((self.team.id, self.team.display_name)))
        # Explicit orders, limits and other groupings stay with the ORM.
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(Ticket._group_order_in_python(["team_id"], 0, 10, "team_id"))
        self.assertFalse(Ticket._group_order_in_python(["team_id"], 0, None, "team_id desc"))
        self.assertFalse(Ticket._group_order_in_python(["channel", "team_id"], 0, None, "channel, team_id"))

    def test_months_in_the_users_time_zone(self):
        """A ticket created on 31 March 20:00 UTC belongs to April in Jakarta (fixed +7, added per row)
        and to March in São Paulo (converted by PostgreSQL, as the ORM does for zones with changes)."""
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = '2026-03-31 20:00:00' WHERE id = %s",
                            [self.t3.id])
        self.env.invalidate_all()
        self.env["res.lang"]._activate_lang("en_US")  # month names in English, whatever the database speaks
        domain = [("id", "=", self.t3.id)]
        for zone, month in (("Asia/Jakarta", "April 2026"), ("America/Sao_Paulo", "March 2026"), (False, "March 2026")):
            Ticket = self.env["helpdesk.ticket"].with_context(tz=zone, lang="en_US")
            groups = Ticket.formatted_read_group(domain, ["create_date:month"], ["__count"])
            self.assertEqual(groups[0]["create_date:month"][1], month, zone)

    def test_approval_count_is_stored_for_the_report(self):
        self.env["helpdesk.approval"].create({"ticket_id": self.t3.id, "kind": "validation"})
        self.env.flush_all()
        row = self.report().search([("ticket_id", "=", self.t3.id)])
        self.assertEqual((self.t3.approval_count, row.approval_count), (1, 1))

    def test_access_rights(self):
        with self.assertRaises(AccessError):
            self.report(self.tech_a).search([])
        leader_rows = self.report(self.leader).search([])
        self.assertIn(self.t1, leader_rows.ticket_id)
        self.assertNotIn(self.t_other, leader_rows.ticket_id, "a leader only sees the teams they lead or work in")
        self.assertIn(self.t_other, self.report(self.manager).search([]).ticket_id)

    def test_drill_down_opens_tickets(self):
        row = self.report(self.leader).search([("ticket_id", "=", self.t1.id)])
        action = row.action_open_ticket()
        self.assertEqual((action["res_model"], action["res_id"]), ("helpdesk.ticket", self.t1.id))
        rows = self.report(self.leader).search([("team_id", "=", self.team.id), ("is_solved", "=", True)])
        action = rows.action_open_tickets()
        self.assertEqual(set(self.env["helpdesk.ticket"].search(action["domain"]).ids), {self.t1.id, self.t2.id})

    @freeze_time("2026-04-06 09:00:00")
    def test_technician_performance_pdf(self):
        values = (
            self.env["report.helpdesk_ticketing.report_technician_performance"]
            .with_user(self.leader)
            ._get_report_values(self.team.ids, {"month": 3, "year": 2026})
        )
        lines = {line["user"]: line for line in values["lines"][self.team.id]}
        self.assertEqual(set(lines), {self.tech_a})
        self.assertEqual(lines[self.tech_a]["solved"], 2)
        self.assertAlmostEqual(lines[self.tech_a]["reopen_rate"], 50.0)
        self.assertAlmostEqual(lines[self.tech_a]["rating"], 3.0)
        empty = self.env["report.helpdesk_ticketing.report_technician_performance"]._get_report_values(
            self.team.ids, {"month": 4, "year": 2026}
        )
        self.assertEqual(empty["lines"][self.team.id], [])
        wizard = (
            self.env["helpdesk.performance.report.wizard"]
            .with_user(self.leader)
            .create({"team_ids": [(6, 0, self.team.ids)], "month": "3", "year": "2026"})
        )
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "helpdesk_ticketing.report_technician_performance")
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("helpdesk_ticketing.action_report_technician_performance", None, data=action["data"])
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "helpdesk_ticketing.action_report_technician_performance", None, data=action["data"]
        )[0]
        self.assertIn(self.tech_a.name.encode(), html)
        self.assertIn(b"50 %", html)


@freeze_time("2026-04-06 09:00:00")
@tagged("post_install", "-at_install")
class TestPerformancePdfFromWizard(TicketReportCase, HttpCase):
    """The PDF as the web client prints it from the wizard: it asks /report/<type>/<report>?options=<the
    action's data>&context=<the action's context> (web's getReportUrl), without record ids in the URL."""

    def print_from_wizard(self, user, month="3", year="2026"):
        with Form(self.env["helpdesk.performance.report.wizard"].with_user(user)) as wizard:
            wizard.month = month
            wizard.year = year
        action = wizard.record.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.authenticate(user.login, user.login)
        query = f"options={quote(json.dumps(action['data']))}&context={quote(json.dumps(action['context']))}"
        pages = {}
        for converter in ("html", "pdf"):  # in test mode the PDF route answers the HTML it would print
            response = self.url_open(f"/report/{converter}/{action['report_name']}?{query}")
            self.assertEqual(response.status_code, 200, converter)
            pages[converter] = response.text
        return pages

    def test_leader_prints_their_team(self):
        for converter, page in self.print_from_wizard(self.leader).items():
            with self.subTest(converter=converter):
                self.assertIn(self.team.name, page)
                self.assertIn("o_main_table", page, "the table of technicians, not the 'no ticket' line")
                self.assertIn(f"<span>{self.tech_a.name}</span>", page)
                self.assertIn('<td class="text-end">50 %</td>', page, "technician A's reopen rate")
                self.assertNotIn(self.team_other.name, page, "the leader's wizard proposes the teams they lead")

    def test_manager_prints_every_team(self):
        self.t_other.write({"user_id": self.tech_b.id, "solution": "<p>Kabel diganti</p>",
                            "stage_id": self.stage_solved.id})
        self.t_other.date_closed = datetime(2026, 3, 20, 10, 0)
        page = self.print_from_wizard(self.manager)["html"]
        self.assertIn(self.team.name, page)
        self.assertIn(self.team_other.name, page)
        self.assertEqual(page.count("o_main_table"), 2, "one table of technicians per team")
        self.assertIn(f"<span>{self.tech_a.name}</span>", page)
        self.assertIn(f"<span>{self.tech_b.name}</span>", page)

    def test_manager_gets_one_real_pdf_of_every_team(self):
        """Through wkhtmltopdf itself (Debian's, with unpatched Qt: it converts one document at a time):
        every team of the manager's wizard in one PDF, a page per team."""
        with Form(self.env["helpdesk.performance.report.wizard"].with_user(self.manager)) as wizard:
            wizard.month = "3"
            wizard.year = "2026"
        action = wizard.record.action_print()
        self.assertGreater(len(action["data"]["team_ids"]), 1)
        pdf, kind = self.env["ir.actions.report"].with_user(self.manager).with_context(
            force_report_rendering=True)._render_qweb_pdf(action["report_name"], data=action["data"])
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(len(PdfReader(io.BytesIO(pdf)).pages), len(action["data"]["team_ids"]))

    def test_year_is_shown_as_written(self):
        """The year reads 2026, not "2.026" (an integer with the Indonesian thousands separator)."""
        self.env["res.lang"]._activate_lang("id_ID")
        Wizard = self.env["helpdesk.performance.report.wizard"].with_user(self.leader).with_context(lang="id_ID")
        year = Wizard.fields_get(["year"])["year"]
        self.assertEqual(year["type"], "selection")
        self.assertEqual(year["selection"][0], ("2026", "2026"))
        self.assertEqual(Wizard.default_get(["year", "month"]), {"year": "2026", "month": "4"})


@tagged("post_install", "-at_install")
class TestWorkPermitLetter(HelpdeskCase):
    def test_letter_of_approved_permit(self):
        site, visit = self.create_work_permit_rule(self.leader_other)
        ticket = self.ticket(name="Kunjungan ke rak server", category_id=visit.id, site_id=site.id,
                             user_id=self.agent_a.id)
        approval = ticket.approval_ids.filtered(lambda a: a.kind == "validation")[:1]
        self.assertTrue(approval, "the data-centre visit waits for its work permit")
        approval.write({"visit_date_from": "2026-12-01", "visit_date_to": "2026-12-02",
                        "visitor_names": "Ahmad Fauzi"})
        Report = self.env["ir.actions.report"]
        with self.assertRaisesRegex(UserError, "Only approved requests"):
            Report._render_qweb_html("helpdesk_ticketing.action_report_work_permit", approval.ids)
        approval.with_user(self.leader_other).action_approve("Didampingi petugas")
        html = Report._render_qweb_html("helpdesk_ticketing.action_report_work_permit", approval.ids)[0]
        self.assertIn(ticket.code.encode(), html)
        self.assertIn(b"Ahmad Fauzi", html)
        self.assertIn(b"Didampingi petugas", html)
        self.assertIn(b"data:image/png;base64,", html, "QR code of the ticket code")
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "helpdesk_ticketing.action_report_work_permit", approval.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
