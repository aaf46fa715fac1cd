"""19.0.2: move the outgoing SMS set aside by pre-migrate into sms.sms, and the texts of the old
templates (as edited and translated) into the new sms.template records.

States: queued → In Queue, outbox → Processing (still followed from sentitems under its outbox ID),
sent → Sent, delivered → Delivered, error → Error. Automatic notifications keep their ticket;
their chatter notes stay as they were.
"""
import json

STATES = {"queued": "outgoing", "outbox": "process", "sent": "pending", "delivered": "sent", "error": "error"}


def migrate(cr, version):
    cr.execute("""
        INSERT INTO sms_sms (uuid, number, body, partner_id, state, failure_type, gammu_gateway_id, gammu_id,
                             gammu_attempt, gammu_error, helpdesk_ticket_id, to_delete,
                             create_uid, create_date, write_uid, write_date)
        SELECT md5(random()::text || old.id::text), old.number, old.body, old.partner_id,
               (%s::jsonb ->> old.state), CASE WHEN old.state = 'error' THEN 'sms_server' END,
               old.gateway_id, NULLIF(old.gammu_id, 0), COALESCE(old.retry_count, 0), old.error_message,
               CASE WHEN old.event <> 'reply' THEN old.ticket_id END, false,
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
    cr.execute("DROP TABLE helpdesk_sms_template_v1")
