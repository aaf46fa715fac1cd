import { registry } from "@web/core/registry";

/**
 * What an agent clicks on a ticket flagged as a possible duplicate, run by tests/test_tour_duplicates.py:
 * the banner names the open ticket it looks like; "Not a Duplicate" takes the flag away.
 */
registry.category("web_tour.tours").add("helpdesk_possible_duplicate_not_duplicate", {
    steps: () => [
        {
            content: "The banner names the open ticket this one looks like",
            trigger: ".o_helpdesk_possible_duplicate:contains('Printer lantai 3 tidak bisa mencetak')",
        },
        {
            content: "It is a request of its own",
            trigger: ".o_helpdesk_possible_duplicate button.o_helpdesk_not_duplicate",
            run: "click",
        },
        {
            content: "The note is in the chatter",
            trigger: ".o-mail-Message:contains('Marked as not a duplicate')",
        },
        {
            content: "The banner is gone",
            trigger: ".o_form_view:not(:has(.o_helpdesk_possible_duplicate))",
        },
    ],
});
