import { registry } from "@web/core/registry";

/**
 * The portal's new-ticket form suggests help centre articles while the customer types the subject;
 * "This solved my problem" closes the form without a ticket (tests/test_tour_kb.py, at phone width).
 */
registry.category("web_tour.tours").add("helpdesk_portal_kb_deflection", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "Type the subject, as a customer does, letter by letter",
            trigger: "input[name='name']",
            run: "edit Printer paper jam",
        },
        {
            content: "An article is suggested, the matched words highlighted, within the phone's width",
            trigger: ".o_helpdesk_kb_suggestion:contains('Printer menampilkan') .o_helpdesk_kb_suggestion_headline mark",
            run() {
                const width = document.documentElement.clientWidth;
                const panel = this.anchor.closest(".o_helpdesk_kb_suggestions").getBoundingClientRect();
                if (document.documentElement.scrollWidth > width || panel.right > width) {
                    throw new Error(`the suggestions do not fit ${width} px (panel ends at ${panel.right} px)`);
                }
            },
        },
        {
            content: "The article solved the problem",
            trigger: ".o_helpdesk_kb_suggestion:contains('Printer menampilkan') .o_helpdesk_kb_solved",
            run: "click",
        },
        {
            content: "The form closes without a ticket",
            trigger: ".o_helpdesk_kb_deflected:visible:contains('no ticket was created')",
            run() {
                if (document.querySelector(".o_helpdesk_new_ticket_form").offsetParent !== null) {
                    throw new Error("the new-ticket form is still shown");
                }
            },
        },
    ],
});

/** The agent answers a ticket with a suggested article (tests/test_tour_kb.py). */
registry.category("web_tour.tours").add("helpdesk_backend_kb_insert_article", {
    steps: () => [
        {
            content: "Open the knowledge tab of the ticket",
            trigger: ".o_notebook .nav-link:contains('Knowledge')",
            run: "click",
        },
        {
            content: "Insert the suggested article into a reply",
            trigger:
                ".o_helpdesk_kb_suggestions .o_data_row:contains('Printer menampilkan') button.o_helpdesk_kb_insert",
            run: "click",
        },
        {
            content: "The composer holds the article and its link",
            trigger: ".modal .o_field_html:contains('bersihkan rol dan sensor')",
        },
        {
            content: "Send the answer",
            trigger: ".modal button[name='action_send_mail']",
            run: "click",
        },
        {
            content: "The answer is in the chatter",
            trigger: ".o-mail-Message:contains('bersihkan rol dan sensor')",
        },
    ],
});
