import { Component, onWillStart, onWillUnmount, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatDateTime, deserializeDateTime } from "@web/core/l10n/dates";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { formatCallDuration } from "../call_duration/call_duration_field";

const FIELDS = [
    "direction", "outcome", "date_start", "duration", "user_id", "partner_id",
    "partner_number", "ticket_id", "sip_code",
];

/** The calls of a customer or a ticket, newest first, refreshed live when a call ends. */
export class HelpdeskVoipCallLog extends Component {
    static template = "helpdesk_voip.CallLogField";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.state = useState({ calls: [], loaded: false });
        this.onCallUpdated = (payload) => this.refreshIfConcerned(payload);
        this.busService.subscribe("helpdesk_voip/call_updated", this.onCallUpdated);
        onWillUnmount(() => this.busService.unsubscribe("helpdesk_voip/call_updated", this.onCallUpdated));
        onWillStart(() => this.load(this.props));
        onWillUpdateProps((nextProps) => {
            if (nextProps.record.resId !== this.props.record.resId) {
                return this.load(nextProps);
            }
        });
    }

    domain(props) {
        const resId = props.record.resId;
        if (props.record.resModel === "helpdesk.ticket") {
            return [["ticket_id", "=", resId]];
        }
        return ["|", ["partner_id", "=", resId], ["commercial_partner_id", "=", resId]];
    }

    async load(props) {
        if (!props.record.resId) {
            this.state.calls = [];
            this.state.loaded = true;
            return;
        }
        this.state.calls = await this.orm.searchRead("helpdesk.voip.call", this.domain(props), FIELDS, {
            order: "date_start desc, id desc",
            limit: 50,
        });
        this.state.loaded = true;
    }

    refreshIfConcerned(payload) {
        const resId = this.props.record.resId;
        const ids = this.props.record.resModel === "helpdesk.ticket" ? payload.ticket_ids : payload.partner_ids;
        if (resId && (ids || []).includes(resId)) {
            this.load(this.props);
        }
    }

    directionIcon(call) {
        return {
            inbound: "fa-arrow-down",
            outbound: "fa-arrow-up",
            internal: "fa-exchange",
        }[call.direction];
    }

    outcomeClass(call) {
        if (call.outcome === "answered") {
            return "text-success";
        }
        if (["missed", "busy", "failed"].includes(call.outcome)) {
            return "text-danger";
        }
        return "text-info";
    }

    outcomeLabel(call) {
        return {
            ringing: _t("Ringing"),
            in_progress: _t("In progress"),
            answered: _t("Answered"),
            missed: _t("Missed"),
            busy: _t("Busy"),
            failed: _t("Failed"),
        }[call.outcome];
    }

    directionLabel(call) {
        return { inbound: _t("Incoming"), outbound: _t("Outgoing"), internal: _t("Internal") }[call.direction];
    }

    formatDate(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    formatDuration(seconds) {
        return formatCallDuration(seconds || 0);
    }

    async callBack(call) {
        const result = await this.orm.call("helpdesk.voip.call", "action_call_back", [[call.id]]);
        if (result) {
            await this.action.doAction(result);
        }
        await this.load(this.props);
    }

    openCall(call) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "helpdesk.voip.call",
            res_id: call.id,
            views: [[false, "form"]],
        });
    }
}

export const helpdeskVoipCallLog = {
    component: HelpdeskVoipCallLog,
    displayName: _t("Call Log"),
    supportedTypes: ["one2many"],
    relatedFields: [],
};

registry.category("fields").add("helpdesk_voip_call_log", helpdeskVoipCallLog);
