"""The HTML report's style sheet and content policy, kept apart from the markup.

The page prints on A4. A report that is not final carries its status (DRAFT,
IN REVIEW) on every page: `STAMP_STYLE` is added for it.
"""

STYLE = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d0d0d0; --bar: #2f6690; --track: #e8e8e8;
  --target: #c0392b; }
* { box-sizing: border-box; }
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); margin: 0 auto;
  max-width: 60rem; padding: 2rem 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid var(--line); }
th { font-weight: bold; font-size: .9rem; color: var(--muted); }
td.num, th.num { text-align: right; white-space: nowrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em;
  white-space: nowrap; }
.text { white-space: pre-wrap; margin: .3rem 0; }
.muted { color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .8rem; margin: .6rem 0; }
.figure { border: 1px solid var(--line); padding: .5rem .8rem; min-width: 9rem; }
.figure b { display: block; font-size: 1.4rem; }
svg { display: block; }
svg.chart { max-width: 100%; height: auto; }
svg text { font: 12px sans-serif; fill: var(--ink); }
.bar-track { fill: var(--track); }
.bar-fill { fill: var(--bar); }
.bar-target { stroke: var(--target); stroke-width: 2; }
.status { border: 2px solid var(--ink); padding: .4rem .8rem; margin: .6rem 0; }
.status b { letter-spacing: .08em; }
.status-draft, .status-review { border-color: var(--target); }
.carried { border-left: 4px solid var(--target); padding: .2rem .8rem; }
.caveats { background: #f6f6f6; padding: .2rem 1rem; margin: 1rem 0; }
.question { color: var(--muted); font-size: .92em; }
.watermark { display: none; }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, .figure, svg, section.item { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; }
}
"""

#: Added for a draft or an assessment in review: the status stamped on every page, on
#: screen as a fixed mark and in print as a page-margin header (Chromium and other
#: paged-media engines) plus the fixed mark, which print engines repeat on each page.
STAMP_STYLE = """
.watermark { display: block; position: fixed; top: 45%; left: 0; right: 0; z-index: 10;
  text-align: center; font: bold 6rem sans-serif; letter-spacing: .2em; color: #c0392b;
  opacity: .12; transform: rotate(-30deg); pointer-events: none; }
@page { @top-center { content: "STAMP"; font: bold 12pt sans-serif; color: #c0392b; } }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
