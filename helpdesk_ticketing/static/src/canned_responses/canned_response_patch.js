import { UseSuggestion } from "@mail/core/common/suggestion_hook";
import { SuggestionService } from "@mail/core/common/suggestion_service";
import { patch } from "@web/core/utils/patch";

/**
 * Canned replies (`::shortcut`) on a helpdesk ticket: only the ones of the ticket's team and
 * customer's language are offered, and the inserted text has its placeholders (customer, code,
 * agent, deadline) filled in by the server for that ticket.
 */
// {ticket id: {canned response id: text rendered for the ticket}}
const renderedByTicket = new Map();

function ticketId(thread) {
    return thread?.model === "helpdesk.ticket" && thread.id ? thread.id : false;
}

patch(SuggestionService.prototype, {
    async fetchSuggestions({ delimiter }, { thread, abortSignal } = {}) {
        await super.fetchSuggestions(...arguments);
        const id = ticketId(thread);
        if (delimiter === "::" && id) {
            const rendered = await this.makeOrmCall(
                "mail.canned.response",
                "helpdesk_ticket_suggestions",
                [id],
                {},
                { abortSignal }
            );
            renderedByTicket.set(id, rendered);
        }
    },
    searchSuggestions({ delimiter }, { thread } = {}) {
        const result = super.searchSuggestions(...arguments);
        const rendered = renderedByTicket.get(ticketId(thread));
        if (delimiter === "::" && rendered) {
            result.suggestions = result.suggestions.filter((response) => response.id in rendered);
        }
        return result;
    },
});

patch(UseSuggestion.prototype, {
    insert(option) {
        const rendered = renderedByTicket.get(ticketId(this.thread));
        if (option.cannedResponse && rendered && option.cannedResponse.id in rendered) {
            option = { ...option, label: rendered[option.cannedResponse.id] };
        }
        return super.insert(option);
    },
});
