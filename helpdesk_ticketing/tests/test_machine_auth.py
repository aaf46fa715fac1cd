from types import SimpleNamespace

from odoo.addons.helpdesk_ticketing.tools.machine_auth import bearer_token, record_for_token
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMachineAuth(TransactionCase):
    """The token check shared by the SMS, VoIP and LTSP machine endpoints."""

    def test_bearer_header(self):
        def request(header):
            return SimpleNamespace(headers={"Authorization": header} if header is not None else {})

        self.assertEqual(bearer_token(request("Bearer abc123 ")), "abc123")
        self.assertEqual(bearer_token(request("bearer abc123")), "abc123")
        self.assertEqual(bearer_token(request("Basic YWxhZGRpbg==")), "")
        self.assertEqual(bearer_token(request(None)), "")

    def test_same_answer_for_unknown_record_wrong_token_and_archived_record(self):
        # Any record with a token-like field and "active" will do: a contact's reference here.
        Partner = self.env["res.partner"]
        partner = Partner.create({"name": "Mesin", "ref": "s3cret-token"})
        self.assertEqual(record_for_token(Partner, partner.id, "s3cret-token", "ref"), partner)
        self.assertTrue(record_for_token(Partner, partner.id, "s3cret-token", "ref").env.su)
        for record_id, token in ((partner.id, "wrong"), (partner.id, ""), (10**9, "s3cret-token")):
            self.assertFalse(record_for_token(Partner, record_id, token, "ref"))
        partner.ref = False
        self.assertFalse(record_for_token(Partner, partner.id, "", "ref"), "no token set: nobody gets in")
        partner.write({"ref": "s3cret-token", "active": False})
        self.assertFalse(record_for_token(Partner, partner.id, "s3cret-token", "ref"))
