"""Helpers shared by the VoIP end-to-end tests and their fixtures."""
import json

import psycopg2
from e2e_support import free_port, wait_for  # noqa: F401 (re-exported for the VoIP tests)


def bus_messages(env, after_id, notification_type):
    """[(channel, payload)] sent on the bus since ``after_id``."""
    result = []
    for message in env["bus.bus"].search([("id", ">", after_id)]):
        body = json.loads(message.message)
        if body.get("type") == notification_type:
            result.append((json.loads(message.channel), body.get("payload")))
    return result


def kamailio_rows(db, table):
    """Rows Kamailio wrote, read as Kamailio's role (what Odoo's import sees)."""
    connection = psycopg2.connect(db["dsn"])
    try:
        with connection.cursor() as cr:
            cr.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (fixed table names)
            columns = [c.name for c in cr.description]
            return [dict(zip(columns, row, strict=True)) for row in cr.fetchall()]
    finally:
        connection.close()
