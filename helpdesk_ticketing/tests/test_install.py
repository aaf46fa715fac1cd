from odoo.tests import TransactionCase, tagged


@tagged("at_install")
class TestInstall(TransactionCase):
    """Runs while the module installs: the shipped data is consistent."""

    def test_default_stages_and_sequence(self):
        kinds = self.env["helpdesk.stage"].search([("team_ids", "=", False)]).mapped("kind")
        for kind in ("new", "in_progress", "waiting", "solved", "cancelled"):
            self.assertIn(kind, kinds)
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "helpdesk.ticket"), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(len(sequence), 1)
        self.assertEqual(sequence.prefix, "HD/%(year)s/")

    def test_new_company_gets_its_own_sequence(self):
        company = self.env["res.company"].create({"name": "PT Cabang Baru"})
        sequence = self.env["ir.sequence"].search([("code", "=", "helpdesk.ticket"), ("company_id", "=", company.id)])
        self.assertEqual(len(sequence), 1)
