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
