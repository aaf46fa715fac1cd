"""Customer portal: list, page, new ticket, reply, reopen, rating, work permit, sign-up, and isolation.

Each isolation path a portal user could try is exercised: pages, /my routes, JSON-RPC call_kw,
chatter routes, attachment ids and access tokens.
"""

import contextlib
import re
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, JsonRpcException, freeze_time, tagged

from .common import HelpdeskCase, WebClientCalls, create_portal_user


class PortalCase(WebClientCalls, HelpdeskCase, HttpCase):
    """The service desk's customer (a contact and a colleague with portal access) and another customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.agent, cls.team = cls.agent_a, cls.team_sd
        cls.company_a, cls.contact_a, cls.portal_a = cls.customer, cls.contact, cls.portal_user
        cls.company_b, cls.contact_b, cls.portal_b = cls.other_customer, cls.other_contact, cls.other_portal_user
        cls.colleague_a = env["res.partner"].create(
            {"name": "Maya Sari", "parent_id": cls.company_a.id, "email": "maya@sentosa.example.co.id"}
        )
        cls.portal_a2 = create_portal_user(env, "t_portal_maya", cls.colleague_a)
        cls.site_a = env["helpdesk.site"].create({"name": "Gudang Sinar Cikarang", "partner_id": cls.company_a.id})
        cls.site_b = env["helpdesk.site"].create({"name": "Toko Cahaya Malang", "partner_id": cls.company_b.id})
        cls.site_dc = env["helpdesk.site"].create({"name": "DC Portal Jakarta", "supervisor_id": cls.leader.id})
        cls.category = env["helpdesk.category"].create({"name": "Perangkat Portal", "team_id": cls.team.id})
        cls.category_visit = env["helpdesk.category"].create(
            {"name": "Kunjungan DC Portal", "team_id": cls.team.id, "requires_visit": True}
        )
        cls.rule_visit = env["helpdesk.approval.rule"].create(
            {
                "name": "Izin kerja DC portal",
                "kind": "validation",
                "approver": "site_supervisor",
                "category_ids": [(6, 0, cls.category_visit.ids)],
            }
        )
        Ticket = env["helpdesk.ticket"]
        cls.ticket_a = Ticket.create(
            {
                "name": "Printer gudang macet",
                "partner_id": cls.contact_a.id,
                "solution": "<p>Rol kertas printer dibersihkan.</p>",
                "category_id": cls.category.id,
                "user_id": cls.agent.id,
            }
        )
        cls.ticket_a2 = Ticket.create(
            {"name": "Email Maya tidak sinkron", "partner_id": cls.colleague_a.id, "category_id": cls.category.id,
             "solution": "<p>Profil e-mail dibuat ulang.</p>"}
        )
        cls.ticket_b = Ticket.create(
            {"name": "Kasir toko Malang mati", "partner_id": cls.contact_b.id, "category_id": cls.category.id,
             "solution": "<p>Catu daya kasir diganti.</p>"}
        )
        cls.attachment_a = env["ir.attachment"].create(
            {"name": "foto-a.png", "raw": b"a-bytes", "res_model": "helpdesk.ticket", "res_id": cls.ticket_a.id}
        )
        cls.attachment_b = env["ir.attachment"].create(
            {
                "name": "rahasia-b.txt",
                "raw": b"data rahasia CV Cahaya",
                "res_model": "helpdesk.ticket",
                "res_id": cls.ticket_b.id,
            }
        )
        cls.ticket_b.message_post(
            body="Nomor seri kasir B: SN-RAHASIA-42",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=cls.attachment_b.ids,
        )

    def post_form(self, url, data, files=None):
        data = dict(data, csrf_token=self.csrf_token())
        return self.url_open(url, data=data, files=files)

    def csrf_token(self):
        return (
            self.opener.get(self.base_url() + "/my/tickets/new")
            .text.split('name="csrf_token" value="')[1]
            .split('"')[0]
        )


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCase):
    def test_home_counter_counts_company_tickets(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["ticket_count"]})
        self.assertEqual(result["ticket_count"], 2, "their own and their colleague's, not the other customer's")
        self.assertIn("/my/tickets", self.url_open("/my").text)

    def test_list_search_filters_grouping(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = self.url_open("/my/tickets").text
        self.assertIn(self.ticket_a.code, page)
        self.assertIn(self.ticket_a2.code, page)
        self.assertNotIn(self.ticket_b.code, page)
        page = self.url_open("/my/tickets", params={"search": "printer", "search_in": "name"}).text
        self.assertIn(self.ticket_a.code, page)
        self.assertNotIn(self.ticket_a2.code, page)
        self.ticket_a2.stage_id = self.stage_solved
        page = self.url_open("/my/tickets", params={"filterby": "closed"}).text
        self.assertIn(self.ticket_a2.code, page)
        self.assertNotIn(self.ticket_a.code, page)
        page = self.url_open("/my/tickets", params={"filterby": "open", "groupby": "stage_id", "sortby": "code"}).text
        self.assertIn(self.ticket_a.code, page)
        self.assertNotIn(self.ticket_a2.code, page)
        self.assertIn(self.stage_new.name, page)
        page = self.url_open("/my/tickets", params={"filterby": "approval"}).text
        self.assertNotIn(self.ticket_a.code, page)
        # Asking for the other company's code finds nothing.
        page = self.url_open("/my/tickets", params={"search": self.ticket_b.code, "search_in": "code"}).text
        self.assertNotIn("o_helpdesk_portal_ticket_row", page)
        self.assertNotIn(self.ticket_b.name, page)

    def test_list_columns_stay_aligned_and_rows_are_cards_on_phones(self):
        """A ticket without category, assignee, deadline or approval keeps one cell per column (its status
        under "Status"); the page renders each ticket once, a row that phones show as a card."""
        bare = self.env["helpdesk.ticket"].create({
            "name": "Tanpa kategori", "partner_id": self.contact_a.id, "team_id": self.team.id,
        })
        self.assertFalse(bare.category_id or bare.user_id)
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for groupby in ("none", "stage_id", "category_id"):
            with self.subTest(groupby=groupby):
                page = html.fromstring(self.url_open("/my/tickets", params={"groupby": groupby}).text)
                table = page.xpath("//table[hasclass('o_portal_my_doc_table')]")[0]
                headers = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
                self.assertEqual(headers[-1], "Status")
                self.assertEqual("Category" in headers, groupby != "category_id")
                for group_row in table.xpath(".//tr[hasclass('table-light')]"):
                    self.assertEqual(group_row.xpath("./th/@colspan"), [str(len(headers))])
                rows = {}
                for row in table.xpath(".//tr[hasclass('o_helpdesk_portal_ticket_row')]"):
                    texts = [cell.text_content().strip() for cell in row.xpath("./td")]
                    self.assertEqual(len(texts), len(headers), texts)
                    rows[texts[0]] = dict(zip(headers, texts, strict=True))
                self.assertEqual(set(rows), {bare.code, self.ticket_a.code, self.ticket_a2.code})
                cells = rows[bare.code]
                self.assertEqual(cells["Subject"], "Tanpa kategori")
                self.assertEqual(cells["Assigned To"], "")
                self.assertEqual(cells["Approval"], "")
                self.assertEqual(cells["Status"], self.stage_new.name)
                self.assertEqual(rows[self.ticket_a.code]["Assigned To"], self.agent.name)
                if groupby != "category_id":
                    self.assertEqual(cells["Category"], "")
                    self.assertEqual(rows[self.ticket_a.code]["Category"], self.category.name)
                # One table for every screen: phones hide its headers and show each row as a card (the
                # phone tour checks how it looks); icons name what the cells hold, empty cells are empty.
                bare_cells = table.xpath(f".//tr[.//a[@href='/my/tickets/{bare.id}']]/td")
                details = [cell for cell in bare_cells if "o_helpdesk_ticket_detail" in cell.get("class")]
                self.assertEqual(len(details), len(headers) - 3)
                self.assertTrue(all(len(cell) == 0 and not cell.text for cell in details))
                a_cells = table.xpath(f".//tr[.//a[@href='/my/tickets/{self.ticket_a.id}']]/td")
                self.assertIn("Assigned To", a_cells[headers.index("Assigned To")].xpath("./i/@title"))
                self.assertEqual(len(page.xpath("//tr[hasclass('o_helpdesk_portal_ticket_row')]")), 3)

    def test_ticket_page_shows_status_assignee_and_conversation(self):
        self.ticket_a.message_post(
            body="Teknisi sudah mengecek printer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.agent.partner_id.id,
        )
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.code, response.text)
        self.assertIn(self.stage_new.name, response.text)
        self.assertIn(self.agent.name, response.text)
        self.assertIn("o_portal_chatter", response.text)
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "helpdesk.ticket", "thread_id": self.ticket_a.id, "fetch_params": {"limit": 10}},
        )
        bodies = " ".join(str(m.get("body")) for m in messages["data"]["mail.message"])
        self.assertIn("Teknisi sudah mengecek printer", bodies)

    def test_chatter_speaks_the_customers_language(self):
        """The ticket's conversation is Odoo's mail chatter: the portal loads mail's translations too
        ("The conversation is empty." reads "Percakapan kosong.")."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.contact_a.lang = "id_ID"
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        url = re.search(r'"translationURL": "([^"]+)"', page).group(1)
        translations = self.url_open(url, params={"lang": "id_ID"}).json()
        mail = {message["id"]: message["string"] for message in translations["modules"]["mail"]["messages"]}
        self.assertEqual(mail["The conversation is empty."], "Percakapan kosong.")

    def test_customer_reply_moves_waiting_ticket_back_to_work(self):
        self.ticket_a.stage_id = self.stage_waiting
        self.authenticate(self.portal_a2.login, self.portal_a2.login)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": self.ticket_a.id,
                "post_data": {
                    "body": "Sudah saya restart, masih macet.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.ticket_a.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn("masih macet", str(message.body))
        self.assertEqual(message.author_id, self.colleague_a)
        self.assertEqual(self.ticket_a.stage_id, self.stage_progress)


@tagged("post_install", "-at_install")
class TestPortalIsolation(PortalCase):
    def test_page_of_other_company_redirects(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for url in (f"/my/tickets/{self.ticket_b.id}", "/my/tickets/999999999"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)

    def test_access_token_of_own_ticket_does_not_open_another(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        token = self.ticket_a._portal_ensure_token()
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        # Anonymous visitors with a wrong token see nothing either.
        self.authenticate(None, None)
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)

    def test_actions_on_other_company_ticket_are_refused(self):
        self.ticket_b.stage_id = self.stage_solved
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for url, data in (
            (f"/my/tickets/{self.ticket_b.id}/reopen", {"reason": "coba"}),
            (f"/my/tickets/{self.ticket_b.id}/rate", {"rating": "1", "feedback": "jelek"}),
        ):
            response = self.post_form(url, data)
            self.assertTrue(response.url.endswith("/my"), url)
        self.assertEqual(self.ticket_b.stage_id, self.stage_solved)
        self.assertFalse(self.ticket_b.rating_ids.filtered("consumed"))

    def test_call_kw_isolation(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        found = self.call_kw("helpdesk.ticket", "search_read", [[]], {"fields": ["code"]})
        self.assertEqual({r["id"] for r in found}, {self.ticket_a.id, self.ticket_a2.id})
        with self.assertRaises(JsonRpcException, msg="read of another company's ticket"):
            self.call_kw("helpdesk.ticket", "read", [[self.ticket_b.id], ["name"]])
        with self.assertRaises(JsonRpcException, msg="portal users cannot write tickets"):
            self.call_kw("helpdesk.ticket", "write", [[self.ticket_a.id], {"name": "diubah"}])
        with self.assertRaises(JsonRpcException, msg="portal users cannot post through message_post"):
            self.call_kw("helpdesk.ticket", "message_post", [[self.ticket_b.id]], {"body": "halo"})
        with self.assertRaises(JsonRpcException):
            self.call_kw("ir.attachment", "read", [[self.attachment_b.id], ["name", "datas"]])
        messages = self.call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket_b.id)]],
            {"fields": ["body"]},
        )
        self.assertFalse(messages)
        approvals = self.call_kw("helpdesk.approval", "search_read", [[]], {"fields": ["ticket_id"]})
        self.assertFalse([a for a in approvals if a["ticket_id"][0] == self.ticket_b.id])
        self.assertEqual(self.ticket_a.name, "Printer gudang macet")

    def test_chatter_routes_isolation(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for route in ("/mail/thread/messages",):
            try:
                result = self.make_jsonrpc_request(
                    route, {"thread_model": "helpdesk.ticket", "thread_id": self.ticket_b.id}
                )
            except JsonRpcException:
                continue
            self.assertNotIn("SN-RAHASIA-42", str(result), route)
            self.assertNotIn("rahasia-b.txt", str(result), route)
        count = len(self.ticket_b.message_ids)
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.ticket_b.id,
                    "post_data": {"body": "menyusup", "message_type": "comment"},
                },
            )
        self.assertEqual(len(self.ticket_b.message_ids), count)
        self.assertNotIn("menyusup", str(self.ticket_b.message_ids.mapped("body")))

    def test_attachment_ids_and_tokens(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        token_a = self.attachment_a.generate_access_token()[0]
        own = self.url_open(f"/web/content/{self.attachment_a.id}?access_token={token_a}")
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.content, b"a-bytes")
        for url in (
            f"/web/content/{self.attachment_b.id}",
            f"/web/content/{self.attachment_b.id}?access_token={token_a}",
            f"/web/content/{self.attachment_b.id}?access_token=tebakan",
        ):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(b"rahasia CV Cahaya", response.content, url)
        # /web/image answers a placeholder picture, never the file.
        self.assertNotIn(b"rahasia CV Cahaya", self.url_open(f"/web/image/{self.attachment_b.id}").content)

    def test_work_permit_of_other_company(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}/work_permit/1", allow_redirects=False)
        self.assertEqual(response.status_code, 303)


