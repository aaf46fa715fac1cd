from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSmsController(HttpCase):
    def setUp(self):
        super().setUp()
        self.gateway = self.env["helpdesk.sms.gateway"].create({
            "name": "Modem Endpoint", "dsn": "host=/var/run/postgresql dbname=hd_sms_endpoint_no_such_db",
            "polling": False,
        })
        self.url = f"/helpdesk_sms/gateway/{self.gateway.id}/received"

    def test_wrong_or_missing_token_is_refused(self):
        self.assertEqual(self.url_open(self.url, data={"ids": "1"}).status_code, 403)
        response = self.url_open(self.url, data={"ids": "1"}, headers={"X-Helpdesk-SMS-Token": "salah"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.url_open("/helpdesk_sms/gateway/999999/received", data={"ids": "1"},
                                       headers={"X-Helpdesk-SMS-Token": "x"}).status_code, 403)

    def test_right_token_runs_the_import_and_reports_errors(self):
        response = self.url_open(self.url, data={"ids": "1"}, headers={"X-Helpdesk-SMS-Token": self.gateway.token})
        self.assertEqual(response.status_code, 503, "gammu's database does not exist")
        self.assertIn("hd_sms_endpoint_no_such_db", response.json()["error"])
