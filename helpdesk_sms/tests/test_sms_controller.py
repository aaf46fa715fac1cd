from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSmsController(HttpCase):
    """gammu-smsd's RunOnReceive call: the gateway's token in the Authorization header, and only there."""

    def setUp(self):
        super().setUp()
        self.gateway = self.env["helpdesk.sms.gateway"].create({
            "name": "Modem Endpoint", "dsn": "host=/var/run/postgresql dbname=hd_sms_endpoint_no_such_db",
            "polling": False,
        })
        self.url = f"/helpdesk_sms/gateway/{self.gateway.id}/received"

    def _call(self, url=None, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.url_open(url or self.url, data={"ids": "1"}, headers=headers, **kwargs)

    def _ran(self):
        """Whether the call ran the import (it records the outcome on the gateway)."""
        self.gateway.invalidate_recordset(["last_error", "last_contact_date"])
        return bool(self.gateway.last_error or self.gateway.last_contact_date)

    def test_wrong_or_missing_token_is_refused(self):
        self.assertEqual(self._call().status_code, 401)
        self.assertEqual(self._call(token="salah").status_code, 401)
        self.assertEqual(self._call("/helpdesk_sms/gateway/999999/received", token=self.gateway.token).status_code,
                         401)
        self.assertFalse(self._ran())

    def test_token_outside_the_authorization_header_is_refused(self):
        """In the URL or the form, the token would end up in access and proxy logs."""
        query = self.url_open(f"{self.url}?token={self.gateway.token}", data={"ids": "1"})
        self.assertEqual(query.status_code, 401)
        self.assertIn("Authorization", query.json()["error"])
        form = self.url_open(self.url, data={"ids": "1", "token": self.gateway.token})
        self.assertEqual(form.status_code, 401)
        header = self.url_open(self.url, data={"ids": "1"}, headers={"X-Helpdesk-SMS-Token": self.gateway.token})
        self.assertEqual(header.status_code, 401)
        self.assertFalse(self._ran(), "nothing imported")

    def test_right_token_runs_the_import_and_reports_errors(self):
        response = self._call(token=self.gateway.token)
        self.assertEqual(response.status_code, 503, "gammu's database does not exist")
        self.assertIn("hd_sms_endpoint_no_such_db", response.json()["error"])
        self.assertTrue(self._ran())
