import { registry } from "@web/core/registry";

/**
 * What an agent clicks in the backend, run by tests/test_tour_backend.py in headless Chromium on the
 * demo configuration (SLA policies and approval rules active): a phone ticket typed into the form,
 * then escalated to the next level with a reason.
 */
registry.category("web_tour.tours").add("helpdesk_backend_phone_ticket_escalate", {
    steps: () => [
        {
            content: "Type the subject of the phone call",
            trigger: ".o_field_widget[name='name'] textarea",
            run: "edit Monitor kasir berkedip",
        },
        {
            content: "Look up the caller",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Siti Rahma",
        },
        {
            content: "Choose Siti Rahmawati",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Siti Rahmawati')",
            run: "click",
        },
        {
            content: "The customer's e-mail comes with the contact",
            trigger: ".o_field_widget[name='partner_email'] input:value('siti.rahmawati@majubersama.example.co.id')",
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "The ticket got its code",
            trigger: ".o_form_saved .o_field_widget[name='code']:contains('HD/')",
        },
        {
            content: "Escalate it",
            trigger: "button[name='action_open_escalation_wizard']:contains('Escalate')",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Perlu pengecekan switch lantai 2 oleh tim jaringan",
        },
        {
            content: "Confirm the escalation",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Told where the ticket went, back on the agent's own tickets",
            trigger: ".o_notification:contains('Network')",
        },
        {
            trigger: ".o_list_view, .o_kanban_view",
        },
    ],
});

/**
 * The agent's day in the backend, run by tests/test_tour_backend.py in headless Chromium: the
 * overview after login, a count that opens its tickets, the coloured SLA deadlines of the list and
 * of the form header. Selectors avoid labels: the tour runs in any language.
 */
registry.category("web_tour.tours").add("helpdesk_backend_overview_sla", {
    steps: () => [
        {
            content: "After login the agent is in the Helpdesk overview; a breached count is red",
            trigger:
                ".o_helpdesk_team_overview .o_kanban_record:contains('Tim Tur') a[name='action_view_breached_tickets'].text-danger",
        },
        {
            content: "A zero count is not red",
            trigger:
                ".o_helpdesk_team_overview .o_kanban_record:contains('Tim Tur') a[name='action_view_urgent_tickets']:not(.text-danger)",
        },
        {
            content: "Open the breached tickets",
            trigger:
                ".o_helpdesk_team_overview .o_kanban_record:contains('Tim Tur') a[name='action_view_breached_tickets']",
            run: "click",
        },
        {
            content: "The list shows the late response in red, with its exact date as tooltip",
            trigger:
                ".o_list_view .o_data_row:contains('Router tur mati') .o_helpdesk_sla_deadline.text-bg-danger[data-sla-state='breached'][title]",
        },
        {
            content: "The resolution, still ahead, is not red",
            trigger:
                ".o_list_view .o_data_row:contains('Router tur mati') .o_helpdesk_sla_deadline[data-sla-state='on_track']",
        },
        {
            content: "Open the ticket",
            trigger: ".o_list_view .o_data_row:contains('Router tur mati') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The form's header shows both deadlines, not hidden in a tab",
            trigger:
                ".o_form_view div[name='sla_summary']:has(.o_helpdesk_sla_deadline.text-bg-danger[data-sla-state='breached']):has(.o_helpdesk_sla_deadline[data-sla-state='on_track'])",
        },
    ],
});

/** The end of a shift: the agent hands their ticket over to a colleague, with the reason. */
registry.category("web_tour.tours").add("helpdesk_backend_hand_over", {
    steps: () => [
        {
            content: "Hand the ticket over",
            trigger: "button.o_helpdesk_hand_over",
            run: "click",
        },
        {
            content: "Choose the colleague",
            trigger: ".modal .o_field_widget[name='user_id'] input",
            run: "edit Dewi",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Dewi Lestari')",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Shift saya selesai, Dewi melanjutkan",
        },
        {
            content: "Confirm the hand-over",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The ticket stays open in the form, now with Dewi",
            trigger: "body:not(:has(.modal)) .o_field_widget[name='user_id'] input:value('Dewi Lestari')",
        },
    ],
});
