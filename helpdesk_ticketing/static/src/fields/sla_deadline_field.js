import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatDateTime } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime, Duration } = luxon;

const COLORS = {
    on_track: "text-bg-success",
    at_risk: "text-bg-warning",
    breached: "text-bg-danger",
    met: "text-bg-success",
};
const UNITS = ["years", "months", "weeks", "days", "hours", "minutes"];

/**
 * The time left to the largest whole unit ("2 hours", "3 days"), in the user's language.
 */
export function humanDuration(duration) {
    const shifted = duration.shiftTo(...UNITS).toObject();
    const unit = UNITS.find((name) => Math.floor(shifted[name]) >= 1) || "minutes";
    return Duration.fromObject({ [unit]: Math.max(1, Math.floor(shifted[unit])) }).toHuman();
}

/**
 * An SLA deadline as the time left ("in 4 hours") or the delay ("2 hours late"), coloured by the
 * state of that deadline (green on track or met, orange at risk, red breached), with the exact
 * date as tooltip. The state comes from another field of the record (option state_field).
 */
export class SlaDeadlineField extends Component {
    static template = "helpdesk_ticketing.SlaDeadlineField";
    static props = {
        ...standardFieldProps,
        stateField: { type: String },
        label: { type: String, optional: true },
    };

    get value() {
        return this.props.record.data[this.props.name];
    }

    get state() {
        return this.props.record.data[this.props.stateField];
    }

    get stateLabel() {
        const selection = this.props.record.fields[this.props.stateField].selection;
        return (selection.find(([key]) => key === this.state) || [])[1] || "";
    }

    get colorClass() {
        return COLORS[this.state] || "text-bg-light";
    }

    get text() {
        if (this.state === "met") {
            return this.stateLabel;
        }
        const now = DateTime.now();
        if (this.value < now) {
            return _t("%(duration)s late", { duration: humanDuration(now.diff(this.value)) });
        }
        return this.value.toRelative({ base: now });
    }

    get tooltip() {
        const date = formatDateTime(this.value);
        return this.props.label ? `${this.props.label}: ${date} (${this.stateLabel})` : `${date} (${this.stateLabel})`;
    }
}

export const slaDeadlineField = {
    component: SlaDeadlineField,
    displayName: _t("SLA Deadline"),
    supportedTypes: ["datetime"],
    extractProps: ({ options, string }) => ({
        stateField: options.state_field,
        label: options.label ? string : undefined,
    }),
    fieldDependencies: ({ options }) => [{ name: options.state_field, type: "selection" }],
};

registry.category("fields").add("helpdesk_sla_deadline", slaDeadlineField);
