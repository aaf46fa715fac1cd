import json

from odoo.tests import HttpCase, tagged

from .common import HelpdeskVoipCase


@tagged("post_install", "-at_install")
class TestVoipWebhook(HelpdeskVoipCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx = cls.env["helpdesk.voip.pbx"].create({"name": "3CX uji", "kind": "webhook"})
        # The PBX sends no language: its answers are in English, when the database has English.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.url = f"/helpdesk_voip/webhook/{cls.pbx.id}"

    def _post(self, payload, token=None, url=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.pbx.token}"
        data = payload if isinstance(payload, str | bytes) else json.dumps(payload)
        return self.url_open(url or self.url, data=data, headers=headers)

    def _count(self):
        return self.env["helpdesk.voip.call"].search_count([("pbx_id", "=", self.pbx.id)])

    def test_events_of_a_call_make_one_answered_call(self):
        events = [
            {"event": "ringing", "call_id": "3cx-1", "from": "+62 812 7777 1111", "to": "2101",
             "timestamp": "2026-03-02T02:00:00Z"},
            {"event": "answered", "call_id": "3cx-1", "timestamp": "2026-03-02T02:00:05Z"},
            {"event": "hangup", "call_id": "3cx-1", "timestamp": "2026-03-02T02:03:05Z", "sip_code": 200},
        ]
        response = self._post({"events": events})
        self.assertEqual(response.status_code, 200, response.text)
        self._post(events[2])  # a retried delivery
        call = self.env["helpdesk.voip.call"].search([("call_id", "=", "3cx-1")])
        self.assertEqual(len(call), 1)
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.duration, 180.0)
        self.assertEqual(call.source, "webhook")
        self.assertEqual(call.partner_id, self.contact)
        self.assertEqual(call.user_id, self.agent_a)

    def test_wrong_or_missing_token_is_refused_and_nothing_written(self):
        event = {"event": "ringing", "call_id": "3cx-2", "from": "+6281277771111", "to": "2101"}
        self.assertEqual(self._post(event, token="not-the-token").status_code, 401)
        self.assertEqual(self._post(event, token=False).status_code, 401)
        self.assertEqual(self._post(event, url="/helpdesk_voip/webhook/999999").status_code, 401)
        self.pbx.active = False
        self.assertEqual(self._post(event).status_code, 401)
        self.assertEqual(self._count(), 0)

    def test_malformed_payloads_are_refused_with_a_reason(self):
        cases = [
            ("{not json", "not valid JSON"),
            ([], "at least one event"),
            ({"event": "exploded", "call_id": "x"}, "Unknown event"),
            ({"event": "ringing"}, "SIP Call-ID"),
            ({"event": "ringing", "call_id": "x", "timestamp": "yesterday"}, "not a date"),
            ({"event": "cdr", "call_id": "x", "duration": -3}, "duration"),
            ({"event": "hangup", "call_id": "x", "sip_code": 999}, "sip_code"),
            ({"event": "ringing", "call_id": "x", "direction": "sideways"}, "direction"),
            # One bad event spoils the batch: nothing of it is written.
            ({"events": [{"event": "ringing", "call_id": "ok-1"}, {"event": "nope", "call_id": "ok-2"}]},
             "Unknown event"),
        ]
        for payload, reason in cases:
            with self.subTest(payload=payload):
                response = self._post(payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn(reason, response.json()["error"])
        self.assertEqual(self._count(), 0)

    def test_body_that_is_not_utf8_is_refused(self):
        """Invalid bytes are not replaced: two Call-IDs differing by them would become one call."""
        for call_id in (b"3cx-\xff-1", b"3cx-\xfe-1", b"3cx-\xe9t\xe9"):
            with self.subTest(call_id=call_id):
                body = b'{"event": "ringing", "call_id": "' + call_id + b'", "from": "+6281277771111", "to": "2101"}'
                response = self._post(body)
                self.assertEqual(response.status_code, 400)
                self.assertIn("not UTF-8", response.json()["error"])
        surrogate = '{"event": "ringing", "call_id": "3cx-\\udcff-1", "from": "+6281277771111", "to": "2101"}'
        self.assertEqual(self._post(surrogate).status_code, 400, "an escaped lone surrogate is no text either")
        softphone = self._post(b'{"extension": "2101", "event": {"id": "bs-\xff"}}',
                               url=f"/helpdesk_voip/softphone/{self.pbx.id}")
        self.assertEqual(softphone.status_code, 400)
        self.assertEqual(self._count(), 0, "nothing written")
        self.assertEqual(self._post({"event": "ringing", "call_id": "3cx-é-1"}).status_code, 200,
                         "UTF-8 text is welcome")

    def test_softphone_bridge_events(self):
        url = f"/helpdesk_voip/softphone/{self.pbx.id}"
        incoming = {"event": True, "type": "CALL_INCOMING", "class": "call", "direction": "incoming",
                    "accountaor": "sip:2101@pbx", "peeruri": "sip:+6281277771111@pbx", "id": "bs-1"}
        response = self._post({"extension": "2101", "event": incoming}, url=url)
        self.assertEqual(response.status_code, 200, response.text)
        closed = dict(incoming, type="CALL_CLOSED", param="Connection reset by peer")
        self._post({"extension": "2101", "event": closed}, url=url)
        rtcp = dict(incoming, type="CALL_RTCP")
        self.assertEqual(self._post({"extension": "2101", "event": rtcp}, url=url).json()["count"], 0)
        call = self.env["helpdesk.voip.call"].search([("call_id", "=", "bs-1")])
        self.assertEqual(call.outcome, "missed")
        self.assertEqual(call.source, "softphone")
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.caller_number, "+6281277771111")
