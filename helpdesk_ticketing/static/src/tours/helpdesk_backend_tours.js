import { registry } from "@web/core/registry";

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
