"""Answers faster (issue 13) on the demo configuration, as each role: canned replies, ratings without a
login, the public request form."""
import re
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged

from .common import WebClientCalls, smtp_server

NOW = "2026-11-24 03:00:00"  # Tuesday 10:00 WIB, within the demo calendar's working hours


class DemoAnswersMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.siti = ref("helpdesk_ticketing.partner_siti")
        cls.team_sd = ref("helpdesk_ticketing.team_service_desk")
        cls.team_dc = ref("helpdesk_ticketing.team_data_center")
        cls.reply_en = ref("helpdesk_ticketing.canned_response_restart_router_en")
        cls.reply_id = ref("helpdesk_ticketing.canned_response_restart_router_id")
        cls.reply_deadline_id = ref("helpdesk_ticketing.canned_response_deadline_id")
        cls.reply_password = ref("helpdesk_ticketing.canned_response_password_reset")
        cls.stage_solved = ref("helpdesk_ticketing.stage_solved")

    def new_ticket_as(self, user, **values):
        """A ticket typed into the backend form by user, saved as the web client saves it."""
        with Form(self.env["helpdesk.ticket"].with_user(user)) as form:
            form.name = values.pop("name", "Wi-Fi lantai 2 sering putus")
            form.partner_id = values.pop("partner_id", self.siti)
            for field, value in values.items():
                setattr(form, field, value)
        return form.record.with_env(self.env)

    def solve_as(self, user, ticket):
        with Form(ticket.with_user(user)) as form:
            form.solution = "<p>Access point diganti.</p>"
            form.stage_id = self.stage_solved


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDemoCannedReplies(DemoAnswersMixin, TransactionCase):
    def suggestions_as(self, user, ticket):
        """What the chatter composer asks when the agent types "::" on the ticket."""
        return self.env["mail.canned.response"].with_user(user).helpdesk_ticket_suggestions(ticket.id)

    def test_agent_gets_the_teams_replies_in_the_customers_language_filled_in(self):
        ticket = self.new_ticket_as(self.agent, channel="phone", team_id=self.team_sd, user_id=self.agent)
        offered = self.suggestions_as(self.agent, ticket)
        self.assertIn(self.reply_en.id, offered)
        self.assertIn(self.reply_password.id, offered, "a reply without language is offered to everyone")
        self.assertNotIn(self.reply_id.id, offered, "Siti reads English: the Indonesian reply is not offered")
        self.assertEqual(
            offered[self.reply_en.id],
            f"Hello Siti Rahmawati, about ticket {ticket.code}: please switch the router off for 30 seconds, "
            "then on again. If the problem remains, answer this message. Regards, Budi Santoso",
        )
        self.env["res.lang"]._activate_lang("id_ID")
        self.siti.lang = "id_ID"
        offered = self.suggestions_as(self.agent, ticket)
        self.assertIn(self.reply_id.id, offered)
        self.assertNotIn(self.reply_en.id, offered)
        self.assertTrue(
            offered[self.reply_id.id].startswith(f"Selamat siang Siti Rahmawati, untuk tiket {ticket.code}"))
        # The deadline is the SLA's resolution deadline, as the customer reads it (Jakarta time).
        self.assertTrue(ticket.sla_resolve_deadline)
        self.assertRegex(offered[self.reply_deadline_id.id], r"paling lambat \d{2}/\d{2}/2026 \d{2}:\d{2}")

    def test_replies_of_other_teams_are_not_offered(self):
        ticket = self.new_ticket_as(self.leader, channel="phone", team_id=self.team_dc)
        offered = self.suggestions_as(self.leader, ticket)
        self.assertNotIn(self.reply_en.id, offered, "a Network / Service Desk reply")
        self.assertNotIn(self.reply_password.id, offered)

    def test_placeholders_cannot_run_code(self):
        with self.assertRaises(ValidationError) as error, Form(
            self.env["mail.canned.response"].with_user(self.agent)
        ) as form:
            form.source = "jahat"
            form.substitution = "{{ object.env['res.users'].search([]) }}"
        self.assertIn("uses a placeholder that is not allowed", str(error.exception))
        with Form(self.env["mail.canned.response"].with_user(self.agent)) as form:
            form.source = "sapa"
            form.substitution = "Halo {{ customer }} ({{ object.partner_id.name }}), tiket {{ code }}."
        ticket = self.new_ticket_as(self.agent, channel="phone", team_id=self.team_sd)
        offered = self.suggestions_as(self.agent, ticket)
        self.assertEqual(offered[form.record.id], f"Halo Siti Rahmawati (Siti Rahmawati), tiket {ticket.code}.")

    def test_only_leaders_change_shared_replies(self):
        with self.assertRaises(AccessError):
            self.reply_en.with_user(self.agent).substitution = "Diubah"
        with Form(self.reply_en.with_user(self.leader)) as form:
            form.substitution = "Hello {{ customer }}, please restart the router ({{ code }})."
        self.assertEqual(self.reply_en.substitution, "Hello {{ customer }}, please restart the router ({{ code }}).")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDemoRatings(DemoAnswersMixin, TransactionCase):
    def test_solving_asks_the_e_mail_customer_once_with_rating_links(self):
        ticket = self.new_ticket_as(self.agent, channel="email", team_id=self.team_sd, user_id=self.agent)
        self.solve_as(self.agent, ticket)
        self.assertEqual(ticket.rating_request_state, "to_send", "queued: solving does not wait for the e-mail")
        self.env["helpdesk.ticket"]._cron_send_rating_requests()
        self.assertEqual((ticket.rating_request_state, ticket.rating_request_channel), ("sent", "email"))
        request = ticket.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))
        self.assertEqual(len(request), 1)
        self.assertIn(self.siti, request.partner_ids)
        token = ticket.rating_ids.filtered(lambda r: not r.consumed).access_token
        self.assertIn(f"/rate/{token}/5", request.body)
        self.env["helpdesk.ticket"]._cron_send_rating_requests()
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))), 1, "asked once")

    def test_team_without_rating_requests_does_not_ask(self):
        self.team_sd.rating_request = False
        ticket = self.new_ticket_as(self.agent, channel="email", team_id=self.team_sd, user_id=self.agent)
        self.solve_as(self.agent, ticket)
        self.assertFalse(ticket.rating_request_state)

    def test_reopened_before_the_job_is_not_asked(self):
        ticket = self.new_ticket_as(self.agent, channel="email", team_id=self.team_sd, user_id=self.agent)
        self.solve_as(self.agent, ticket)
        ticket.with_user(self.agent).stage_id = self.env.ref("helpdesk_ticketing.stage_in_progress")
        self.env["helpdesk.ticket"]._cron_send_rating_requests()
        self.assertFalse(ticket.rating_request_state)
        self.assertFalse(ticket.message_ids.filtered(lambda m: "/rate/" in (m.body or "")))

    def test_ratings_show_in_the_team_overview_and_the_performance_report(self):
        ticket = self.new_ticket_as(self.agent, channel="email", team_id=self.team_sd, user_id=self.agent)
        self.solve_as(self.agent, ticket)
        ticket.rating_apply(5, token=ticket._rating_get_access_token())
        team = self.team_sd.with_user(self.leader)
        self.assertGreaterEqual(team.rating_recent_count, 1)
        self.assertGreater(team.rating_recent_avg, 0)
        report = self.env["report.helpdesk_ticketing.report_technician_performance"].with_user(self.leader)
        lines = report._technician_lines(self.team_sd, *report._period({"year": 2026, "month": 11}))
        line = next(line for line in lines[self.team_sd.id] if line["user"] == self.agent)
        self.assertTrue(line["rating"])


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDemoAnswersOverHttp(DemoAnswersMixin, WebClientCalls, HttpCase):
    def test_agent_reply_with_canned_response_counts_and_leader_sees_the_usage(self):
        ticket = self.new_ticket_as(self.agent, channel="phone", team_id=self.team_sd, user_id=self.agent)
        self.authenticate("agent", "agent")
        for _i in range(2):
            self.make_jsonrpc_request("/mail/message/post", {
                "thread_model": "helpdesk.ticket", "thread_id": ticket.id,
                "post_data": {"body": "Hello Siti, please restart the router.", "message_type": "comment",
                              "subtype_xmlid": "mail.mt_comment"},
                "canned_response_ids": [self.reply_en.id],
            })
        self.assertEqual(self.reply_en.use_count, 2)
        self.assertEqual(self.reply_password.use_count, 0)
        self.authenticate("leader", "leader")
        action = self.env.ref("helpdesk_ticketing.helpdesk_canned_response_action")
        view = self.env.ref("helpdesk_ticketing.helpdesk_canned_response_view_list")
        self.assertEqual(action.view_id, view)
        order = re.search(r'default_order="([^"]+)"', view.arch).group(1)
        result = self.call_kw("mail.canned.response", "web_search_read", [], {
            "domain": [], "specification": {"source": {}, "use_count": {}}, "order": order,
        })
        self.assertEqual(result["records"][0]["id"], self.reply_en.id, "the most used reply first")
        self.assertEqual(result["records"][0]["use_count"], 2)

    def test_agent_reply_is_mailed_by_the_queue_woken_at_once(self):
        ticket = self.new_ticket_as(self.agent, channel="phone", team_id=self.team_sd, user_id=self.agent)
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", queue.id)])
        triggers.unlink()
        server_class = type(self.env["ir.mail_server"])
        with smtp_server() as (server, received), patch.object(server_class, "_disable_send", return_value=False):
            self.env["ir.mail_server"].create({**server, "sequence": 0})
            self.authenticate("agent", "agent")
            self.make_jsonrpc_request("/mail/message/post", {
                "thread_model": "helpdesk.ticket", "thread_id": ticket.id,
                "post_data": {"body": "Router sudah kami restart.", "message_type": "comment",
                              "subtype_xmlid": "mail.mt_comment"},
            })
            reply = ticket.message_ids.filtered(lambda m: "Router sudah" in (m.body or ""))
            notification = reply.notification_ids.filtered(lambda n: n.res_partner_id == self.siti)
            self.assertEqual(notification.notification_type, "email", "the customer is e-mailed the answer")
            self.assertEqual(notification.notification_status, "ready", "queued: the answer did not wait for SMTP")
            self.assertFalse(received)
            self.assertTrue(triggers.search([("cron_id", "=", queue.id)]), "the mail queue's cron is woken for it")
            # A note reaches no customer: nothing is queued, the queue is not woken for it.
            triggers.search([("cron_id", "=", queue.id)]).unlink()
            ticket.with_user(self.agent).message_post(body="Catatan internal", subtype_xmlid="mail.mt_note")
            self.env.cr.flush()  # the hooks a commit runs, where the queue would be woken
            self.assertFalse(triggers.search([("cron_id", "=", queue.id)]))
            queue.method_direct_trigger()
        to_siti = [envelope for envelope in received if envelope["rcpt"] == [self.siti.email_normalized]]
        self.assertEqual(len(to_siti), 1, "the queue sent it, once")
        self.assertIn("Router sudah kami restart.", to_siti[0]["message"].get_body(("html",)).get_content())
        notification.invalidate_recordset()
        self.assertEqual(notification.notification_status, "sent")

    def test_customer_rates_by_link_without_login_once_per_solve(self):
        ticket = self.new_ticket_as(self.agent, channel="email", team_id=self.team_sd, user_id=self.agent)
        self.solve_as(self.agent, ticket)
        self.env["helpdesk.ticket"]._cron_send_rating_requests()
        token = ticket.rating_ids.filtered(lambda r: not r.consumed).access_token
        page = self.url_open(f"/rate/{token}/5")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'action="/rate/{token}/submit_feedback"', page.text, "Odoo's rating page, no login asked")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.url_open(f"/rate/{token}/submit_feedback",
                                 data={"rate": "5", "feedback": "Cepat, terima kasih", "csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ticket.portal_rating_id.rating, 5)
        self.assertEqual(ticket.rating_last_value, 5)
        # A later reply through the rating page replaces the rating; it never adds one.
        response = self.url_open(f"/rate/{token}/submit_feedback",
                                 data={"rate": "3", "feedback": "Ternyata lambat", "csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        ratings = ticket.rating_ids.filtered("consumed")
        self.assertEqual(len(ratings), 1)
        self.assertEqual((ratings.rating, ratings.feedback), (3, "Ternyata lambat"))
        # Another request of the same solve (a replayed e-mail) still changes that one rating.
        ticket._rating_send_email_requests()
        self.assertEqual(len(ticket.rating_ids.filtered("consumed")), 1)
        self.assertEqual(ticket.portal_rating_id, ratings)

    def test_unknown_rating_token_is_not_found(self):
        self.assertEqual(self.url_open("/rate/no-such-token/5").status_code, 404)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDemoPublicRequest(WebClientCalls, HttpCase):
    """Someone without an account files a ticket through the public form."""

    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.main_company")
        self.company.helpdesk_public_request = True

    def csrf_token(self):
        return self.url_open("/helpdesk/request").text.split('name="csrf_token" value="')[1].split('"')[0]

    def submit(self, files=None, **values):
        data = {"contact_name": "Rudi Hartono", "email": "rudi.hartono@example.co.id",
                "name": "Proyektor ruang rapat mati", "description": "Lampu indikator merah.\nSudah dicabut-pasang."}
        data.update(values)
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open("/helpdesk/request", data=dict(data, csrf_token=self.csrf_token()), files=files)

    def tickets(self):
        return self.env["helpdesk.ticket"].search([("name", "=", "Proyektor ruang rapat mati")])

    def test_form_is_off_by_default(self):
        self.company.helpdesk_public_request = False
        self.assertFalse(self.env["res.company"].new({}).helpdesk_public_request, "off by default")
        self.assertEqual(self.url_open("/helpdesk/request").status_code, 404)

    def test_request_creates_ticket_with_code_and_private_link(self):
        response = self.submit(files=[("attachments", ("foto.png", b"\x89PNG fake", "image/png"))])
        self.assertEqual(response.status_code, 200)
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.code, response.text)
        self.assertEqual(ticket.partner_id.email, "rudi.hartono@example.co.id", "a contact made from the form")
        self.assertEqual(ticket.channel, "portal")
        self.assertIn("Sudah dicabut-pasang", ticket.description)
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["foto.png"])
        link = re.search(r'href="(/my/tickets/\d+\?access_token=[^"]+)"', response.text).group(1)
        page = self.url_open(link.replace("&amp;", "&"))
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.code, page.text)
        self.assertNotIn(ticket.code, self.url_open(f"/my/tickets/{ticket.id}").text, "not without the token")

    def test_known_contact_is_matched_by_e_mail_or_phone(self):
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.submit(email="Siti.Rahmawati@majubersama.example.co.id")
        self.assertEqual(self.tickets().partner_id, siti)
        self.tickets().unlink()
        self.submit(email="", phone="+62 812-1111-2222")
        self.assertEqual(self.tickets().partner_id, siti, "the same number, written another way")

    def test_bad_input_is_explained_and_creates_nothing(self):
        partners = self.env["res.partner"].search_count([])
        for values, message in [
            ({"email": "rudi@@example"}, "is not a valid e-mail address"),
            ({"email": "", "phone": ""}, "Give an e-mail address or a phone number"),
            ({"email": "", "phone": "TELKOMSEL"}, "is not a valid phone number"),
            ({"name": ""}, "Give your request a subject"),
            ({"description": "x" * 5001}, "The description is too long"),
            ({"website_url": "http://spam.example"}, "could not be sent"),
        ]:
            response = self.submit(**values)
            self.assertEqual(response.status_code, 400, message)
            self.assertIn(message, response.text)
        self.assertFalse(self.tickets())
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_too_large_attachments_are_refused(self):
        self.company.helpdesk_portal_max_upload_mb = 1
        big = b"x" * (1024 * 1024 + 1)
        response = self.submit(files=[("attachments", ("scan.pdf", big, "application/pdf"))])
        self.assertEqual(response.status_code, 400)
        self.assertIn("is larger than 1 MB", response.text)
        files = [("attachments", (f"f{i}.txt", b"isi", "text/plain")) for i in range(6)]
        response = self.submit(files=files, email="lain@example.co.id")
        self.assertIn("Attach at most 5 files", response.text)
        self.assertFalse(self.tickets())

    def test_one_address_is_limited(self):
        for _i in range(3):
            self.assertEqual(self.submit().status_code, 200)
        response = self.submit()
        self.assertEqual(response.status_code, 429)
        self.assertIn("too many requests", response.text)
        self.assertEqual(len(self.tickets()), 3)
        # Another sender from the same office goes on, until the office's address is over its limit.
        for index in range(6):
            self.submit(email=f"staf{index}@example.co.id")
        self.assertEqual(self.submit(email="staf9@example.co.id").status_code, 429, "10 per IP address")
