"""19.0.1.0.1: the queue index's predicate is the one the ORM writes for the queue's domain (`active IS TRUE
AND is_closed IS NOT TRUE`), so PostgreSQL reads Take Next's first tickets from it. Odoo creates an index only
when its name is missing: the old one is dropped before the module loads."""


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_queue_idx")
