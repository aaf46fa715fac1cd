"""Knowledge base: articles from solved tickets, review by a leader, full-text search, help centre,
suggestions on the portal's new-ticket form and on the ticket form, usage reports."""

from lxml import html

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.helpdesk_kb_article import _frequent_cache
from .common import WebClientCalls


class KnowledgeBaseDemoCase(TransactionCase):
    """The demo people and articles, and a second company with its own articles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")
        cls.customer = ref("helpdesk_ticketing.user_portal_siti")
        cls.public = ref("base.public_user")
        cls.company = ref("base.main_company")
        cls.printer_article = ref("helpdesk_ticketing.kb_article_printer_paper_jam")
        cls.vpn_article = ref("helpdesk_ticketing.kb_article_vpn_drops")
        cls.internal_article = ref("helpdesk_ticketing.kb_article_vpn_concentrator")
        cls.draft_article = ref("helpdesk_ticketing.kb_article_pos_receipt")
        cls.other_company = cls.env["res.company"].create({"name": "PT Cabang Surabaya"})
        Article = cls.env["helpdesk.kb.article"]
        cls.other_public = Article.create({
            "name": "Printer kantor Surabaya tidak mencetak",
            "body": "<p>Printer di Surabaya perlu dinyalakan ulang.</p>",
            "company_id": cls.other_company.id, "visibility": "public", "lang": "id_ID",
        })
        cls.other_internal = Article.create({
            "name": "Printer Surabaya: sandi panel admin", "body": "<p>Panel admin printer Surabaya.</p>",
            "company_id": cls.other_company.id, "visibility": "internal", "lang": "id_ID",
        })
        (cls.other_public | cls.other_internal).action_publish()


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestKnowledgeBaseDemoRoles(KnowledgeBaseDemoCase):
    def solve_printer_ticket_as_agent(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_printer")
        ticket.user_id = self.agent
        with Form(ticket.with_user(self.agent)) as form:
            form.solution = "<p>Sensor kertas dibersihkan dan rol diganti.</p>"
            form.root_cause = "Sobekan kertas di jalur rol"
            form.stage_id = self.env.ref("helpdesk_ticketing.stage_solved")
        return ticket

    def test_agent_drafts_from_a_solved_ticket_leader_publishes(self):
        ticket = self.solve_printer_ticket_as_agent()
        action = ticket.with_user(self.agent).action_create_kb_article()
        article = self.env["helpdesk.kb.article"].browse(action["res_id"])
        self.assertEqual((article.state, article.author_id, article.ticket_id), ("draft", self.agent, ticket))
        self.assertEqual(article.name, ticket.name)
        self.assertEqual(article.category_id, ticket.category_id)
        self.assertEqual(article.lang, ticket.partner_id.lang)
        self.assertIn("Sensor kertas dibersihkan", article.body)
        self.assertIn("Sobekan kertas di jalur rol", article.body)
        self.assertIn("paper jam", article.body, "the problem comes from the ticket's description")
        again = ticket.with_user(self.agent).action_create_kb_article()
        self.assertEqual(again["res_id"], article.id, "a second click opens the same draft")
        self.assertEqual(ticket.kb_source_article_ids, article)
        # The agent edits the draft, as the form does.
        with Form(article.with_user(self.agent)) as form:
            form.visibility = "public"
            form.name = "Printer lantai 3: pesan paper jam palsu"
        # Agents do not publish.
        with self.assertRaisesRegex(UserError, "Only a team leader or a manager can publish"):
            article.with_user(self.agent).action_publish()
        with self.assertRaisesRegex(UserError, "Only a team leader or a manager can publish"):
            article.with_user(self.agent).write({"state": "published"})
        self.assertEqual(article.state, "draft")
        # Customers do not see drafts.
        self.assertFalse(self.env["helpdesk.kb.article"].with_user(self.customer).search([("id", "=", article.id)]))
        article.with_user(self.leader).action_publish()
        self.assertEqual((article.state, article.published_by_id), ("published", self.leader))
        self.assertEqual(str(article.published_date), "2026-11-24 03:00:00")
        found = self.env["helpdesk.kb.article"].with_user(self.customer)._search_articles("paper jam palsu")
        self.assertEqual(found[0]["id"], article.id)
        # A published article is the leader's to change: the agent's rules let them edit drafts only.
        with self.assertRaises(AccessError):
            article.with_user(self.agent).write({"name": "Judul lain"})

    def test_write_article_needs_a_solved_ticket(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_vpn")
        with self.assertRaisesRegex(UserError, "is not solved yet"):
            ticket.with_user(self.leader).action_create_kb_article()
        self.assertFalse(ticket.kb_source_article_ids)

    def test_agent_cannot_create_a_published_article(self):
        with self.assertRaisesRegex(UserError, "Only a team leader or a manager can publish"):
            self.env["helpdesk.kb.article"].with_user(self.agent).create(
                {"name": "Langsung terbit", "body": "<p>x</p>", "state": "published"})

    def test_empty_article_cannot_be_published(self):
        article = self.env["helpdesk.kb.article"].with_user(self.agent).create(
            {"name": "Kosong", "body": "<p><br></p>"})
        with self.assertRaisesRegex(UserError, "has no content"):
            article.with_user(self.leader).action_publish()
        self.assertEqual(article.state, "draft")

    def test_who_reads_what(self):
        Article = self.env["helpdesk.kb.article"]
        demo = self.printer_article | self.vpn_article | self.internal_article | self.draft_article
        others = self.other_public | self.other_internal
        every = demo | others
        for user, expected in [
            (self.agent, demo),
            (self.leader, demo),
            (self.customer, self.printer_article | self.vpn_article),
            (self.public, self.printer_article | self.vpn_article | self.other_public),
        ]:
            with self.subTest(user=user.login):
                self.assertEqual(Article.with_user(user).search([("id", "in", every.ids)]), expected)
        # Customers' search shows the published public articles of their company only.
        found = {r["id"] for r in Article.with_user(self.customer)._search_articles("printer")}
        self.assertIn(self.printer_article.id, found)
        self.assertFalse(found & set(others.ids))
        found = {r["id"] for r in Article.with_user(self.customer)._search_articles("VPN")}
        self.assertEqual(found, {self.vpn_article.id}, "the internal VPN article is for technicians only")
        found = {r["id"] for r in Article.with_user(self.agent)._search_articles("VPN")}
        self.assertEqual(found, {self.vpn_article.id, self.internal_article.id})

    def test_ticket_form_suggests_articles(self):
        form = Form(self.env.ref("helpdesk_ticketing.ticket_vpn").with_user(self.leader))
        suggested = form.kb_suggested_article_ids
        self.assertEqual(set(suggested[:2].ids), {self.vpn_article.id, self.internal_article.id},
                         "the articles of the ticket's category and words come first, internal ones included")
        self.assertNotIn(self.draft_article.id, suggested.ids, "drafts are not reviewed yet")
        self.assertFalse(set(suggested.ids) & {self.other_public.id, self.other_internal.id})

    def test_agent_inserts_an_article_into_a_reply(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_printer")
        ticket.user_id = self.agent
        self.assertIn(self.printer_article, Form(ticket.with_user(self.agent)).kb_suggested_article_ids)
        action = self.printer_article.with_user(self.agent).with_context(
            kb_ticket_id=ticket.id).action_insert_into_ticket()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertIn("bersihkan rol dan sensor", action["context"]["default_body"])
        self.assertIn(f"/helpdesk/help/article/{self.printer_article.id}", action["context"]["default_body"])
        # The agent sends it from the composer.
        composer = Form(self.env["mail.compose.message"].with_user(self.agent).with_context(**action["context"]))
        composer.save().action_send_mail()
        self.assertIn(f"/helpdesk/help/article/{self.printer_article.id}", ticket.message_ids[0].body)
        self.assertEqual(ticket.kb_article_ids, self.printer_article)
        self.assertEqual(self.printer_article.ticket_count, 1)
        with Form(ticket.with_user(self.agent)) as form:
            form.solution = "<p>Sensor kertas dibersihkan.</p>"
            form.stage_id = self.env.ref("helpdesk_ticketing.stage_solved")
        # Reports: usage, and tickets solved with an article.
        usage = self.env["helpdesk.kb.article.event"].with_user(self.leader).formatted_read_group(
            [("article_id", "=", self.printer_article.id)], ["kind"], ["__count"])
        self.assertEqual([(g["kind"], g["__count"]) for g in usage], [("insertion", 1)])
        action = self.env.ref("helpdesk_ticketing.helpdesk_ticket_action_solved_with_article")
        groups = self.env["helpdesk.ticket"].with_user(self.leader).formatted_read_group(
            safe_eval(action.domain), ["kb_article_ids"], ["__count"])
        self.assertEqual([(g["kb_article_ids"][0], g["__count"]) for g in groups], [(self.printer_article.id, 1)])

    def test_insert_without_a_saved_ticket(self):
        with self.assertRaisesRegex(UserError, "Save the ticket"):
            self.vpn_article.with_user(self.agent).action_insert_into_ticket()


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestKnowledgeBaseSearch(KnowledgeBaseDemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["helpdesk.kb.article"]
        cls.in_title = Article.create({
            "name": "Perbaikán jaringan Wi-Fi lobi", "lang": "id_ID",
            "body": "<p>Access point di lobi dinyalakan ulang.</p>",
        })
        cls.in_body = Article.create({
            "name": "Kabel LAN ruang rapat", "lang": "id_ID",
            "body": "<p>Setelah perbaikan kabel 2 &lt; 3 m, jaringan ruang rapat normal kembali.</p>",
        })
        cls.in_english = Article.create({
            "name": "Lobby Wi-Fi repair", "lang": "en_US", "body": "<p>Repair of the lobby access point.</p>",
        })
        (cls.in_title | cls.in_body | cls.in_english).action_publish()

    def search(self, query, **kwargs):
        return self.env["helpdesk.kb.article"].with_user(self.customer)._search_articles(query, **kwargs)

    def test_unaccented_words_match_and_rank_title_first(self):
        for query in ("perbaikan", "perbaikán", "PERBAIKAN"):
            with self.subTest(query=query):
                found = self.search(query)
                self.assertEqual([r["id"] for r in found[:2]], [self.in_title.id, self.in_body.id])
                self.assertGreater(found[0]["rank"], found[1]["rank"])

    def test_matches_are_highlighted_and_escaped(self):
        found = self.search("perbaikan kabel")
        by_id = {r["id"]: r for r in found}
        self.assertEqual(found[0]["id"], self.in_body.id, "both words match: ranked first")
        headline = by_id[self.in_body.id]["headline"]
        self.assertIn("<mark>perbaikan</mark> <mark>kabel</mark>", headline)
        self.assertIn("2 &lt; 3 m", headline, "the article's text is escaped, only the highlight is markup")

    def test_the_last_word_is_a_prefix_while_typing(self):
        self.assertEqual([r["id"] for r in self.search("jaringan wi-fi lob")][:1], [self.in_title.id])
        self.assertFalse(self.search("lob"[:2]), "two letters are not a prefix yet")

    def test_filters(self):
        self.assertEqual([r["id"] for r in self.search("lobby", lang="en_US")], [self.in_english.id])
        self.assertFalse(self.search("lobby", lang="id_ID"))
        self.assertFalse(self.search("perbaikan", category=self.env.ref("helpdesk_ticketing.category_network")))

    def test_bad_input_finds_nothing_without_error(self):
        for query in ("", "   ", None, "!!! & | :* ()", "'\\", "a"):
            with self.subTest(query=query):
                self.assertEqual(self.search(query), [])
        self.assertTrue(self.search("perbaikan' | !kabel"), "query syntax in the text is taken as words")

    def test_words_in_most_articles_are_left_out(self):
        """Like stop words, but read from the table's statistics: "yang" and "tidak" are in every article."""
        common = self.env["helpdesk.kb.article"].create([
            {"name": f"Artikel {i} yang tidak umum", "body": f"<p>Isi {i} yang tidak penting.</p>"}
            for i in range(40)
        ])
        common.action_publish()
        self.assertTrue(self.search("yang tidak"), "found when nothing else is asked")
        self.env.flush_all()
        self.env.cr.execute("ANALYZE helpdesk_kb_article")  # what autovacuum does; undone with the test
        _frequent_cache.clear()
        self.addCleanup(_frequent_cache.clear)
        Article = self.env["helpdesk.kb.article"]
        self.assertEqual(Article._ts_query("Yang tidak perbaikán"), "'perbaikán':*")
        self.assertEqual(Article._ts_query("tidak yang"), "'tidak' | 'yang':*", "only frequent words: all kept")
        found = {r["id"] for r in self.search("jaringan yang tidak normal")}
        self.assertEqual(found & {self.in_title.id, self.in_body.id}, {self.in_title.id, self.in_body.id})
        self.assertFalse(found & set(common.ids), "an article is not found for its common words alone")

    def test_the_search_uses_the_index(self):
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            "EXPLAIN SELECT id FROM helpdesk_kb_article WHERE search_vector @@ to_tsquery('helpdesk_kb', 'perbaikan')")
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("helpdesk_kb_article_search_vector_idx", plan)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")
class TestKnowledgeBaseOverHttp(WebClientCalls, KnowledgeBaseDemoCase, HttpCase):
    def test_public_help_centre(self):
        self.authenticate(None, None)
        page = html.fromstring(self.url_open(f"/helpdesk/help/{self.company.id}").text)
        titles = page.xpath("//a[contains(@class, 'o_helpdesk_help_article_item')]/div[1]/text()")
        self.assertIn(self.printer_article.name, titles)
        self.assertIn(self.vpn_article.name, titles)
        self.assertNotIn(self.internal_article.name, titles)
        self.assertNotIn(self.draft_article.name, titles)
        self.assertNotIn(self.other_public.name, titles, "each company has its own help centre")
        page = html.fromstring(self.url_open(f"/helpdesk/help/{self.other_company.id}").text)
        titles = page.xpath("//a[contains(@class, 'o_helpdesk_help_article_item')]/div[1]/text()")
        self.assertEqual(titles, [self.other_public.name])
        # Search, highlighted.
        response = self.url_open(f"/helpdesk/help/{self.company.id}", params={"search": "kertás tersangkut"})
        self.assertIn("<mark>kertas</mark>", response.text)
        self.assertIn(self.printer_article.name, html.fromstring(response.text).text_content())
        self.assertNotIn("VPN keeps", response.text)
        self.assertEqual(self.url_open("/helpdesk/help/999999").status_code, 404)

    def test_article_page_counts_views_once_per_visitor(self):
        self.authenticate(None, None)
        url = f"/helpdesk/help/article/{self.printer_article.id}"
        for _ in range(2):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("bersihkan rol dan sensor", response.text)
        self.assertEqual(self.printer_article.view_count, 1)
        for hidden in (self.internal_article, self.draft_article, self.other_internal):
            with self.subTest(article=hidden.name):
                self.assertEqual(self.url_open(f"/helpdesk/help/article/{hidden.id}").status_code, 404)
        self.assertFalse((self.internal_article | self.draft_article).mapped("view_count")[0])

    def test_customer_never_reads_internal_articles(self):
        self.authenticate("customer", "customer")
        self.assertEqual(self.url_open(f"/helpdesk/help/article/{self.internal_article.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/helpdesk/help/article/{self.vpn_article.id}").status_code, 200)

    def test_new_ticket_form_suggests_and_counts_deflection(self):
        self.authenticate("customer", "customer")
        form_page = self.url_open("/my/tickets/new").text
        self.assertIn("o_helpdesk_kb_suggestions", form_page)
        result = self.make_jsonrpc_request("/helpdesk/help/suggest", {"query": "printer paper ja"})
        self.assertEqual(result[0]["id"], self.printer_article.id)
        self.assertEqual(result[0]["url"], f"/helpdesk/help/article/{self.printer_article.id}")
        self.assertNotIn(self.other_public.id, [r["id"] for r in result])
        result = self.make_jsonrpc_request("/helpdesk/help/suggest", {"query": "VPN concentrator"})
        self.assertEqual([r["id"] for r in result], [self.vpn_article.id])
        self.assertEqual(self.make_jsonrpc_request("/helpdesk/help/suggest", {"query": ["x"]}), [])
        tickets_before = self.env["helpdesk.ticket"].search_count([])
        for _ in range(2):
            answer = self.make_jsonrpc_request(f"/helpdesk/help/article/{self.printer_article.id}/solved", {})
            self.assertEqual(answer["message"], "Glad the article helped: no ticket was created.")
        self.assertEqual(self.printer_article.deflection_count, 1, "counted once per customer session")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets_before)
        answer = self.make_jsonrpc_request(f"/helpdesk/help/article/{self.internal_article.id}/solved", {})
        self.assertEqual(answer["error"], "This article is no longer available.")
        self.assertEqual(self.internal_article.deflection_count, 0)
