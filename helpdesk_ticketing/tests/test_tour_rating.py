"""The rating link of a solved ticket, opened on a phone without logging in (headless Chromium)."""
from odoo.tests import Form, HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRatingTourOnPhone(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_customer_rates_from_the_link_without_login(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.env["res.lang"]._activate_lang("en_US")
        siti.lang = "en_US"
        with Form(self.env["helpdesk.ticket"].with_user(agent)) as form:
            form.name = "Printer lantai 3 macet"
            form.partner_id = siti
            form.channel = "email"
            form.team_id = self.env.ref("helpdesk_ticketing.team_service_desk")
            form.user_id = agent
        ticket = form.record.with_env(self.env)
        with Form(ticket.with_user(agent)) as form:
            form.solution = "<p>Roller printer dibersihkan.</p>"
            form.stage_id = self.env.ref("helpdesk_ticketing.stage_solved")
        self.env["helpdesk.ticket"]._cron_send_rating_requests()
        token = ticket.rating_ids.filtered(lambda r: not r.consumed).access_token
        self.assertIn(f"/rate/{token}/5", ticket.message_ids[0].body, "the link of the e-mail")
        self.start_tour(f"/rate/{token}/5", "helpdesk_rating_link_without_login")
        self.env.invalidate_all()
        self.assertEqual(ticket.portal_rating_id.rating, 3)
        self.assertEqual(ticket.portal_rating_id.feedback, "Teknisi ramah, tapi datangnya terlambat")
        self.assertEqual(len(ticket.rating_ids.filtered("consumed")), 1)


@tagged("post_install", "-at_install")
class TestCannedReplyTour(HttpCase):
    def test_agent_answers_with_a_canned_reply(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.env["res.lang"]._activate_lang("en_US")
        (siti | agent.partner_id).lang = "en_US"
        reply = self.env.ref("helpdesk_ticketing.canned_response_restart_router_en")
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Internet lantai 2 putus", "partner_id": siti.id, "channel": "phone",
            "team_id": self.env.ref("helpdesk_ticketing.team_service_desk").id, "user_id": agent.id,
        })
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_backend_canned_reply", login="agent")
        self.env.invalidate_all()
        self.assertEqual(reply.use_count, 1)
        self.assertIn(f"about ticket {ticket.code}", ticket.message_ids[0].body)
