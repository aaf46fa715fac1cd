"""Two Odoo workers discovering the same unknown terminal at once register it once."""

import threading
import time

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api


def test_two_workers_register_an_unknown_terminal_once(committed_servers, odoo_registry):
    server_id = committed_servers("LTSP Paralel", "10.78.0.0/24")
    mac = "52:54:00:78:00:01"

    def heartbeat(cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["helpdesk.ltsp.server"].browse(server_id)._register_heartbeat(mac, ip="10.78.0.50").id

    outcome = {}

    def second_worker():
        with odoo_registry.cursor() as cr:
            try:
                outcome["terminal"] = heartbeat(cr)
                cr.commit()
            except SerializationFailure:
                cr.rollback()
                outcome["terminal"] = "retry"

    with odoo_registry.cursor() as first:
        first_terminal = heartbeat(first)  # holds the server's discovery lock until commit
        # The second worker takes its snapshot now, before the first commits.
        worker = threading.Thread(target=second_worker)
        worker.start()
        time.sleep(1)
        assert worker.is_alive(), "the second worker waits for the first one's discovery"
        first.commit()
    worker.join(30)
    assert outcome == {"terminal": "retry"}, "Odoo retries the request on a serialization failure"

    # The retry runs with a fresh snapshot: it finds the terminal the first worker created.
    with odoo_registry.cursor() as cr:
        assert heartbeat(cr) == first_terminal
        cr.commit()
    with odoo_registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        terminals = env["helpdesk.ltsp.terminal"].search([("server_id", "=", server_id), ("mac_address", "=", mac)])
        assert len(terminals) == 1 and terminals.state == "draft"
