import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

const { Duration } = luxon;

/**
 * A number of hours read as a duration ("24 hours", "1.5 hours" in the user's language), not as
 * a time of day like the float_time widget's "24:00".
 */
export class HoursField extends FloatField {
    static template = "helpdesk_ticketing.HoursField";

    get durationText() {
        const hours = this.props.record.data[this.props.name];
        if (hours === false || hours === undefined) {
            return "";
        }
        return Duration.fromObject({ hours }).toHuman({ maximumFractionDigits: 2 });
    }

    get unitLabel() {
        return _t("hours");
    }
}

export const hoursField = {
    ...floatField,
    component: HoursField,
    displayName: _t("Hours"),
};

registry.category("fields").add("helpdesk_hours", hoursField);
