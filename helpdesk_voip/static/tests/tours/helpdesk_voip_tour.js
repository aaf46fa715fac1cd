import { registry } from "@web/core/registry";

const TOUR_TOKEN = "helpdesk-voip-tour-token";

/** Call log, click-to-dial and caller pop-up, as agent Budi on customer Siti Rahmawati. */
registry.category("web_tour.tours").add("helpdesk_voip_tour", {
    steps: () => [
        {
            content: "Open the customer's calls",
            trigger: ".o_notebook a[name='helpdesk_voip_calls']",
            run: "click",
        },
        {
            content: "The call log shows the answered demo call with a call-back button",
            trigger: ".o_helpdesk_voip_call_row[data-outcome='answered'] .o_helpdesk_voip_call_back",
        },
        {
            content: "The customer's phone has a dial button",
            trigger: ".o_field_phone .o_helpdesk_voip_dial",
            run: "click",
        },
        {
            content: "No softphone listens: a message that says what to check, no socket error",
            trigger: ".modal:contains(baresip):not(:contains(Errno))",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The PBX reports a ringing call from Siti to Budi's extension",
            trigger: "body:not(:has(.modal))",
            async run() {
                const services = odoo.__WOWL_DEBUG__.root.env.services;
                const [pbx] = await services.orm.searchRead(
                    "helpdesk.voip.pbx", [["name", "=", "Asterisk Kantor Cabang Bandung"]], ["id"]
                );
                const response = await fetch(`/helpdesk_voip/webhook/${pbx.id}`, {
                    method: "POST",
                    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOUR_TOKEN}` },
                    body: JSON.stringify({
                        event: "ringing", call_id: "tour-call-1@asterisk", from: "+62 812 1111 2222", to: "1001",
                    }),
                });
                if (response.status !== 200) {
                    throw new Error(`webhook answered ${response.status}`);
                }
                // Websockets are off in test mode: hand the notification to the pop-up service as the bus would.
                const [call] = await services.orm.searchRead(
                    "helpdesk.voip.call", [["call_id", "=", "tour-call-1@asterisk"]],
                    ["partner_id", "caller_number"]
                );
                services.helpdesk_voip_incoming_call.show({
                    id: call.id,
                    call_id: "tour-call-1@asterisk",
                    number: call.caller_number,
                    partner_id: call.partner_id[0],
                    partner_name: call.partner_id[1],
                    company_name: "PT Maju Bersama",
                    open_tickets: [],
                });
            },
        },
        {
            content: "The pop-up names the caller",
            trigger: ".o_helpdesk_voip_incoming_call:contains(Siti Rahmawati)",
        },
        {
            content: "New ticket from this call",
            trigger: ".o_helpdesk_voip_incoming_call button:contains(New Ticket From This Call)",
            run: "click",
        },
        {
            content: "The ticket is open",
            trigger: ".o_breadcrumb:contains(Phone call from Siti Rahmawati)",
        },
    ],
});
