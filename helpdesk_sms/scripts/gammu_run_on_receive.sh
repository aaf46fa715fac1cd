#!/bin/sh
# gammu-smsd RunOnReceive hook: ask Odoo to import the SMS now (helpdesk_sms).
#   RunOnReceive = /path/to/gammu_run_on_receive.sh URL TOKEN_FILE
# URL is the gateway's "RunOnReceive URL"; TOKEN_FILE holds its token (or give the token itself).
# The token travels in an "Authorization: Bearer" header read by curl from its standard input: it
# appears neither in the URL (access and proxy logs) nor on curl's command line (process list).
# gammu-smsd appends the inbox IDs: Odoo imports every pending row anyway, so they are ignored.
# Odoo's cron imports whatever this call misses (Odoo down, network error).
url="$1"
token="$2"
if [ -z "$url" ] || [ -z "$token" ]; then
    echo "usage: $0 URL TOKEN_FILE|TOKEN" >&2
    exit 2
fi
if [ -r "$token" ]; then
    token="$(cat "$token")"
fi
printf 'Authorization: Bearer %s\n' "$token" | curl --silent --show-error --fail --max-time 60 \
    --request POST --header @- "$url" --output /dev/null
