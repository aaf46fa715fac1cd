import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/** Caller pop-up: the PBX or the softphone reports a ringing call on this agent's extension. */
export const helpdeskVoipIncomingCallService = {
    dependencies: ["bus_service", "notification", "action", "orm"],
    start(env, { bus_service, notification, action, orm }) {
        const openCallAction = async (callId, method) => {
            const result = await orm.call("helpdesk.voip.call", method, [[callId]]);
            if (result) {
                await action.doAction(result);
            }
        };
        const show = (call) => {
            const lines = [];
            if (call.company_name) {
                lines.push(call.company_name);
            }
            lines.push(call.number || "");
            if (call.partner_id) {
                lines.push(
                    call.open_tickets.length
                        ? _t("Open tickets: %(tickets)s", {
                              tickets: call.open_tickets.map((t) => `${t.code} ${t.name}`).join(", "),
                          })
                        : _t("No open ticket")
                );
            } else {
                lines.push(_t("Unknown number"));
            }
            const buttons = [];
            let close;
            if (call.ticket) {
                // The caller's open ticket the call was linked to: what they most likely call about.
                buttons.push({
                    name: _t("Open Ticket %(code)s", { code: call.ticket.code }),
                    primary: true,
                    onClick: () => {
                        close();
                        openCallAction(call.id, "action_open_ticket");
                    },
                });
            }
            if (call.partner_id) {
                buttons.push({
                    name: _t("Open Customer"),
                    primary: !call.ticket,
                    onClick: () => {
                        close();
                        openCallAction(call.id, "action_open_partner");
                    },
                });
                buttons.push({
                    name: _t("New Ticket From This Call"),
                    onClick: () => {
                        close();
                        openCallAction(call.id, "action_create_ticket");
                    },
                });
            } else {
                buttons.push({
                    name: _t("Create Contact"),
                    primary: true,
                    onClick: () => {
                        close();
                        openCallAction(call.id, "action_create_contact");
                    },
                });
            }
            close = notification.add(lines.join(" · "), {
                title: _t("Incoming call: %(who)s", { who: call.partner_name || call.number }),
                type: "info",
                sticky: true,
                buttons,
                className: "o_helpdesk_voip_incoming_call",
            });
        };
        bus_service.subscribe("helpdesk_voip/incoming_call", show);
        bus_service.start();
        return { show };
    },
};

registry.category("services").add("helpdesk_voip_incoming_call", helpdeskVoipIncomingCallService);
