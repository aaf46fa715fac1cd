import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/**
 * New ticket form of the portal: while the customer types the subject, suggest the help centre's articles
 * (debounced); "This solved my problem" counts a deflection and closes the form without a ticket.
 */
export class HelpdeskKbSuggestions extends Interaction {
    static selector = ".o_helpdesk_new_ticket_form";
    dynamicContent = {
        "#ticket_name": { "t-on-input": this.debounced(this.suggest, 300) },
        ".o_helpdesk_kb_solved": { "t-on-click.prevent": this.solved },
    };

    setup() {
        this.panel = this.el.querySelector(".o_helpdesk_kb_suggestions");
        this.list = this.el.querySelector(".o_helpdesk_kb_suggestion_list");
        this.template = this.el.querySelector(".o_helpdesk_kb_suggestion_template");
        this.lastQuery = "";
    }

    async suggest() {
        const query = this.el.querySelector("#ticket_name").value.trim();
        if (query === this.lastQuery) {
            return;
        }
        this.lastQuery = query;
        const articles = query.length < 3 ? [] : await this.waitFor(rpc("/helpdesk/help/suggest", { query }));
        if (query !== this.lastQuery) {
            return; // the customer typed on meanwhile: a newer answer is on its way
        }
        this.list.replaceChildren(
            ...articles.map((article) => {
                const item = this.template.content.firstElementChild.cloneNode(true);
                const title = item.querySelector(".o_helpdesk_kb_suggestion_title");
                title.textContent = article.name;
                title.href = article.url;
                // Escaped by the server; only its <mark> highlights are markup.
                item.querySelector(".o_helpdesk_kb_suggestion_headline").innerHTML = article.headline;
                item.querySelector(".o_helpdesk_kb_solved").dataset.articleId = article.id;
                return item;
            })
        );
        this.panel.classList.toggle("d-none", !articles.length);
    }

    async solved(ev) {
        const articleId = parseInt(ev.currentTarget.dataset.articleId);
        const result = await this.waitFor(rpc(`/helpdesk/help/article/${articleId}/solved`, {}));
        const done = this.el.parentElement.querySelector(".o_helpdesk_kb_deflected");
        done.querySelector(".o_helpdesk_kb_deflected_message").textContent = result.message || result.error;
        done.classList.remove("d-none");
        this.el.classList.add("d-none");
    }
}

registry.category("public.interactions").add("helpdesk_ticketing.kb_suggestions", HelpdeskKbSuggestions);
