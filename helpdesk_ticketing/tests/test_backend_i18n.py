"""The backend in Bahasa Indonesia: category names as the portal shows them, dialogs with a title."""

from odoo.tests import tagged

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestBackendIndonesian(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("id_ID")
        cls.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        (cls.agent_a | cls.leader).lang = "id_ID"

    def test_category_names_translated_in_backend_forms(self):
        hardware = self.env.ref("helpdesk_ticketing.category_hardware")
        visit = self.env.ref("helpdesk_ticketing.category_dc_visit")
        printer = self.env["helpdesk.category"].with_context(lang="en_US").create(
            {"name": "Printer", "parent_id": hardware.id})
        printer.update_field_translations("name", {"id_ID": "Pencetak"})
        Category = self.env["helpdesk.category"].with_user(self.agent_a).with_context(lang="id_ID")
        # What the many2one of the ticket form shows, and finds when the agent types.
        self.assertEqual(Category.browse(hardware.id).display_name, "Perangkat Keras")
        self.assertEqual(Category.browse(visit.id).display_name, "Kunjungan Pusat Data (Izin Kerja)")
        self.assertEqual(Category.browse(printer.id).display_name, "Perangkat Keras / Pencetak")
        found = Category.name_search("Izin Kerja")
        self.assertIn((visit.id, "Kunjungan Pusat Data (Izin Kerja)"), found)
        # English users still read English.
        self.assertEqual(Category.with_context(lang="en_US").browse(printer.id).display_name, "Hardware / Printer")

    def test_dialogs_have_a_title(self):
        permit = self.env["helpdesk.category"].create({"name": "Izin Kerja"})
        self.env["helpdesk.approval.rule"].create({
            "name": "Izin kunjungan", "kind": "validation", "approver": "leader", "category_ids": [(6, 0, permit.ids)],
        })
        ticket = self.ticket(user_id=self.agent_a.id, category_id=permit.id)
        ticket = ticket.with_user(self.agent_a).with_context(lang="id_ID")
        escalate = ticket.with_context(mode="escalation").action_open_escalation_wizard()
        handover = ticket.with_context(mode="handover").action_open_escalation_wizard()
        self.assertEqual((escalate["name"], handover["name"]), ("Eskalasi Tiket", "Serah Terima Tiket"))
        approval = ticket.approval_ids.with_user(self.leader).with_context(lang="id_ID")
        self.assertEqual(len(approval), 1)
        self.assertEqual(approval.with_context(decision="approved").action_open_decision_wizard()["name"],
                         "Setujui Permintaan")
        self.assertEqual(approval.with_context(decision="rejected").action_open_decision_wizard()["name"],
                         "Tolak Permintaan")
