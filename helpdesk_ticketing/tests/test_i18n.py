"""Bahasa Indonesia: the shipped id.po is complete and the portal renders in id_ID."""

import os

import polib

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestIndonesian(HelpdeskCase, HttpCase):
    def test_id_po_is_complete(self):
        pot = polib.pofile(file_path("helpdesk_ticketing/i18n/helpdesk_ticketing.pot"))
        po = polib.pofile(file_path("helpdesk_ticketing/i18n/id.po"))
        translated = {entry.msgid: entry.msgstr for entry in po if entry.msgstr}
        missing = [entry.msgid for entry in pot if entry.msgid not in translated]
        self.assertFalse(missing, f"untranslated in id.po: {missing[:10]}")
        for msgid, msgstr in translated.items():
            for placeholder in ("%(code)s", "%(count)s", "%(name)s", "%s"):
                self.assertEqual(msgid.count(placeholder), msgstr.count(placeholder), (msgid, msgstr))
        self.assertTrue(os.path.getsize(file_path("helpdesk_ticketing/i18n/id.po")) > 0)

    def test_portal_renders_in_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        self.portal_user.lang = "id_ID"
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open("/my/tickets").text
        self.assertIn("Tiket Baru", page)
        self.assertIn("Menunggu Persetujuan", page)
        page = self.url_open("/my/tickets/new").text
        self.assertIn("Kirim Tiket", page)
        self.assertIn("Satu pengunjung per baris", page)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = self.url_open("/my/tickets/new", data={"csrf_token": token, "name": " "})
        self.assertIn("Beri judul permintaan Anda", response.text)
