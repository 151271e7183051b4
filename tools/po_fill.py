"""Fill a gettext catalogue's empty translations from tab-separated lines on stdin.

    python tools/po_fill.py plans/locale/fa/LC_MESSAGES/django.po < translations.tsv

Each line: the English msgid, a TAB, the Persian translation. For a msgid with a context write
"context\x04msgid"; for a plural entry, its singular msgid (every form gets the text).
Lines for msgids not in the catalogue are reported. Then run
`make messages` (or `manage.py compilemessages`) to build the .mo file.
"""

import sys

import polib


def main(path):
    catalogue = polib.pofile(path)
    entries = {(entry.msgctxt + "\x04" if entry.msgctxt else "") + entry.msgid: entry for entry in catalogue}
    unknown = []
    for line in sys.stdin.read().splitlines():
        if not line.strip() or "\t" not in line:
            continue
        msgid, msgstr = line.split("\t", 1)
        msgid = msgid.replace("\\n", "\n").replace("\\x04", "\x04")
        entry = entries.get(msgid)
        if entry is None:
            unknown.append(msgid)
            continue
        msgstr = msgstr.replace("\\n", "\n")
        if entry.msgid_plural:
            # Persian does not inflect the noun after a number: every plural form is the same text.
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural or (0, 1), msgstr)
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.metadata_is_fuzzy = False
    catalogue.metadata["Language"] = "fa"
    catalogue.save()
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    for msgid in unknown:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)
    for msgid in missing:
        print(f"still untranslated: {msgid!r}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
