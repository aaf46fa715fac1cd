"""Phone numbers of SMS senders and callers: one normal form, and the contacts that have it.

SMS and VoIP normalise numbers alike, with Odoo's phone formatting (phone_validation). A number that
the phonenumbers library calls possible but not valid (a range it does not know, e.g. 0999 1234 5678
in Indonesia) keeps its E.164 form too; Odoo leaves the phone_sanitized of its contact empty, so that
contact is found by the number as written on it.
"""
import re

import phonenumbers

from odoo.addons.phone_validation.models.mail_thread_phone import PHONE_REGEX_PATTERN


def _parse_possible(number, country):
    """The phonenumbers object of number if it is at least possible, else None."""
    try:
        parsed = phonenumbers.parse(number, country.code or None)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def normalize(env, number, country):
    """E.164 form of number (0812… is +62812… for Indonesia), or False when it is no phone number.

    :param country: res.country of numbers written without international prefix (may be empty or None)
    """
    number = (number or "").strip()
    if not any(char.isdigit() for char in number):
        return False
    country = country or env["res.country"]
    formatted = env["res.partner"]._phone_format_number(number, country, force_format="E164")
    if formatted:
        return formatted
    parsed = _parse_possible(number, country)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if parsed else False


def partners_by_number(env, numbers):
    """{E.164 number: contact} for numbers given by normalize(), a person before their company, then
    the oldest contact.

    One query on phone_sanitized; numbers Odoo does not validate are then looked up by the digits
    written on contacts without a sanitized number, in E.164 and national form.
    """
    numbers = {number for number in numbers if number and number.startswith("+")}
    if not numbers:
        return {}
    Partner = env["res.partner"]
    result = {}
    for partner in Partner.search_fetch([("phone_sanitized", "in", list(numbers))], ["phone_sanitized"],
                                        order="is_company, id"):
        result.setdefault(partner.phone_sanitized, partner)
    no_country = env["res.country"]
    unvalidated = {
        number for number in numbers - result.keys()
        if not Partner._phone_format_number(number, no_country, force_format="E164")
    }
    if not unvalidated:
        return result
    written = set()
    for number in unvalidated:
        parsed = _parse_possible(number, no_country)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL) if parsed else ""
        written.update(filter(None, [number, re.sub(PHONE_REGEX_PATTERN, "", national)]))
    candidates = Partner.search_fetch(
        [("phone_sanitized", "=", False), ("phone_mobile_search", "in", sorted(written))],
        ["phone", "country_id"], order="is_company, id",
    )
    for partner in candidates:
        number = normalize(env, partner.phone, partner.country_id or env.company.country_id)
        if number in unvalidated:
            result.setdefault(number, partner)
    return result
