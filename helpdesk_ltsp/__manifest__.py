{
    "name": "Helpdesk LTSP Terminals",
    "summary": "Registry of LTSP thin-client terminals: ltsp.conf and dnsmasq generation, discovery, "
    "heartbeat and tickets per terminal",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Helpdesk Suite",
    "website": "https://github.com/helpdesk-suite/helpdesk",
    "depends": ["helpdesk_ticketing"],
    "data": [
        "security/ir.model.access.csv",
        "security/helpdesk_ltsp_security.xml",
        "data/ir_cron_data.xml",
        "wizard/helpdesk_ltsp_import_wizard_views.xml",
        "wizard/helpdesk_ltsp_move_wizard_views.xml",
        "views/helpdesk_ltsp_server_views.xml",
        "views/helpdesk_ltsp_terminal_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ltsp_menus.xml",
        "report/helpdesk_service_report_templates.xml",
        "views/helpdesk_ltsp_server_major_incident_views.xml",
    ],
    "demo": ["demo/helpdesk_ltsp_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "helpdesk_ltsp/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
