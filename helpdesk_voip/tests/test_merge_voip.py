from odoo.tests import Form, tagged

from .common import HelpdeskVoipCase


@tagged("post_install", "-at_install")
class TestMergeVoip(HelpdeskVoipCase):
    """The calls about merged tickets are in the surviving ticket's call log."""

    def test_calls_move_to_the_surviving_ticket(self):
        pbx = self.env["helpdesk.voip.pbx"].create({"name": "Asterisk gabung", "kind": "webhook",
                                                    "team_id": self.team_sd.id})
        Call = self.env["helpdesk.voip.call"]
        survivor = self.ticket(name="Telepon kantor mati")
        merged = self.ticket(name="Telepon mati lagi")
        calls = Call.browse()
        for call_id in ("merge-1", "merge-2"):
            calls |= Call._ingest([{"call_id": call_id, "event": "ringing", "caller": "+62 812 7777 1111",
                                    "callee": "2101"}], "webhook", pbx=pbx)
        calls.ticket_id = merged
        self.assertEqual(merged.voip_call_count, 2)

        Wizard = self.env["helpdesk.ticket.merge"].with_user(self.leader).with_context(
            active_model="helpdesk.ticket", active_ids=(survivor | merged).ids)
        with Form(Wizard) as wizard:
            wizard.target_ticket_id = survivor
        wizard.record.action_merge()

        self.assertEqual(calls.ticket_id, survivor)
        self.assertEqual((survivor.voip_call_count, merged.voip_call_count), (2, 0))
        self.assertEqual(survivor.with_user(self.agent_a).action_view_voip_calls()["domain"],
                         [("ticket_id", "=", survivor.id)])
