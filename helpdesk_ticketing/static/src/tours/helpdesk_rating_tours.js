import { registry } from "@web/core/registry";

/**
 * The customer opens the rating link of an SMS or e-mail on their phone, without logging in, and
 * rates the resolution on Odoo's rating page (run by tests/test_tour_rating.py).
 */
registry.category("web_tour.tours").add("helpdesk_rating_link_without_login", {
    steps: () => [
        {
            content: "The link opened Odoo's rating page, the happy face chosen",
            trigger: ".o_rating_page_submit input#rate_5:checked",
        },
        {
            content: "Change the mind: neutral",
            trigger: ".o_rating_page_submit label[for='rate_3']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_rating_page_submit textarea[name='feedback']",
            run: "edit Teknisi ramah, tapi datangnya terlambat",
        },
        {
            content: "Send the rating",
            trigger: ".o_rating_page_submit button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, still without an account",
            trigger: ".o_rating_page_thank_you h3",
        },
    ],
});

/**
 * An agent answers with a canned reply: "::" offers the team's replies in the customer's language,
 * and the inserted text has the ticket's placeholders filled in (run by tests/test_tour_rating.py).
 */
registry.category("web_tour.tours").add("helpdesk_backend_canned_reply", {
    steps: () => [
        {
            content: "Open the composer to answer the customer",
            trigger: ".o-mail-Chatter-topbar button:contains('Send message')",
            run: "click",
        },
        {
            content: "Call the canned replies",
            trigger: ".o-mail-Composer-input",
            run: "edit ::restart",
        },
        {
            content: "Only the English reply is offered to this customer",
            trigger: ".o-mail-Composer-suggestion:contains('restart-router'):contains('Hello')",
        },
        {
            content: "Insert it",
            trigger: ".o-mail-Composer-suggestion:contains('restart-router')",
            run: "click",
        },
        {
            content: "The placeholders are filled in for the ticket",
            trigger: ".o-mail-Composer-input:value('Hello Siti Rahmawati, about ticket HD/')",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the chatter",
            trigger: ".o-mail-Message:contains('Hello Siti Rahmawati, about ticket')",
        },
    ],
});
