{
    "name": "Helpdesk VoIP",
    "summary": "Call log, click-to-dial and caller pop-up for the helpdesk, "
    "with Kamailio CDR import, baresip softphones and a PBX webhook",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Helpdesk Suite",
    "website": "https://github.com/helpdesk-suite/helpdesk",
    "depends": [
        "helpdesk_ticketing",
        "bus",
        "phone_validation",
    ],
    "external_dependencies": {"python": ["phonenumbers", "psycopg2"]},
    "data": [
        "security/helpdesk_voip_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/helpdesk_voip_call_views.xml",
        "views/helpdesk_voip_pbx_views.xml",
        "views/res_users_views.xml",
        "views/res_partner_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_voip_menus.xml",
    ],
    "demo": [
        "demo/helpdesk_voip_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_voip/static/src/**/*",
        ],
        "web.assets_tests": [
            "helpdesk_voip/static/tests/tours/**/*",
        ],
    },
}
