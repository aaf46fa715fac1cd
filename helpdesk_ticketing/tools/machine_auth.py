"""Machine endpoints (SMS modem hooks, PBX webhooks, LTSP servers) have no Odoo user: a record's
token is their credential. One check for all of them, in constant time, with the same answer for
an unknown record and a wrong token."""

import hmac


def bearer_token(httprequest):
    """The token of an "Authorization: Bearer <token>" header, or ""."""
    header = httprequest.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


def record_for_token(model, record_id, token, token_field="token"):
    """The active record record_id of model (as superuser) whose token_field is token; else an
    empty recordset."""
    # sudo: the caller is a machine without an Odoo user; the token compared below is its credential
    record = model.sudo().browse(record_id).exists()
    expected = (record[token_field] or "") if record and record.active else ""
    if token and expected and hmac.compare_digest(expected.encode(), token.encode()):
        return record
    return record.browse()
