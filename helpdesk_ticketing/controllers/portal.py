import os
from collections import OrderedDict
from operator import itemgetter

from markupsafe import Markup

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import content_disposition, request
from odoo.tools import groupby as groupbyelem

# Documents, pictures and logs a customer typically attaches to a ticket.
ALLOWED_EXTENSIONS = (
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "bmp",
    "webp",
    "txt",
    "log",
    "csv",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "odt",
    "ods",
    "zip",
    "eml",
    "msg",
)
MAX_FILES = 10
# Tickets the customer's session has just written: their next page is read from the primary database.
FRESH_TICKETS_KEY = "helpdesk_fresh_ticket_ids"


def _read_from_replica(controller, rule, args):
    """``readonly`` of the ticket pages: served by a read replica (``db_replica_host``), except the
    first page of a ticket the customer just created, reopened or rated, which a lagging replica
    might not have yet ("not found", or the state before the change): that one reads the primary."""
    fresh = request.session.get(FRESH_TICKETS_KEY) or []
    ticket_id = args.get("ticket_id")
    if ticket_id is None:
        return not fresh
    if ticket_id in fresh:
        request.session[FRESH_TICKETS_KEY] = [t for t in fresh if t != ticket_id]
        return False
    return True


class HelpdeskCustomerPortal(CustomerPortal):
    """Customer side of the helpdesk: /my/tickets (list, page, new, reopen, rating, work permit)."""

    # ------------------------------------------------------------------
    # Home counter
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ticket_count" in counters:
            Ticket = request.env["helpdesk.ticket"]
            values["ticket_count"] = Ticket.search_count([]) if Ticket.has_access("read") else 0
        return values

    # ------------------------------------------------------------------
    # My account: the customer's language (portal pages and e-mails)
    # ------------------------------------------------------------------
    def _parse_form_data(self, form_data):
        """Odoo's contact form does not save the language; ours offers the active languages."""
        form_data = dict(form_data)
        lang = form_data.pop("lang", None)
        address_values, extra_form_data = super()._parse_form_data(form_data)
        if lang in request.env["res.lang"]._get_frontend():
            address_values["lang"] = lang
        elif lang:
            extra_form_data["invalid_lang"] = lang
        return address_values, extra_form_data

    def _validate_address_values(self, address_values, *args, **kwargs):
        invalid_fields, missing_fields, error_messages = super()._validate_address_values(
            address_values, *args, **kwargs
        )
        if kwargs.get("invalid_lang"):
            invalid_fields.add("lang")
            error_messages.append(request.env._("Choose one of the proposed languages."))
        return invalid_fields, missing_fields, error_messages

    def _create_or_update_address(self, partner_sudo, *args, **form_data):
        partner_sudo, feedback = super()._create_or_update_address(partner_sudo, *args, **form_data)
        if "redirectUrl" in feedback and partner_sudo == request.env.user.partner_id and partner_sudo.lang:
            # The portal follows the cookie before the user's language: it follows the new choice.
            request.future_response.set_cookie("frontend_lang", partner_sudo.lang)
        return partner_sudo, feedback

    # ------------------------------------------------------------------
    # Ticket list
    # ------------------------------------------------------------------
    def _ticket_searchbar_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "code": {"label": env._("Code"), "order": "code desc"},
            "name": {"label": env._("Subject"), "order": "name"},
            "stage": {"label": env._("Status"), "order": "stage_id, create_date desc"},
            "priority": {"label": env._("Priority"), "order": "priority desc, create_date desc"},
            "deadline": {"label": env._("Resolution Deadline"), "order": "sla_resolve_deadline asc, id"},
        }

    def _ticket_searchbar_filters(self):
        env = request.env
        return OrderedDict(
            [
                ("all", {"label": env._("All"), "domain": []}),
                ("open", {"label": env._("Open"), "domain": [("is_closed", "=", False)]}),
                ("closed", {"label": env._("Closed"), "domain": [("is_closed", "=", True)]}),
                ("approval", {"label": env._("Awaiting Approval"), "domain": [("approval_state", "=", "pending")]}),
            ]
        )

    def _ticket_searchbar_groupby(self):
        env = request.env
        return {
            "none": {"label": env._("None")},
            "stage_id": {"label": env._("Status")},
            "category_id": {"label": env._("Category")},
            "site_id": {"label": env._("Site / Branch")},
            "partner_id": {"label": env._("Requested By")},
        }

    def _ticket_searchbar_inputs(self):
        env = request.env
        return {
            "all": {"input": "all", "label": env._("Search in All")},
            "code": {"input": "code", "label": env._("Search in Code")},
            "name": {"input": "name", "label": env._("Search in Subject")},
            "message": {"input": "message", "label": env._("Search in Messages")},
        }

    def _ticket_search_domain(self, search_in, search):
        if search_in == "code":
            return Domain("code", "ilike", search)
        if search_in == "name":
            return Domain("name", "ilike", search)
        if search_in == "message":
            return Domain("message_ids.body", "ilike", search)
        return (
            Domain("code", "ilike", search) | Domain("name", "ilike", search) | Domain("description", "ilike", search)
        )

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=_read_from_replica,
    )
    def portal_my_tickets(self, page=1, sortby=None, filterby=None, search=None, search_in="all", groupby="none", **kw):
        values = self._prepare_portal_layout_values()
        Ticket = request.env["helpdesk.ticket"]
        sortings = self._ticket_searchbar_sortings()
        filters = self._ticket_searchbar_filters()
        groupbys = self._ticket_searchbar_groupby()
        inputs = self._ticket_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else "all"

        # The portal record rule limits the search to the customer's company.
        domain = Domain(filters[filterby]["domain"])
        if search:
            domain &= self._ticket_search_domain(search_in, search)
        order = sortings[sortby]["order"]
        if groupby != "none":
            order = f"{groupby}, {order}"

        total = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
                "groupby": groupby,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_tickets_history"] = tickets.ids[:100]
        if groupby != "none":
            grouped_tickets = [Ticket.concat(*group) for __, group in groupbyelem(tickets, itemgetter(groupby))]
        else:
            grouped_tickets = [tickets] if tickets else []
        values.update(
            {
                "grouped_tickets": grouped_tickets,
                "page_name": "ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "searchbar_groupby": groupbys,
                "searchbar_inputs": inputs,
                "sortby": sortby,
                "filterby": filterby,
                "groupby": groupby,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("helpdesk_ticketing.portal_my_tickets", values)

    # ------------------------------------------------------------------
    # Ticket page
    # ------------------------------------------------------------------
    def _ticket_check_access(self, ticket_id, access_token=None):
        return self._document_check_access("helpdesk.ticket", ticket_id, access_token)

    @staticmethod
    def _remember_fresh_ticket(ticket):
        """The customer's next view of this ticket reads the primary database (see _read_from_replica)."""
        fresh = request.session.get(FRESH_TICKETS_KEY) or []
        request.session[FRESH_TICKETS_KEY] = [*fresh[-9:], ticket.id]

    def _ticket_page_values(self, ticket_sudo, access_token, **kwargs):
        values = {
            "page_name": "ticket",
            "ticket": ticket_sudo,
            "approvals": ticket_sudo.approval_ids.sorted("id"),
            "permits": ticket_sudo._portal_work_permits(),
            "can_reopen": ticket_sudo._portal_can_reopen(),
            "last_rating": ticket_sudo.portal_rating_id,
            "can_rate": ticket_sudo.stage_kind == "solved" and not request.env.user._is_public(),
            "error": kwargs.get("error"),
            "success": kwargs.get("success"),
        }
        return self._get_page_view_values(ticket_sudo, access_token, values, "my_tickets_history", False, **kwargs)

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True, readonly=_read_from_replica)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # The page of a merged ticket is the surviving ticket's, for a customer who may see it, and for
        # a visitor who opened the merged ticket's link: a merge keeps to one customer, whose request
        # goes on in the survivor (its link was made by the merge).
        survivor_sudo = ticket_sudo._surviving_ticket()
        if survivor_sudo != ticket_sudo:
            if survivor_sudo.with_env(request.env).has_access("read"):
                return request.redirect(survivor_sudo.access_url)
            if access_token and survivor_sudo.access_token:
                return request.redirect(survivor_sudo.get_portal_url())
        values = self._ticket_page_values(ticket_sudo, access_token, **kw)
        return request.render("helpdesk_ticketing.portal_my_ticket", values)

    @http.route(["/my/tickets/<int:ticket_id>/reopen"], type="http", auth="user", methods=["POST"], website=True)
    def portal_ticket_reopen(self, ticket_id, reason=None, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            ticket_sudo._portal_reopen(reason, request.env.user.partner_id)
        except UserError as error:
            return self._ticket_error_page(ticket_sudo, error.args[0])
        self._remember_fresh_ticket(ticket_sudo)
        return request.redirect(f"/my/tickets/{ticket_sudo.id}")

    @http.route(["/my/tickets/<int:ticket_id>/rate"], type="http", auth="user", methods=["POST"], website=True)
    def portal_ticket_rate(self, ticket_id, rating=None, feedback=None, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            score = int(rating or 0)
        except ValueError:
            score = 0
        try:
            ticket_sudo._portal_rate(score, feedback, request.env.user.partner_id)
        except UserError as error:
            return self._ticket_error_page(ticket_sudo, error.args[0])
        self._remember_fresh_ticket(ticket_sudo)
        return request.redirect(f"/my/tickets/{ticket_sudo.id}?rated=1")

    def _ticket_error_page(self, ticket_sudo, message):
        values = self._ticket_page_values(ticket_sudo, None, error=message)
        return request.render("helpdesk_ticketing.portal_my_ticket", values, status=400)

    @http.route(
        ["/my/tickets/<int:ticket_id>/work_permit/<int:approval_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_ticket_work_permit(self, ticket_id, approval_id, download=False, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        permit = ticket_sudo._portal_work_permits().filtered(lambda a: a.id == approval_id)
        if not permit:
            return request.not_found()
        filename = request.env._("Work Permit %(code)s", code=ticket_sudo.code)
        return self._ticket_pdf_response(
            ticket_sudo, "helpdesk_ticketing.action_report_work_permit", permit, filename, download
        )

    def _ticket_pdf_response(self, ticket_sudo, report_ref, records, filename, download):
        """A report of the customer's ticket as a PDF response, inline or as a download.

        Rendered as the system: the customer may read the ticket (checked by the caller), not the
        report action."""
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(ticket_sudo.company_id)
            ._render_qweb_pdf(report_ref, records.ids)[0]
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition(f"{filename.replace('/', '-')}.pdf",
                                        disposition_type="attachment" if download else "inline"),
                ),
            ],
        )

    # ------------------------------------------------------------------
    # New ticket
    # ------------------------------------------------------------------
    def _portal_sites(self):
        """Sites the customer may name: their own branches and our shared sites (data centres).

        Shared sites belong to no customer, so the portal record rule hides them; sudo lists only those two kinds.
        """
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            request.env["helpdesk.site"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", [partner.id, False]),
                    ("company_id", "in", [request.env.company.id, False]),
                ]
            )
        )

    def _new_ticket_values(self, form=None, errors=None):
        values = self._prepare_portal_layout_values()
        categories = request.env["helpdesk.category"].search([])
        values.update(
            {
                "page_name": "ticket_new",
                "categories": categories,
                "sites": self._portal_sites(),
                "form": form or {},
                "errors": errors or [],
                "max_upload_mb": request.env.company.helpdesk_portal_max_upload_mb,
                "allowed_extensions": ", ".join(ALLOWED_EXTENSIONS),
            }
        )
        return values

    def _check_uploads(self, files):
        env = request.env
        errors = []
        if len(files) > MAX_FILES:
            errors.append(env._("Attach at most %(count)s files to a ticket.", count=MAX_FILES))
        for upload in files:
            ext = os.path.splitext(upload.filename or "")[1].lower().lstrip(".")
            if ext not in ALLOWED_EXTENSIONS:
                errors.append(
                    env._(
                        "“%(name)s” cannot be attached: files of type “%(ext)s” are not accepted. "
                        "Accepted types: %(allowed)s.",
                        name=upload.filename,
                        ext=ext or "?",
                        allowed=", ".join(ALLOWED_EXTENSIONS),
                    )
                )
        return errors

    def _read_uploads(self, files, errors):
        env = request.env
        max_bytes = (env.company.helpdesk_portal_max_upload_mb or 10) * 1024 * 1024
        contents = []
        for upload in files:
            data = upload.read(max_bytes + 1)
            if len(data) > max_bytes:
                errors.append(
                    env._(
                        "“%(name)s” is larger than %(max)s MB: compress it or split it into several files.",
                        name=upload.filename,
                        max=env.company.helpdesk_portal_max_upload_mb or 10,
                    )
                )
            elif not data:
                errors.append(env._("“%(name)s” is empty.", name=upload.filename))
            else:
                contents.append((upload.filename, data))
        return contents

    def _check_new_ticket_form(self, form):
        """Validate the posted form; returns (ticket values, approval values, errors)."""
        env = request.env
        errors = []
        subject = (form.get("name") or "").strip()
        if not subject:
            errors.append(env._("Give your request a subject: describe the problem in a few words."))
        category = env["helpdesk.category"]
        if form.get("category_id"):
            try:
                category = env["helpdesk.category"].search([("id", "=", int(form["category_id"]))])
            except ValueError:
                category = env["helpdesk.category"]
            if not category:
                errors.append(env._("The chosen category does not exist: choose another one."))
        site = env["helpdesk.site"]
        if form.get("site_id"):
            sites = self._portal_sites()
            site = sites.filtered(lambda s: str(s.id) == form["site_id"])
            if not site:
                errors.append(env._("The chosen site is not one of your sites: choose another one."))
        visit = {}
        wants_visit = bool(form.get("visit_request")) or category.requires_visit
        if wants_visit:
            date_from = self._parse_date(form.get("visit_date_from"))
            date_to = self._parse_date(form.get("visit_date_to")) or date_from
            visitors = (form.get("visitor_names") or "").strip()
            if not site:
                errors.append(env._("A site visit needs the site: choose where the visitors go."))
            if not date_from:
                errors.append(env._("A site visit needs its date: give the first day of the visit."))
            elif date_to < date_from:
                errors.append(env._("The visit cannot end before it starts."))
            elif date_from < fields.Date.context_today(env.user):
                errors.append(env._("The visit cannot start in the past."))
            if not visitors:
                errors.append(env._("A site visit needs the visitors: one per line, with their ID card number."))
            visit = {"visit_date_from": date_from, "visit_date_to": date_to, "visitor_names": visitors}
        description = (form.get("description") or "").strip()
        vals = {
            "name": subject,
            "description": Markup("<p>%s</p>") % Markup("<br/>").join(description.splitlines())
            if description
            else False,
            "partner_id": env.user.partner_id.id,
            "channel": "portal",
            "category_id": category.id,
            "site_id": site.id,
        }
        return vals, visit, errors

    @staticmethod
    def _parse_date(value):
        try:
            return fields.Date.to_date(value) if value else False
        except ValueError:
            return False

    @http.route(["/my/tickets/new"], type="http", auth="user", methods=["GET"], website=True, readonly=True)
    def portal_new_ticket_form(self, **kw):
        return request.render("helpdesk_ticketing.portal_new_ticket", self._new_ticket_values())

    @http.route(["/my/tickets/new"], type="http", auth="user", methods=["POST"], website=True)
    def portal_new_ticket_submit(self, **form):
        files = [f for f in request.httprequest.files.getlist("attachments") if f.filename]
        vals, visit, errors = self._check_new_ticket_form(form)
        errors += self._check_uploads(files)
        contents = [] if errors else self._read_uploads(files, errors)
        if errors:
            return request.render(
                "helpdesk_ticketing.portal_new_ticket", self._new_ticket_values(form, errors), status=400
            )
        try:
            ticket = self._create_portal_ticket(vals, visit, contents)
        except (UserError, ValidationError) as error:
            return request.render(
                "helpdesk_ticketing.portal_new_ticket", self._new_ticket_values(form, [error.args[0]]), status=400
            )
        self._remember_fresh_ticket(ticket)
        return request.redirect(f"/my/tickets/{ticket.id}?created=1")

    def _create_portal_ticket(self, vals, visit, contents):
        env = request.env
        partner = env.user.partner_id
        # Portal users cannot create tickets directly; the values were checked above and the
        # customer is forced to the logged-in user, so the ticket lands in their own company.
        ticket = env["helpdesk.ticket"].sudo().create(vals)
        if visit:
            validations = ticket.approval_ids.filtered(lambda a: a.kind == "validation" and a.state == "pending")
            if validations:
                validations.write(visit)
            else:
                ticket.message_post(
                    body=Markup("<p><b>%s</b></p><p>%s → %s</p><p>%s</p>")
                    % (
                        env._("Site visit requested"),
                        visit["visit_date_from"],
                        visit["visit_date_to"],
                        visit["visitor_names"],
                    ),
                    author_id=partner.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
        if contents:
            ticket.message_post(
                body=env._("Attachments sent with the request."),
                author_id=partner.id,
                attachments=contents,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket
