import { registry } from "@web/core/registry";
import { assertNotCut } from "@helpdesk_ticketing/tours/tour_checks";

/** Throws when a file the page asked for (script, style, image) was not found. */
function assertNothingMissing() {
    const missing = performance.getEntriesByType("resource").filter((entry) => entry.responseStatus >= 400);
    if (missing.length) {
        throw new Error(`not found: ${missing.map((entry) => entry.name).join(", ")}`);
    }
}

/** Leader Rina's terminal list: MAC and IP addresses in full. */
registry.category("web_tour.tours").add("helpdesk_ltsp_terminal_list_tour", {
    steps: () => [
        {
            content: "MAC and IP addresses are shown in full",
            trigger: ".o_data_row td[name='mac_address']:contains(52:54:00:6b:01:01)",
            run() {
                assertNotCut(["mac_address", "ip_address"]);
            },
        },
    ],
});

/** Leader Rina reads the generated ltsp.conf and dnsmasq files of a server. */
registry.category("web_tour.tours").add("helpdesk_ltsp_server_preview_tour", {
    steps: () => [
        {
            content: "Open the ltsp.conf preview",
            trigger: ".o_notebook a[name='ltsp_conf']",
            run: "click",
        },
        {
            content: "The file is shown line by line, with the terminal's section",
            trigger: ".o_field_widget[name='ltsp_conf_preview']:contains([52:54:00:6b:01:01])",
        },
        {
            content: "Open the dnsmasq preview",
            trigger: ".o_notebook a[name='dnsmasq']",
            run: "click",
        },
        {
            content: "The dnsmasq hosts are shown too, and every file the previews needed was found",
            trigger: ".o_field_widget[name='dnsmasq_conf_preview']:contains(52:54:00:6b:01:01)",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 500)); // files loaded by the previews
                assertNothingMissing();
            },
        },
    ],
});
