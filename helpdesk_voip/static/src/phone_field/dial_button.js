import { Component } from "@odoo/owl";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";

/** Click-to-dial: asks the agent's own softphone to call the number of the field. */
export class HelpdeskVoipDialButton extends Component {
    static template = "helpdesk_voip.DialButton";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get number() {
        return this.props.record.data[this.props.name] || "";
    }

    async onClick() {
        const record = this.props.record;
        if (record.isDirty) {
            await record.save();
        }
        const result = await this.orm.call("res.users", "helpdesk_voip_dial", [
            [user.userId],
            this.number,
            record.resModel,
            record.resId || false,
        ]);
        if (result) {
            await this.action.doAction(result);
        }
    }
}
