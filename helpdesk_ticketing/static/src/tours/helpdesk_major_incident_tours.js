import { registry } from "@web/core/registry";

/**
 * What a team leader clicks, run by tests/test_tour_major_incident.py in headless Chromium on the demo
 * configuration: a ticket declared a major incident, then a similar ticket offered on its form attached
 * through the wizard.
 */
registry.category("web_tour.tours").add("helpdesk_major_incident_declare_attach", {
    steps: () => [
        {
            content: "Declare the ticket a major incident",
            trigger: "button.o_helpdesk_declare_major_incident",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The ticket is marked as a major incident",
            trigger: ".o_helpdesk_major_incident_badge:visible",
        },
        {
            content: "Open the affected tickets tab",
            trigger: ".o_notebook .nav-link:contains('Affected Tickets')",
            run: "click",
        },
        {
            content: "The similar open ticket is offered",
            trigger: ".o_helpdesk_major_incident_candidates .o_data_row:contains('Internet mati di lantai 2')",
        },
        {
            content: "Attach the similar tickets",
            trigger: ".o_helpdesk_major_incident_candidates button[name='action_attach_similar_tickets']",
            run: "click",
        },
        {
            content: "The wizard offers the similar ticket",
            trigger: ".modal .o_field_widget[name='ticket_ids'] .o_data_row:contains('Internet mati di lantai 2')",
        },
        {
            content: "Attach",
            trigger: ".modal button.o_helpdesk_attach_confirm",
            run: "click",
        },
        {
            content: "The ticket is now an affected ticket of the incident",
            trigger: ".o_field_widget[name='visible_child_incident_ids'] .o_data_row:contains('Internet mati di lantai 2')",
        },
        {
            content: "The counter shows it",
            trigger: "button[name='action_view_child_incidents'] .o_stat_value:contains('1')",
        },
    ],
});

/**
 * The same from the ticket list: a ticket selected, Action › Attach to Major Incident, the incident chosen.
 */
registry.category("web_tour.tours").add("helpdesk_major_incident_attach_from_list", {
    steps: () => [
        {
            content: "Select the ticket of the other customer",
            trigger: ".o_data_row:contains('Kabel jaringan loket putus') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Action menu",
            trigger: ".o_cp_action_menus button:contains('Actions')",
            run: "click",
        },
        {
            content: "Attach to Major Incident",
            trigger: ".o-dropdown-item:contains('Attach to Major Incident')",
            run: "click",
        },
        {
            content: "Look the major incident up",
            trigger: ".modal .o_field_widget[name='major_incident_id'] input",
            run: "edit Jaringan kantor",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Jaringan kantor pusat mati')",
            run: "click",
        },
        {
            content: "The selected ticket is the one to attach",
            trigger: ".modal .o_field_widget[name='ticket_ids'] .o_data_row:contains('Kabel jaringan loket putus')",
        },
        {
            content: "Attach",
            trigger: ".modal button.o_helpdesk_attach_confirm",
            run: "click",
        },
        {
            content: "Back on the list",
            trigger: "body:not(:has(.modal)) .o_list_view",
        },
    ],
});
