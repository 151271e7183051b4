# ruff: noqa: S603, S607 -- a maintainer's command: it runs git on the path it is given.
"""Union of two .po catalogues after a merge conflict: ours, plus their entries whose msgid ours lacks.

Usage (inside a repo during a conflicted merge):
    python3 tools/po_union.py PATH     # reads :2:PATH (ours) and :3:PATH (theirs) from git, writes PATH
then `make messages` (msgmerge + compile; a .mo conflict: take either side, compilemessages rewrites it).
A translated entry wins over an untranslated one with the same key.
"""

import re
import subprocess
import sys


def entries(text):
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    # Obsolete entries (#~) are dropped: makemessages marks what is obsolete again.
    return [b for b in blocks if b.strip() and not re.search(r"^#~ msgid ", b, re.M)]


def key(block):
    """msgctxt + msgid + msgid_plural as one string, whatever the line wrapping."""
    parts, cur = [], False
    for ln in block.splitlines():
        if ln.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid|msgid_plural) "(.*)"$', ln)
        if m:
            cur = True
            parts.append("\x00" + m.group(1) + ":" + m.group(2))
        elif ln.startswith("msgstr"):
            cur = False
        elif cur and ln.startswith('"'):
            parts.append(ln[1:-1])
    return "".join(parts)


def translated(block):
    strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, re.M)
    cont = re.findall(r'^"(.*)"$', block.split("msgstr", 1)[-1], re.M) if "msgstr" in block else []
    return any(strs) or any(cont)


def union(ours, theirs):
    a, b = entries(ours), entries(theirs)
    index = {key(x): i for i, x in enumerate(a)}
    for blk in b:
        k = key(blk)
        if k not in index:
            index[k] = len(a)
            a.append(blk)
        elif not translated(a[index[k]]) and translated(blk):
            a[index[k]] = blk
    return "\n\n".join(a) + "\n"


if __name__ == "__main__":
    path = sys.argv[1]
    ours = subprocess.run(["git", "show", f":2:{path}"], capture_output=True, text=True, check=True).stdout
    theirs = subprocess.run(["git", "show", f":3:{path}"], capture_output=True, text=True, check=True).stdout
    with open(path, "w") as f:
        f.write(union(ours, theirs))
    print(f"{path}: union written")
