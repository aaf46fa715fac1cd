{
    "name": "Helpdesk SMS (gammu-smsd)",
    "summary": "Tickets by SMS through GSM modems run by gammu-smsd: incoming SMS, and Odoo's SMS "
    "(replies, notifications, every app) sent by the modem with their delivery status",
    "version": "19.0.2.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Helpdesk Suite",
    "website": "https://github.com/helpdesk-suite/helpdesk",
    "depends": ["helpdesk_ticketing", "phone_validation", "sms"],
    "external_dependencies": {"python": ["phonenumbers", "psycopg2"]},
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_sms_security.xml",
        "data/ir_cron_data.xml",
        "data/helpdesk_sms_template_data.xml",
        "data/helpdesk_sms_rating_data.xml",
        "data/helpdesk_sms_major_incident_data.xml",
        "views/helpdesk_sms_message_views.xml",
        "views/sms_sms_views.xml",
        "views/sms_template_views.xml",
        "views/sms_composer_views.xml",
        "views/helpdesk_sms_gateway_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_team_views.xml",
        "views/helpdesk_sms_menus.xml",
    ],
    "demo": [
        "demo/helpdesk_sms_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "helpdesk_sms/static/tests/tours/**/*",
        ],
    },
}
