import threading

import psycopg2.errors

from odoo import api
from odoo.tests import tagged

from .common import CommittedCase, create_portal_user


@tagged("post_install", "-at_install")
class TestPortalRatingConcurrency(CommittedCase):
    """The same rating submitted twice at once (a double click, a replay) on two real connections."""

    def setUp(self):
        super().setUp()
        with self.committed_env(tracking_disable=True) as env:
            customer = env["res.partner"].create({"name": "PT Dua Klik"})
            self.remember(customer)
            self.portal = self.remember(create_portal_user(env, "t_rating_twice", customer))[0]
            ticket = env["helpdesk.ticket"].create({"name": "Dinilai dua kali", "partner_id": customer.id})
            ticket.write({"solution": "<p>Selesai</p>", "stage_id": env.ref("helpdesk_ticketing.stage_solved").id})
            self.ticket = self.remember(ticket)[0]
        self.addCleanup(self._delete_ratings)

    def _delete_ratings(self):
        with self.committed_env() as env:
            env["rating.rating"].search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket)]).unlink()

    def test_second_submission_waits_and_does_not_rate_again(self):
        first_rated = threading.Event()
        outcome = {}

        def rate(index, score, wait_for_other):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.portal, {})
                    if wait_for_other:
                        first_rated.wait(10)
                    partner = env.user.partner_id
                    # As the portal controller does after its access check.
                    env["helpdesk.ticket"].sudo().browse(self.ticket)._portal_rate(score, "", partner)
                    if not wait_for_other:
                        first_rated.set()
                        second.join(2)  # the second submission is now waiting for this row
                outcome[index] = "rated"
            except psycopg2.errors.SerializationFailure:
                outcome[index] = "replayed"  # Odoo's HTTP layer replays it: see below

        second = threading.Thread(target=rate, args=(1, 1, True))
        second.start()
        rate(0, 5, False)
        second.join(10)
        self.assertEqual(outcome, {0: "rated", 1: "replayed"})
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.portal, {})
            ticket = env["helpdesk.ticket"].sudo().browse(self.ticket)
            with self.assertRaisesRegex(Exception, "already rated"):
                ticket._portal_rate(1, "", env.user.partner_id)  # the replay finds the first rating
            ratings = env["rating.rating"].sudo().search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket), ("consumed", "=", True)])
            self.assertEqual(ratings.mapped("rating"), [5.0])
