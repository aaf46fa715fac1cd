import { registry } from "@web/core/registry";

/** A helpdesk manager copies the smsdrc lines of a gateway for gammu-smsd. */
registry.category("web_tour.tours").add("helpdesk_sms_gateway_tour", {
    steps: () => [
        {
            content: "Open the RunOnReceive tab",
            trigger: ".o_notebook a[name='run_on_receive']",
            run: "click",
        },
        {
            content: "The smsdrc lines are shown",
            trigger: ".o_field_widget[name='smsdrc_example']:contains(RunOnReceive = )",
        },
        {
            content: "They can be copied in one click",
            trigger: ".o_field_widget[name='smsdrc_example'] button.o_clipboard_button",
        },
    ],
});

/** An agent answers by SMS with a canned reply: the text is filled in and the part counter follows. */
registry.category("web_tour.tours").add("helpdesk_sms_canned_reply_tour", {
    steps: () => [
        {
            content: "Open Odoo's SMS composer from the ticket",
            trigger: "button[name='action_open_sms_composer']",
            run: "click",
        },
        {
            content: "Nothing written yet",
            trigger: ".modal .o_sms_count:contains('0 SMS')",
        },
        {
            content: "Look up a canned reply",
            trigger: ".modal .o_field_widget[name='canned_response_id'] input",
            run: "edit restart",
        },
        {
            content: "Only the reply in the customer's language is offered",
            trigger: ".o-autocomplete--dropdown-menu:not(:has(.dropdown-item:contains('restart-router') ~ .dropdown-item:contains('restart-router')))",
        },
        {
            content: "Insert it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('restart-router')",
            run: "click",
        },
        {
            content: "The placeholders are filled in",
            trigger: ".modal .o_field_widget[name='body'] textarea:value('Hello Andi Firmansyah, about ticket HD/')",
        },
        {
            content: "The counter counts the inserted text: two GSM-7 parts",
            trigger: ".modal .o_sms_count:contains('2 SMS (GSM7)')",
        },
        {
            content: "Send it",
            trigger: ".modal button[name='action_send_sms']",
            run: "click",
        },
        {
            content: "The composer closed",
            trigger: "body:not(:has(.modal .o_sms_count))",
        },
    ],
});
