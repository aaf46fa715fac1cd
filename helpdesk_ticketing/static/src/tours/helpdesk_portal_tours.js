import { registry } from "@web/core/registry";

/**
 * End-to-end flows of the customer portal, run by tests/test_tour_portal.py in headless Chromium.
 * The Python test chains them: customer creates -> agent answers -> customer reads and rates;
 * leader approves a work permit -> customer downloads the letter.
 */
const tours = registry.category("web_tour.tours");

tours.add("helpdesk_portal_create_ticket", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "Type the subject",
            trigger: "input[name='name']",
            run: "edit Layar monitor resepsionis berkedip",
        },
        {
            content: "Choose the category",
            trigger: "select[name='category_id']",
            run: "selectByLabel Hardware",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit Sejak pagi layar berkedip setiap beberapa detik.",
        },
        {
            content: "Attach a photo of the screen",
            trigger: "input[name='attachments']",
            run() {
                const input = this.anchor;
                const transfer = new DataTransfer();
                transfer.items.add(new File(["bukti foto layar"], "layar-berkedip.txt", { type: "text/plain" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Submit the ticket",
            trigger: "button.o_helpdesk_submit_ticket",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page confirms the creation",
            trigger: ".o_helpdesk_ticket_created",
        },
        {
            content: "The attachment is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('layar-berkedip')",
        },
    ],
});

tours.add("helpdesk_backend_answer_ticket", {
    steps: () => [
        {
            content: "Open the composer to answer the customer",
            trigger: ".o-mail-Chatter-topbar button:contains('Send message')",
            run: "click",
        },
        {
            content: "Write the answer",
            trigger: ".o-mail-Composer-input",
            run: "edit Monitor akan kami ganti hari ini, teknisi sudah berangkat.",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the chatter",
            trigger: ".o-mail-Message:contains('Monitor akan kami ganti hari ini')",
        },
    ],
});

tours.add("helpdesk_portal_rate_ticket", {
    steps: () => [
        {
            content: "The customer reads the technician's answer",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('Monitor akan kami ganti hari ini')",
        },
        {
            content: "Choose 'satisfied'",
            trigger: ".o_helpdesk_rating_form label[for='rating_5']",
            run: "click",
        },
        {
            content: "Leave a comment",
            trigger: ".o_helpdesk_rating_form textarea[name='feedback']",
            run: "edit Cepat dan ramah, terima kasih!",
        },
        {
            content: "Send the feedback",
            trigger: ".o_helpdesk_rating_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is shown",
            trigger: ".o_helpdesk_last_rating:contains('Cepat dan ramah')",
        },
    ],
});

tours.add("helpdesk_backend_approve_permit", {
    steps: () => [
        {
            content: "Open the approvals tab",
            trigger: ".o_notebook_headers a:contains('Approvals')",
            run: "click",
        },
        {
            content: "Approve the work permit",
            trigger: ".o_field_widget[name='approval_ids'] button[name='action_open_decision_wizard']:contains('Approve')",
            run: "click",
        },
        {
            content: "Write the conditions",
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: "edit Wajib membawa KTP asli dan didampingi petugas DC.",
        },
        {
            content: "Confirm the approval",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The ribbon 'Awaiting Approval' is gone",
            trigger: ".o_form_view:not(:has(.ribbon:contains('Awaiting Approval')))",
        },
        {
            content: "The form is reloaded with the decision",
            trigger: ".o_field_widget[name='approval_ids'] .o_data_row:contains('Approved')",
        },
        {
            content: "Nothing is left unsaved",
            trigger: ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
    ],
});

tours.add("helpdesk_portal_download_permit", {
    steps: () => [
        {
            content: "The approver's comment is shown",
            trigger: ".o_helpdesk_approval_comment:contains('Wajib membawa KTP asli')",
        },
        {
            content: "The letter is a PDF",
            trigger: "a.o_helpdesk_work_permit_download",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const type = response.headers.get("Content-Type") || "";
                const disposition = response.headers.get("Content-Disposition") || "";
                // In test mode Odoo renders reports as HTML; the PDF itself is checked by test_report.py.
                if (!response.ok || !type.includes("pdf") || !disposition.includes("attachment")) {
                    throw new Error(`work permit is not a PDF download: ${response.status} ${type} ${disposition}`);
                }
                document.body.classList.add("o_helpdesk_permit_downloaded");
            },
        },
        {
            content: "Downloaded",
            trigger: "body.o_helpdesk_permit_downloaded",
        },
    ],
});

/**
 * Ticket list on a phone (390 px wide): each ticket row is a card, the status visible without scrolling sideways.
 * The Python test creates "Printer lantai 3 mati" without category or assignee.
 */
tours.add("helpdesk_portal_ticket_list_phone", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "The ticket is a card with its status",
            trigger: ".o_helpdesk_portal_ticket_row:contains('Printer lantai 3 mati') .o_helpdesk_stage",
            run() {
                const width = document.documentElement.clientWidth;
                const badge = this.anchor.getBoundingClientRect();
                const row = this.anchor.closest(".o_helpdesk_portal_ticket_row");
                const card = row.getBoundingClientRect();
                const code = row.querySelector(".o_helpdesk_ticket_code").getBoundingClientRect();
                const subject = row.querySelector(".o_helpdesk_ticket_subject").getBoundingClientRect();
                const header = document.querySelector(".o_helpdesk_portal_tickets thead");
                const problems = [];
                if (document.documentElement.scrollWidth > width) {
                    problems.push(`the page is ${document.documentElement.scrollWidth} px wide for ${width} px`);
                }
                if (badge.left < 0 || badge.right > width || badge.width === 0) {
                    problems.push(`the status is off-screen (${badge.left}-${badge.right} of ${width} px)`);
                }
                if (card.right > width) {
                    problems.push(`the card ends at ${card.right} px of ${width} px`);
                }
                if (Math.abs(badge.top - code.top) > code.height || subject.top < code.bottom) {
                    problems.push("the card does not show its code and status above the subject");
                }
                for (const detail of row.querySelectorAll(".o_helpdesk_ticket_detail")) {
                    const box = detail.getBoundingClientRect();
                    if (box.width && box.top < subject.bottom) {
                        problems.push(`"${detail.textContent}" is beside the subject, not under it`);
                    }
                }
                if (header.getBoundingClientRect().height > 0) {
                    problems.push("the table's headers are shown on a phone");
                }
                if (problems.length) {
                    throw new Error(problems.join("; "));
                }
            },
        },
        {
            content: "The card opens the ticket",
            trigger: ".o_helpdesk_portal_ticket_row:contains('Printer lantai 3 mati') .o_helpdesk_ticket_subject a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page",
            trigger: "#ticket_content h3:contains('Printer lantai 3 mati')",
        },
    ],
});

