"""19.0.2: move the outgoing SMS set aside by pre-migrate into sms.sms, the texts of our old
templates (as edited and translated) into the new sms.template records, and the templates users
added into sms.template records of tickets.

States: queued → In Queue, outbox → Processing (still followed from sentitems under its outbox ID),
sent → Sent, delivered → Delivered, error → Error. Each keeps its chatter note (with the status
line of the old log, not updated any more); automatic notifications keep their ticket.
"""
import json

STATES = {"queued": "outgoing", "outbox": "process", "sent": "pending", "delivered": "sent", "error": "error"}


def migrate(cr, version):
    cr.execute("""
        INSERT INTO sms_sms (uuid, number, body, partner_id, state, failure_type, gammu_gateway_id, gammu_id,
                             gammu_attempt, gammu_error, helpdesk_ticket_id, mail_message_id, to_delete,
                             create_uid, create_date, write_uid, write_date)
        SELECT md5(random()::text || old.id::text), old.number, old.body, old.partner_id,
               (%s::jsonb ->> old.state), CASE WHEN old.state = 'error' THEN 'sms_server' END,
               old.gateway_id, NULLIF(old.gammu_id, 0), COALESCE(old.retry_count, 0), old.error_message,
               CASE WHEN old.event <> 'reply' THEN old.ticket_id END, old.mail_message_id, false,
               old.create_uid, old.create_date, old.write_uid, old.write_date
          FROM helpdesk_sms_outgoing_v1 old
    """, [json.dumps(STATES)])
    cr.execute("DROP TABLE helpdesk_sms_outgoing_v1")
    cr.execute("""
        UPDATE sms_template tpl SET body = old.body
          FROM helpdesk_sms_template_v1 old
          JOIN ir_model_data imd ON imd.module = 'helpdesk_sms' AND imd.name = old.xmlid
                                AND imd.model = 'sms.template'
         WHERE tpl.id = imd.res_id
    """)
    # Templates users added become SMS templates of tickets, for the composer.
    cr.execute("""
        INSERT INTO sms_template (name, body, model_id, model, create_uid, create_date, write_uid, write_date)
        SELECT old.name, old.body, model.id, 'helpdesk.ticket', 1, now() at time zone 'UTC', 1,
               now() at time zone 'UTC'
          FROM helpdesk_sms_template_v1 old, ir_model model
         WHERE old.xmlid IS NULL AND model.model = 'helpdesk.ticket'
    """)
    cr.execute("DROP TABLE helpdesk_sms_template_v1")