@tagged("post_install", "-at_install")
class TestPortalNewTicket(PortalCase):
    def test_create_ticket_with_attachment(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.post_form(
            "/my/tickets/new",
            {
                "name": "Scanner tidak terdeteksi",
                "description": "Sejak update Windows\nscanner hilang",
                "category_id": str(self.category.id),
                "site_id": str(self.site_a.id),
            },
            files={"attachments": ("scanner.png", b"\x89PNG fake", "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Scanner tidak terdeteksi")])
        self.assertEqual(len(ticket), 1)
        self.assertIn(f"/my/tickets/{ticket.id}", response.url)
        self.assertEqual(ticket.partner_id, self.contact_a)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.site_id, self.site_a)
        self.assertEqual(ticket.team_id, self.team)
        self.assertIn("scanner hilang", ticket.description)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "scanner.png")
        self.assertEqual(attachment.raw, b"\x89PNG fake")
        self.assertIn(attachment, ticket.message_ids.attachment_ids)
        self.assertIn(self.contact_a, ticket.message_partner_ids)

    def test_categories_in_the_customers_language(self):
        """The form and the ticket page name categories (with their parents) in the language the customer
        reads the portal in: their own, or the one chosen with the portal's language selector."""
        self.env["res.lang"]._activate_lang("id_ID")
        parent = self.env["helpdesk.category"].create({"name": "Hardware Portal", "team_id": self.team.id})
        child = self.env["helpdesk.category"].create({"name": "Printer Portal", "parent_id": parent.id})
        parent.update_field_translations("name", {"id_ID": "Perangkat Keras Portal"})
        child.update_field_translations("name", {"id_ID": "Pencetak Portal"})
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Pencetak macet", "partner_id": self.contact_a.id, "category_id": child.id}
        )
        self.contact_a.lang = "id_ID"
        self.authenticate(self.portal_a.login, self.portal_a.login)

        def category_options(url):
            page = html.fromstring(self.url_open(url).text)
            options = page.xpath("//select[@name='category_id']/option")
            return page, {option.get("value"): option.text_content().strip() for option in options}

        page, options = category_options("/my/tickets/new")
        self.assertEqual(options[str(parent.id)], "Perangkat Keras Portal")
        self.assertEqual(options[str(child.id)], "Perangkat Keras Portal / Pencetak Portal")
        self.assertIn("Perangkat Keras Portal / Pencetak Portal", self.url_open(f"/my/tickets/{ticket.id}").text)
        # Odoo's portal language selector (shown when several languages are active) switches to English.
        english = page.xpath("//div[hasclass('js_language_selector')]//a[@data-url_code='en']/@href")
        self.assertEqual(len(english), 1)
        page, options = category_options(english[0])
        self.assertEqual(options[str(child.id)], "Hardware Portal / Printer Portal")
        submit = page.xpath("//button[hasclass('o_helpdesk_submit_ticket')]")[0]
        self.assertEqual(submit.text_content(), "Submit Ticket")
        self.assertIn("Hardware Portal / Printer Portal", self.url_open(f"/en/my/tickets/{ticket.id}").text)

    def test_customer_chooses_their_language_in_my_account(self):
        """/my/account offers the active languages; the choice is the customer's language for the portal
        and for e-mails. A language that is not offered is refused with a message."""
        self.env["res.lang"]._activate_lang("id_ID")
        indonesia = self.env.ref("base.id")
        self.contact_a.write({
            "street": "Jl. Industri 5", "city": "Cikarang", "zip": "17530", "phone": "+62 21 8990 1234",
            "country_id": indonesia.id, "state_id": indonesia.state_ids[:1].id,
        })
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = html.fromstring(self.url_open("/my/account").text)
        form = page.xpath("//form[@name='address_form']")[0]
        options = form.xpath(".//select[@name='lang']/option")
        self.assertEqual({option.get("value"): option.get("selected") is not None for option in options},
                         {"en_US": True, "id_ID": False})
        data = {field.get("name"): field.get("value") or "" for field in form.xpath(".//input[@name]")}
        data.update(country_id=str(indonesia.id), state_id=str(indonesia.state_ids[:1].id))
        response = self.url_open(form.get("action"), data=dict(data, lang="xx_XX"))
        self.assertIn("Choose one of the proposed languages.", response.json()["messages"])
        self.assertIn("lang", response.json()["invalid_fields"])
        self.assertEqual(self.portal_a.lang, "en_US")
        response = self.url_open(form.get("action"), data=dict(data, lang="id_ID"))
        self.assertEqual(response.json(), {"redirectUrl": "/my"})
        self.assertEqual((self.portal_a.lang, self.contact_a.lang), ("id_ID", "id_ID"))
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        self.assertIn("Tiket Baru", self.url_open("/my/tickets").text)

    def test_bad_input_is_explained_and_nothing_created(self):
        self.env.company.helpdesk_portal_max_upload_mb = 1
        self.authenticate(self.portal_a.login, self.portal_a.login)
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        cases = [
            ({"name": "  "}, None, "Give your request a subject"),
            ({"name": "File besar"}, ("besar.pdf", b"x" * (1024 * 1024 + 10), "application/pdf"), "larger than 1 MB"),
            (
                {"name": "File exe"},
                ("virus.exe", b"MZ", "application/octet-stream"),
                "files of type “exe” are not accepted",
            ),
            ({"name": "Situs lain", "site_id": str(self.site_b.id)}, None, "not one of your sites"),
            ({"name": "Kategori hilang", "category_id": "999999"}, None, "category does not exist"),
            (
                {"name": "Kunjungan", "category_id": str(self.category_visit.id), "site_id": str(self.site_dc.id)},
                None,
                "needs the visitors",
            ),
        ]
        for data, upload, message in cases:
            response = self.post_form("/my/tickets/new", data, files={"attachments": upload} if upload else None)
            self.assertEqual(response.status_code, 400, message)
            self.assertIn(message, response.text)
        self.assertEqual(Ticket.search_count([]), before)

    def test_visit_request_creates_work_permit_approval(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        day = fields.Date.today() + timedelta(days=3)
        self.post_form(
            "/my/tickets/new",
            {
                "name": "Ganti disk server rak 12",
                "category_id": str(self.category_visit.id),
                "site_id": str(self.site_dc.id),
                "visit_date_from": str(day),
                "visit_date_to": str(day + timedelta(days=1)),
                "visitor_names": "Rudi Hartono (KTP 3201xxxx0001)\nBayu Aji (KTP 3201xxxx0002)",
            },
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Ganti disk server rak 12")])
        self.assertEqual(ticket.approval_state, "pending")
        approval = ticket.approval_ids
        self.assertEqual(approval.approver_ids, self.leader)
        self.assertEqual((approval.visit_date_from, approval.visit_date_to), (day, day + timedelta(days=1)))
        self.assertIn("Bayu Aji", approval.visitor_names)
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("Bayu Aji", page)
        self.assertNotIn("o_helpdesk_work_permit_download", page)


@tagged("post_install", "-at_install")
class TestPortalAfterResolution(PortalCase):
    def test_reopen_within_delay(self):
        self.ticket_a.stage_id = self.stage_solved
        self.authenticate(self.portal_a.login, self.portal_a.login)
        self.assertIn("Reopen Ticket", self.url_open(f"/my/tickets/{self.ticket_a.id}").text)
        response = self.post_form(f"/my/tickets/{self.ticket_a.id}/reopen", {"reason": "Printer macet lagi"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.ticket_a.is_closed)
        self.assertEqual(self.ticket_a.stage_id, self.stage_progress)
        self.assertEqual(self.ticket_a.reopen_count, 1)
        comment = self.ticket_a.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn("Printer macet lagi", str(comment.body))
        self.assertEqual(comment.author_id, self.contact_a)

    def test_reopen_after_delay_or_without_reason_is_refused(self):
        self.ticket_a.stage_id = self.stage_solved
        self.ticket_a.date_closed = fields.Datetime.now() - timedelta(days=8)
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertNotIn("Reopen Ticket", page)
        response = self.post_form(f"/my/tickets/{self.ticket_a.id}/reopen", {"reason": "Masih rusak"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("can no longer be reopened", response.text)
        self.assertTrue(self.ticket_a.is_closed)
        self.env.company.helpdesk_reopen_days = 30
        response = self.post_form(f"/my/tickets/{self.ticket_a.id}/reopen", {"reason": " "})
        self.assertIn("Tell us why you reopen the ticket", response.text)
        self.assertTrue(self.ticket_a.is_closed)

    def test_rating_with_comment_is_seen_by_agents(self):
        self.ticket_a.stage_id = self.stage_solved
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.post_form(f"/my/tickets/{self.ticket_a.id}/rate", {"rating": "7"})
        self.assertEqual(response.status_code, 400)
        response = self.post_form(
            f"/my/tickets/{self.ticket_a.id}/rate", {"rating": "5", "feedback": "Teknisi cepat datang"}
        )
        self.assertIn("Teknisi cepat datang", response.text)
        ticket = self.ticket_a.with_user(self.agent)
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(ticket.rating_last_feedback, "Teknisi cepat datang")
        self.assertEqual(ticket.rating_ids.filtered("consumed").partner_id, self.contact_a)

    @freeze_time("2026-05-04 10:00:00")
    def test_one_rating_per_resolution(self):
        """A replayed rating POST (back button, double click, a colleague) changes nothing; after a reopen,
        the new resolution may be rated again."""
        self.ticket_a.stage_id = self.stage_solved
        self.authenticate(self.portal_a.login, self.portal_a.login)
        rate_url = f"/my/tickets/{self.ticket_a.id}/rate"
        self.post_form(rate_url, {"rating": "5", "feedback": "Teknisi cepat datang"})
        ratings = self.ticket_a.rating_ids.filtered("consumed")
        messages = self.ticket_a.message_ids
        self.assertEqual(len(ratings), 1)
        for login in (self.portal_a.login, self.portal_a2.login):
            self.authenticate(login, login)
            response = self.post_form(rate_url, {"rating": "1", "feedback": "Ganti jawaban"})
            self.assertEqual(response.status_code, 400, login)
            self.assertIn("already rated the resolution", response.text, login)
            self.assertNotIn("o_helpdesk_rating_form", response.text, login)
        self.assertEqual(self.ticket_a.rating_ids.filtered("consumed"), ratings)
        self.assertEqual((ratings.rating, ratings.feedback), (5, "Teknisi cepat datang"))
        self.assertEqual(self.ticket_a.with_user(self.agent).rating_last_value, 5)
        self.assertEqual(self.ticket_a.message_ids, messages, "no second rating message in the chatter")
        # Reopened and solved again: a new resolution, rated again.
        self.authenticate(self.portal_a.login, self.portal_a.login)
        self.post_form(f"/my/tickets/{self.ticket_a.id}/reopen", {"reason": "Printer macet lagi"})
        self.ticket_a.with_user(self.agent).stage_id = self.stage_solved
        self.assertIn("o_helpdesk_rating_form", self.url_open(f"/my/tickets/{self.ticket_a.id}").text)
        response = self.post_form(rate_url, {"rating": "3", "feedback": "Kedua kali baru beres"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Kedua kali baru beres", response.text)
        self.assertEqual(len(self.ticket_a.rating_ids.filtered("consumed")), 2)
        self.assertEqual((ratings.rating, ratings.feedback), (5, "Teknisi cepat datang"), "the first one is kept")
        self.assertEqual(self.ticket_a.with_user(self.agent).rating_last_value, 3)

    def test_rating_open_ticket_is_refused(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.post_form(f"/my/tickets/{self.ticket_a.id}/rate", {"rating": "5"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("once it is solved", response.text)

    def test_work_permit_download(self):
        self.ticket_a.category_id = self.category_visit
        self.ticket_a.site_id = self.site_dc
        self.ticket_a.stage_id = self.stage_new
        self.ticket_a._request_validations()
        approval = self.ticket_a.approval_ids
        approval.write({"visit_date_from": fields.Date.today(), "visitor_names": "Rudi Hartono"})
        self.authenticate(self.portal_a.login, self.portal_a.login)
        url = f"/my/tickets/{self.ticket_a.id}/work_permit/{approval.id}"
        self.assertEqual(self.url_open(url).status_code, 404, "pending: no letter yet")
        approval.with_user(self.leader).action_approve("Bawa KTP asli")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertIn("Bawa KTP asli", page)
        self.assertIn(url, page)
        response = self.url_open(url + "?download=1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # Rendered as HTML in test mode: the letter names the ticket and the visitor.
        self.assertIn(self.ticket_a.code.encode(), response.content)
        self.assertIn(b"Rudi Hartono", response.content)
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 303)


@tagged("post_install", "-at_install")
class TestPortalSignup(HttpCase):
    def test_self_registration_when_enabled(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        page = self.url_open("/web/signup")
        self.assertEqual(page.status_code, 200)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        self.url_open(
            "/web/signup",
            data={
                "csrf_token": token,
                "login": "hdp_baru@example.co.id",
                "name": "Pelanggan Baru",
                "password": "Rahasia-123",
                "confirm_password": "Rahasia-123",
            },
        )
        user = self.env["res.users"].search([("login", "=", "hdp_baru@example.co.id")])
        self.assertTrue(user)
        self.assertTrue(user._is_portal())
        self.authenticate("hdp_baru@example.co.id", "Rahasia-123")
        self.assertEqual(self.url_open("/my/tickets/new").status_code, 200)

    def test_no_registration_when_disabled(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2b")
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
