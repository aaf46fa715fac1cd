"""19.0.2: outgoing SMS become Odoo's sms.sms, SMS templates Odoo's sms.template.

Before the module loads: the outgoing rows of helpdesk_sms_message and the old templates (ours as
edited, and those users added) are set aside (post-migrate moves them), so that the received SMS
keep their unique key (gateway, inbox ID) and the new templates can take the old XML ids.
"""


def migrate(cr, version):
    cr.execute("""
        CREATE TABLE helpdesk_sms_outgoing_v1 AS
        SELECT * FROM helpdesk_sms_message WHERE direction = 'out'
    """)
    cr.execute("""
        DELETE FROM ir_model_data WHERE model = 'helpdesk.sms.message'
           AND res_id IN (SELECT id FROM helpdesk_sms_outgoing_v1)
    """)
    cr.execute("DELETE FROM helpdesk_sms_message WHERE direction = 'out'")
    cr.execute("""
        CREATE TABLE helpdesk_sms_template_v1 AS
        SELECT imd.name AS xmlid, tpl.name, tpl.body FROM helpdesk_sms_template tpl
          LEFT JOIN ir_model_data imd ON imd.model = 'helpdesk.sms.template' AND imd.res_id = tpl.id
                                     AND imd.module = 'helpdesk_sms'
    """)
    cr.execute("DELETE FROM ir_model_data WHERE module = 'helpdesk_sms' AND model = 'helpdesk.sms.template'")
