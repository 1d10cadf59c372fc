"""A small valid checklist, written as TOML text, that tests break in one place at a time."""

from __future__ import annotations

TINY = """\
[meta]
id = "tiny"
title = "Tiny checklist"
version = "1.0"

[[scale.levels]]
value = 0
label = "Not in place"
[[scale.levels]]
value = 1
label = "Partial"
[[scale.levels]]
value = 2
label = "Full"

[[sources]]
id = "world-day"
seed = "world-day-victims-rights"

[[sources]]
id = "action-plan"
title = "OSCE Action Plan to Combat Trafficking in Human Beings (2003)"

[[pillars]]
id = "P1"
title = "Guarantees"

[[pillars.sections]]
id = "S1"
title = "Assistance"

[[pillars.sections.items]]
id = "I-01"
title = "Healthcare"
question = "Is access to healthcare guaranteed?"
weight = 2.0
[[pillars.sections.items.refs]]
source = "world-day"
quote = "access to healthcare"

[[pillars.sections.items]]
id = "I-02"
title = "Housing"
question = "Is housing guaranteed?"
descriptors = { 0 = "No shelter", 2 = "Shelter for every victim" }
[[pillars.sections.items.refs]]
source = "world-day"
quote = "\u201cTrafficking in human beings is a heinous crime."
[[pillars.sections.items.refs]]
source = "action-plan"
locator = "chapter on protection and assistance"
"""
