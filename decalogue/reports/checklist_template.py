"""The commented starting file `decalogue checklists new` writes, with the text it cites.

Everything in it is a fictional example (Exampleland) and says so: an author
replaces it with their own source and items. It validates as written, so the
first `decalogue validate` an author runs is green.
"""

from __future__ import annotations

import re

SCHEMA_FILE = "checklist.schema.json"

_SOURCE = """\
EXAMPLELAND ACT ON ASSISTANCE TO VICTIMS (a fictional text, for a template only)

Article 1. Every victim shall have access to shelter and to medical care from the
first contact with the authorities.

Article 2. The Ministry shall publish each year the number of victims assisted.
"""

_TOML = """\
#:schema ./{schema}
# A checklist of your own, to start from. Everything below is a FICTIONAL EXAMPLE
# (Exampleland): replace the source text and the items with yours, then run
#   decalogue validate {name}.toml       every problem, at its line and column
#   decalogue checklists add {name}.toml register it, so every command finds it by id
# The format is described in the README ("The checklist format") and by
# `decalogue schema checklist`; {schema} makes editors with TOML schema
# support (Taplo, Even Better TOML) complete and check the file as you type.

[meta]
id = "{ident}"                # stable: assessments record it; never change it
title = "Example checklist (fictional)"
version = "0.1.0"             # raise it whenever items change
language = "en"
description = "A fictional example to start from; not about any real country."
limits = "The source is a fictional text written for this template."

# The scale: levels run 0, 1, 2, ... without gaps; the highest is the full score.
[[scale.levels]]
value = 0
label = "Not in place"
[[scale.levels]]
value = 1
label = "Partial"
[[scale.levels]]
value = 2
label = "Full"

[scale.not_applicable]
label = "N/A"

# A source with a text beside this file: quotes are checked word for word.
[[sources]]
id = "example-act"
file = "{source}"
title = "Exampleland Act on Assistance to Victims (fictional)"

[[pillars]]
id = "P1"
title = "Assistance"

[[pillars.sections]]
id = "P1-A"
title = "Immediate assistance"

[[pillars.sections.items]]
id = "P1-01"                  # stable: answers are keyed on it
title = "Shelter and medical care"
question = "To what extent does every victim have access to shelter and medical care?"
guidance = "Look for the law that provides it and for figures on who received it."
descriptors = {{ 0 = "Neither is provided for.", 2 = "Both, for every victim, at once." }}
[[pillars.sections.items.refs]]
source = "example-act"
quote = "Every victim shall have access to shelter and to medical care"

[[pillars.sections.items]]
id = "P1-02"
title = "Yearly figures"
question = "Are the numbers of victims assisted published every year?"
[[pillars.sections.items.refs]]
source = "example-act"
quote = "publish each year the number of victims assisted"
"""


def template(stem: str) -> tuple[str, str, str]:
    """(TOML text, source file name, source text) for a checklist file named `stem`.toml."""
    ident = re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "my-checklist"
    source = f"{stem}-source.txt"
    text = _TOML.format(schema=SCHEMA_FILE, name=stem, ident=ident, source=source)
    return text, source, _SOURCE
