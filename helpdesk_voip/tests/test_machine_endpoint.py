import json
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

CONNECT = "odoo.addons.helpdesk_ticketing.models.helpdesk_external_database_mixin.psycopg2.connect"


@tagged("post_install", "-at_install")
class TestMachineEndpoint(HttpCase):
    """The machine endpoint and external database mixins, once, through the PBX that has both: its
    token, its header-only check, its write-only Kamailio password and its last error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.manager = new_test_user(cls.env, "endpoint_manager", groups="helpdesk_ticketing.group_helpdesk_manager")
        cls.agent = new_test_user(cls.env, "endpoint_agent", groups="helpdesk_ticketing.group_helpdesk_user")
        cls.pbx = cls.env["helpdesk.voip.pbx"].with_user(cls.manager).create({
            "name": "Kamailio uji",
            "dsn": "postgresql://kamailio:ganti-sandi@/hd_no_such_kamailio?host=/nonexistent",
        }).with_env(cls.env)

    def _post(self, headers=None, query=""):
        return self.url_open(
            f"/helpdesk_voip/webhook/{self.pbx.id}{query}",
            data=json.dumps({"event": "ringing", "call_id": "endpoint-1", "from": "+6281211112222", "to": "1001"}),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def test_token_generated_and_shown_to_managers_only(self):
        other = self.env["helpdesk.voip.pbx"].with_user(self.manager).create({"name": "3CX", "kind": "webhook"})
        token = self.pbx.with_user(self.manager).token
        self.assertGreaterEqual(len(token), 40)
        self.assertNotEqual(token, other.token)
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.agent).read(["token"])

    def test_only_managers_regenerate_the_token(self):
        old = self.pbx.with_user(self.manager).token
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.agent).action_regenerate_token()
        self.pbx.with_user(self.manager).action_regenerate_token()
        new = self.pbx.with_user(self.manager).token
        self.assertNotEqual(new, old)
        self.assertEqual(self._post({"Authorization": f"Bearer {old}"}).status_code, 401)
        self.assertEqual(self._post({"Authorization": f"Bearer {new}"}).status_code, 200)

    def test_token_only_in_the_authorization_header(self):
        token = self.pbx.with_user(self.manager).token
        refused = [
            self._post(),
            self._post({"Authorization": "Bearer wrong-token"}),
            self._post({"Authorization": f"Basic {token}"}),
            self._post(query=f"?token={token}"),
            self._post(query=f"?access_token={token}"),
        ]
        self.assertEqual([response.status_code for response in refused], [401] * len(refused))
        self.assertEqual(len({response.text for response in refused}), 1, "no hint which part was wrong")
        self.assertFalse(self.env["helpdesk.voip.call"].search_count([("call_id", "=", "endpoint-1")]))
        self.pbx.action_archive()
        self.assertEqual(self._post({"Authorization": f"Bearer {token}"}).status_code, 401)
        self.pbx.action_unarchive()
        self.assertEqual(self._post({"Authorization": f"bearer {token}"}).status_code, 200)

    def test_kamailio_password_is_write_only_but_used_to_connect(self):
        pbx = self.pbx.with_user(self.manager)
        self.assertNotIn("ganti-sandi", pbx.dsn, "a password typed into the DSN is moved out of it")
        self.assertTrue(pbx.db_password_set)
        self.assertFalse(pbx.db_password_input)
        with self.assertRaises(AccessError):
            pbx.read(["db_password"])
        pbx.write({"db_password_input": "sandi-baru"})
        self.env.invalidate_all()
        self.assertEqual(pbx.read(["db_password_input", "db_password_set"])[0]["db_password_input"], False)
        with self.assertRaises(AccessError):
            pbx.read(["db_password"])
        with patch(CONNECT, side_effect=psycopg2.OperationalError("no route")) as connect, \
                self.assertRaisesRegex(UserError, "Cannot connect to the Kamailio database"):
            pbx.action_test_connection()
        self.assertIn("password=sandi-baru", connect.call_args.args[0], "the system connects with the password")

    def test_last_error_then_last_contact(self):
        self.env["helpdesk.voip.pbx"]._cron_import_cdrs()
        pbx = self.pbx.with_user(self.manager)
        self.assertIn("Cannot connect to the Kamailio database", pbx.last_error)
        self.assertTrue(pbx.last_error_date)
        self.assertFalse(pbx.last_contact_date)
        with patch.object(type(self.pbx), "_database_connect") as connect:
            connect.return_value.cursor.return_value.__enter__.return_value.fetchall.return_value = []
            self.env["helpdesk.voip.pbx"]._cron_import_cdrs()
        self.assertFalse(pbx.last_error)
        self.assertTrue(pbx.last_contact_date)
        self.assertTrue(pbx.last_error_date, "the date of the last error stays")

    def test_import_now_shows_and_keeps_the_error(self):
        """The manager's Import Calls Now on an unreachable Kamailio: a notification, and Last Error stays
        stored (an exception would have rolled it back)."""
        action = self.pbx.with_user(self.manager).action_import_now()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Cannot connect to the Kamailio database", action["params"]["message"])
        self.pbx.invalidate_recordset()
        self.assertIn("Cannot connect to the Kamailio database", self.pbx.last_error)
