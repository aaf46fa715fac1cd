"""The backend in Bahasa Indonesia: dialogs with a title (the demo's category names: test_demo_roles.py)."""

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
