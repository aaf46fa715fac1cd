import { registry } from "@web/core/registry";

/**
 * A team leader merges three tickets of one customer from the ticket list (Actions menu), run by
 * tests/test_tour_merge.py in headless Chromium on the demo configuration; the oldest ticket stays.
 */
registry.category("web_tour.tours").add("helpdesk_merge_from_list", {
    steps: () => [
        {
            content: "Search the customer's tickets about the card reader",
            trigger: ".o_searchview_input",
            run: "edit Mesin EDC",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only the customer's tickets about it are listed",
            trigger: ".o_searchview_facet:contains('Mesin EDC')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:not(:contains('Mesin EDC'))))",
        },
        ...["Mesin EDC kasir 1", "Mesin EDC kasir 2", "Mesin EDC kasir 3"].map((subject) => ({
            content: `Select “${subject}”`,
            trigger: `.o_data_row:contains('${subject}') td.o_list_record_selector`,
            run: "click",
        })),
        {
            content: "Three tickets are selected",
            trigger: ".o_selection_box:contains('3')",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Merge the selected tickets",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Merge Tickets')",
            run: "click",
        },
        {
            content: "The three tickets are in the wizard, the oldest stays",
            trigger: ".modal .o_field_widget[name='target_ticket_id'] input:value(/Mesin EDC kasir 2/)",
        },
        {
            trigger: ".modal .o_data_row:contains('Mesin EDC kasir 3')",
        },
        {
            content: "Merge",
            trigger: ".modal button[name='action_merge']",
            run: "click",
        },
        {
            content: "The ticket that stays opens: look at its related tickets",
            trigger: ".o_form_view:not(:has(.modal)) .o_notebook a[name='related_tickets']",
            run: "click",
        },
        {
            content: "The merged tickets are listed",
            trigger: ".o_field_widget[name='merged_ticket_ids'] .o_data_row:contains('Mesin EDC kasir 3')",
        },
    ],
});
