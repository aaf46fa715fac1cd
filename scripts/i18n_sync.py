"""Refresh each addon's .pot from a database where the addons are installed, and bring its id.po in
line: entries follow the .pot, translations are kept, and what is left untranslated is listed.

    python scripts/i18n_sync.py --db helpdesk_test [--extra OLD.po ...]

--extra names other id.po files (e.g. from a branch being merged) whose translations are reused.
Exits non-zero while any entry of an id.po is untranslated.
"""

import argparse
import os
import subprocess
import sys

import polib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", default=os.path.join(REPO, "odoo.conf"))
    parser.add_argument("--extra", nargs="*", default=[])
    parser.add_argument("--no-export", action="store_true", help="use the .pot files as they are")
    args = parser.parse_args()
    addons = sorted(d for d in os.listdir(REPO) if d.startswith("helpdesk_") and os.path.isdir(os.path.join(REPO, d)))
    odoo_src = os.environ.get("ODOO_SRC", "/opt/odoo-src")
    odoo_bin = os.path.join(odoo_src, "odoo-bin")
    if not os.path.exists(odoo_bin):
        odoo_bin = os.path.join(odoo_src, "setup", "odoo")
    if not args.no_export:
        addons_path = f"{REPO},{odoo_src}/odoo/addons"
        if os.path.isdir(f"{odoo_src}/addons"):  # upstream's git layout
            addons_path += f",{odoo_src}/addons"
        subprocess.run([sys.executable, odoo_bin, f"--addons-path={addons_path}", "i18n", "export",
                        "-c", args.config, "-d", args.db, *addons], check=True)
    known = {}
    for path in args.extra:
        for entry in polib.pofile(path):
            if entry.msgstr and not entry.obsolete:
                known.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    missing_total = 0
    for addon in addons:
        pot_path = os.path.join(REPO, addon, "i18n", f"{addon}.pot")
        po_path = os.path.join(REPO, addon, "i18n", "id.po")
        old = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
        translations = dict(known)
        translations.update({(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr and not e.obsolete})
        pot = polib.pofile(pot_path)
        po = polib.POFile(wrapwidth=78)
        po.metadata = dict(pot.metadata, Language="id", **{"Plural-Forms": "nplurals=1; plural=0;"})
        po.header = pot.header
        missing = []
        for entry in pot:
            entry.msgstr = translations.get((entry.msgctxt, entry.msgid), "")
            if not entry.msgstr:
                missing.append(entry.msgid)
            po.append(entry)
        po.save(po_path)
        missing_total += len(missing)
        for msgid in missing:
            print(f"{addon}: untranslated: {msgid!r}")
    sys.exit(1 if missing_total else 0)


if __name__ == "__main__":
    main()
