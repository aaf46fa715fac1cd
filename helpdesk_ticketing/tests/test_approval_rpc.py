import json

from odoo.tests import HttpCase, tagged

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestApprovalOverRpc(HelpdeskCase, HttpCase):
    """The approval gate holds for a real JSON-RPC call from a logged-in agent."""

    def test_rpc_write_cannot_pass_pending_validation(self):
        site, category = self.create_work_permit_rule(self.leader_other, requires_visit=False)
        ticket = self.ticket(name="Kunjungan lewat RPC", category_id=category.id, site_id=site.id,
                             user_id=self.agent_a.id)
        self.assertEqual(ticket.approval_state, "pending")
        in_progress = self.stage_progress
        self.authenticate(self.agent_a.login, self.agent_a.login)

        def call(model, method, args):
            return self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps({
                    "jsonrpc": "2.0", "method": "call", "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": {}},
                }),
                headers={"Content-Type": "application/json"},
            ).json()

        answer = call("helpdesk.ticket", "write", [[ticket.id], {"stage_id": in_progress.id}])
        self.assertIn("error", answer)
        self.assertIn("waiting for", answer["error"]["data"]["message"])
        answer = call("helpdesk.approval", "write", [ticket.approval_ids.ids, {"state": "approved"}])
        self.assertIn("error", answer)
        answer = call("helpdesk.approval", "action_approve", [ticket.approval_ids.ids])
        self.assertIn("error", answer)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.approval_ids.state, "pending")
