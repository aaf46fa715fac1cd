import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloatTime } from "@web/views/fields/formatters";
import { useInputField } from "@web/views/fields/input_field_hook";
import { useNumpadDecimal } from "@web/views/fields/numpad_decimal_hook";
import { parseFloatTime } from "@web/views/fields/parsers";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A call's talk time, stored in seconds, shown as minutes:seconds (184 → "3:04") with Odoo's
 * float_time formatting applied to minutes.
 */
export function formatCallDuration(seconds) {
    if (seconds === false || seconds === null || seconds === undefined) {
        return "";
    }
    return formatFloatTime(seconds / 60, { noLeadingZeroHour: true });
}

/** "3:04" (minutes:seconds) or "3" (minutes) → seconds. */
export function parseCallDuration(value) {
    return Math.round(parseFloatTime(value) * 60);
}

export class CallDurationField extends Component {
    static template = "web.FloatTimeField";
    static props = { ...standardFieldProps, inputType: { type: String, optional: true } };
    static defaultProps = { inputType: "text" };

    setup() {
        useInputField({
            getValue: () => this.formattedValue,
            refName: "numpadDecimal",
            parse: parseCallDuration,
        });
        useNumpadDecimal();
    }

    get formattedValue() {
        return formatCallDuration(this.props.record.data[this.props.name]);
    }
}

export const callDurationField = {
    component: CallDurationField,
    displayName: _t("Call Duration"),
    supportedTypes: ["float", "integer"],
    isEmpty: () => false,
};

registry.category("fields").add("helpdesk_voip_duration", callDurationField);
// Totals and averages of list views, pivot measures.
registry.category("formatters").add("helpdesk_voip_duration", formatCallDuration);
