import { registry } from "@web/core/registry";
import { assertNotCut } from "@helpdesk_ticketing/tours/tour_checks";

/** Agent Budi's calls: talk times as minutes:seconds, numbers in full. */
registry.category("web_tour.tours").add("helpdesk_voip_call_list_tour", {
    steps: () => [
        {
            content: "The answered demo call lasted 184 seconds: 3:04",
            trigger: ".o_data_row:has(td[name='outcome'] .badge.text-bg-success) td[name='duration']:contains(3:04)",
        },
        {
            content: "The total of the durations is a duration too",
            trigger: ".o_list_footer td.o_list_number",
            run() {
                const total = document.querySelector(".o_list_footer td.o_list_number").textContent.trim();
                if (!/^\d+:\d\d$/.test(total)) {
                    throw new Error(`total duration shown as "${total}"`);
                }
            },
        },
        {
            content: "Caller and callee numbers are shown in full",
            trigger: ".o_data_row td[name='caller_number']",
            run() {
                assertNotCut(["caller_number", "callee_number"]);
            },
        },
        {
            content: "Open the answered call",
            trigger: ".o_data_row:has(td[name='duration']:contains(3:04)) td[name='caller_number']",
            run: "click",
        },
        {
            content: "The form shows the same duration",
            trigger: ".o_field_widget[name='duration'] input",
            run() {
                const value = document.querySelector(".o_field_widget[name='duration'] input").value;
                if (value !== "3:04") {
                    throw new Error(`duration shown as "${value}" on the form`);
                }
            },
        },
    ],
});
