from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize
from odoo.tools.mail import single_email_re

from ..tools import phone
from .portal import HelpdeskCustomerPortal

# Size limits of a request filed without an account.
MAX_NAME = 100
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000
MAX_PUBLIC_FILES = 5
# Hidden from people, filled in by robots.
HONEYPOT_FIELD = "website_url"


class HelpdeskPublicRequest(HelpdeskCustomerPortal):
    """/helpdesk/request: a ticket filed without an account (company setting, off by default)."""

    def _public_request_company(self):
        # sudo: the public user reads whether its company opened the form
        company = request.env.company.sudo()
        if not company.helpdesk_public_request:
            raise NotFound()
        return company

    def _public_request_values(self, company, form=None, errors=None):
        return {
            "company": company,
            "form": form or {},
            "errors": errors or [],
            "honeypot_field": HONEYPOT_FIELD,
            "max_files": MAX_PUBLIC_FILES,
            "max_upload_mb": company.helpdesk_portal_max_upload_mb or 10,
            "max_subject": MAX_SUBJECT,
            "max_description": MAX_DESCRIPTION,
            "max_name": MAX_NAME,
        }

    @http.route(["/helpdesk/request"], type="http", auth="public", methods=["GET"], website=True, sitemap=False)
    def public_request_form(self, **kw):
        company = self._public_request_company()
        return request.render("helpdesk_ticketing.public_request_form", self._public_request_values(company))

    @http.route(["/helpdesk/request"], type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def public_request_submit(self, **form):
        company = self._public_request_company()
        env = request.env
        files = [f for f in request.httprequest.files.getlist("attachments") if f.filename]
        form = {key: value for key, value in form.items() if isinstance(value, str)}
        if form.get(HONEYPOT_FIELD):
            errors = [env._("Your request could not be sent. Please try again.")]
            return self._public_request_error(company, form, errors)
        vals, contact, errors = self._check_public_request(company, form)
        if len(files) > MAX_PUBLIC_FILES:
            errors.append(env._("Attach at most %(count)s files to a request.", count=MAX_PUBLIC_FILES))
        else:
            errors += self._check_uploads(files)
        # Every submission counts, valid or not: a sender trying again and again is stopped too.
        addresses = [("ip", request.httprequest.remote_addr or "?")]
        addresses += [("contact", key) for key in (contact["email"], contact["phone"]) if key]
        # sudo: the counts are technical records the public user may not read
        if env["helpdesk.public.request.sender"].sudo()._count_request(company, addresses):
            errors = [env._("You sent too many requests in a short time. Please try again in an hour, "
                            "or call us.")]
            return self._public_request_error(company, form, errors, status=429)
        contents = [] if errors else self._read_uploads(files, errors)
        if errors:
            return self._public_request_error(company, form, errors)
        ticket = self._create_public_ticket(company, vals, contact, contents)
        return request.render("helpdesk_ticketing.public_request_done", {
            "company": company,
            "ticket": ticket,
            "follow_url": ticket.get_portal_url(),
        })

    def _public_request_error(self, company, form, errors, status=400):
        return request.render("helpdesk_ticketing.public_request_form",
                              self._public_request_values(company, form, errors), status=status)

    def _check_public_request(self, company, form):
        """Validate the form; returns (ticket values, contact details, errors)."""
        env = request.env
        errors = []
        name = (form.get("contact_name") or "").strip()
        email_input = (form.get("email") or "").strip()
        phone_input = (form.get("phone") or "").strip()
        subject = (form.get("name") or "").strip()
        description = (form.get("description") or "").strip()
        if not name:
            errors.append(env._("Tell us your name."))
        elif len(name) > MAX_NAME:
            errors.append(env._("Your name is too long: at most %(max)s characters.", max=MAX_NAME))
        email = email_normalize(email_input) if single_email_re.match(email_input) else False
        if email_input and not email:
            errors.append(env._("“%(email)s” is not a valid e-mail address.", email=email_input))
        number = phone.normalize(env, phone_input, company.country_id) if phone_input else False
        if phone_input and not number:
            errors.append(env._("“%(phone)s” is not a valid phone number.", phone=phone_input))
        if not email_input and not phone_input:
            errors.append(env._("Give an e-mail address or a phone number, so that we can answer you."))
        if not subject:
            errors.append(env._("Give your request a subject: describe the problem in a few words."))
        elif len(subject) > MAX_SUBJECT:
            errors.append(env._("The subject is too long: at most %(max)s characters.", max=MAX_SUBJECT))
        if len(description) > MAX_DESCRIPTION:
            errors.append(env._("The description is too long: at most %(max)s characters. Attach a file for "
                                "longer texts.", max=MAX_DESCRIPTION))
        vals = {
            "name": subject,
            "description": Markup("<p>%s</p>") % Markup("<br/>").join(description.splitlines())
            if description else False,
            "channel": "portal",
            "company_id": company.id,
        }
        return vals, {"name": name, "email": email, "phone": number}, errors

    def _public_request_partner(self, company, contact):
        """The contact with this e-mail address, else with this phone number, else a new one."""
        # sudo: the public user may not read contacts; the match only links the new ticket
        Partner = request.env["res.partner"].sudo()
        partner = Partner.browse()
        if contact["email"]:
            partner = Partner.search([("email_normalized", "=", contact["email"])], order="is_company, id", limit=1)
        if not partner and contact["phone"]:
            partner = phone.partners_by_number(Partner.env, [contact["phone"]]).get(contact["phone"], Partner)
        if not partner:
            partner = Partner.create({
                "name": contact["name"],
                "email": contact["email"] or False,
                "phone": contact["phone"] or False,
                "country_id": company.country_id.id,
                "lang": request.env.lang,
            })
        return partner

    def _create_public_ticket(self, company, vals, contact, contents):
        partner = self._public_request_partner(company, contact)
        # sudo: the public user files the ticket; its values were checked and its customer is the
        # contact matched or created above
        ticket = request.env["helpdesk.ticket"].sudo().with_company(company).create(dict(vals, partner_id=partner.id))
        ticket.message_post(
            body=request.env._("Request filed through the public form by %(name)s.", name=contact["name"]),
            author_id=partner.id,
            attachments=contents,
            message_type="comment",
            subtype_xmlid="mail.mt_comment" if contents else "mail.mt_note",
        )
        ticket._portal_ensure_token()
        return ticket
