import { patch } from "@web/core/utils/patch";
import { PhoneField } from "@web/views/fields/phone/phone_field";
import { HelpdeskVoipDialButton } from "./dial_button";

const DIAL_MODELS = ["res.partner", "helpdesk.ticket"];

patch(PhoneField, {
    components: { ...PhoneField.components, HelpdeskVoipDialButton },
});

patch(PhoneField.prototype, {
    get showHelpdeskVoipDial() {
        return DIAL_MODELS.includes(this.props.record.resModel) && Boolean(this.props.record.data[this.props.name]);
    },
});
