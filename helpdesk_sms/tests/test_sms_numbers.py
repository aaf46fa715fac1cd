import itertools

from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.tests import tagged

from ..tools.gammu_store import InboxRow
from .common import HelpdeskSmsCase


@tagged("post_install", "-at_install")
class TestSmsNumbers(HelpdeskSmsCase):
    """A sender is one contact however gammu writes the number, even a number phonenumbers cannot validate."""

    def setUp(self):
        super().setUp()
        self.inbox_ids = itertools.count(1)

    def _receive(self, sender, text):
        """What the importer does with one inbox row of gammu-smsd (as the system, like the cron)."""
        inbox_id = next(self.inbox_ids)
        row = InboxRow((inbox_id, sender, "Default_No_Compression", "", "", text, 0))
        self.env["helpdesk.sms.message"]._import_groups(self.gateway, [self.gateway._make_group([row])])
        return self.env["helpdesk.sms.message"].search(
            [("gateway_id", "=", self.gateway.id), ("gammu_id", "=", inbox_id)])

    def test_numbers_are_normalised_with_the_country(self):
        indonesia, usa = self.indonesia, self.env.ref("base.us")
        self.assertEqual(phone.normalize(self.env, "0812-3456-7890", indonesia), "+6281234567890")
        self.assertEqual(phone.normalize(self.env, "+62 812 3456 7890", usa), "+6281234567890")
        self.assertEqual(phone.normalize(self.env, "0999 1234 5678", indonesia), "+6299912345678",
                         "possible but not valid for phonenumbers: still one E.164 form")
        self.assertFalse(phone.normalize(self.env, "6281234567890", None), "no country to read it with")
        self.assertFalse(phone.normalize(self.env, "TELKOMSEL", indonesia))
        self.assertFalse(phone.normalize(self.env, "", indonesia))
        self.assertFalse(phone.normalize(self.env, "12", indonesia))

    def test_unvalidated_number_has_one_contact(self):
        first = self._receive("0999 1234 5678", "Internet kantor mati")
        second = self._receive("0999 1234 5678", "Masih mati sampai sekarang")
        other_format = self._receive("+62 999-1234-5678", "Tolong segera dicek")
        self.assertTrue(first.partner_id)
        self.assertEqual(second.partner_id, first.partner_id, "the second SMS comes from the same sender")
        self.assertEqual(other_format.partner_id, first.partner_id, "the same number written another way")
        self.assertEqual((first | second | other_format).mapped("number"), ["+6299912345678"] * 3)
        self.assertEqual(self.env["res.partner"].search_count([("phone_mobile_search", "=", "+6299912345678")]), 1)
        self.assertEqual((first | second | other_format).ticket_id.partner_id, first.partner_id)

    def test_contact_typed_in_national_form_is_found(self):
        """An agent typed the number as the customer says it; Odoo could not sanitize it."""
        joko = self.env["res.partner"].create({
            "name": "Pak Joko", "phone": "0999 1234 5678", "country_id": self.indonesia.id,
        })
        self.assertFalse(joko.phone_sanitized)
        sms = self._receive("+6299912345678", "Komputer tidak bisa menyala")
        self.assertEqual(sms.partner_id, joko)
        self.assertEqual(sms.ticket_id.partner_id, joko)