tours.add("helpdesk_portal_conversation_in_indonesian", {
    steps: () => [
        {
            content: "Odoo's chatter on the ticket page speaks the customer's language",
            trigger: "#chatterRoot:shadow .o-mail-Thread:contains('Percakapan kosong.')",
        },
    ],
});

/**
 * Ticket list on a desktop: a table with its column headers, each ticket one row.
 */
tours.add("helpdesk_portal_ticket_list_desktop", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "The ticket is a row of the table, under the column headers",
            trigger: ".o_helpdesk_portal_ticket_row:contains('Printer lantai 3 mati') .o_helpdesk_stage",
            run() {
                const row = this.anchor.closest(".o_helpdesk_portal_ticket_row");
                const headers = [...document.querySelectorAll(".o_helpdesk_portal_tickets thead th")];
                const problems = [];
                if (!headers.length || headers.some((th) => th.getBoundingClientRect().height === 0)) {
                    problems.push("the column headers are hidden");
                }
                const tops = [...row.children].map((td) => Math.round(td.getBoundingClientRect().top));
                if (new Set(tops).size !== 1) {
                    problems.push(`the row's cells are not on one line (${tops.join(", ")})`);
                }
                if (problems.length) {
                    throw new Error(problems.join("; "));
                }
            },
        },
    ],
});

