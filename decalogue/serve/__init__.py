"""`decalogue serve`: the workbench in browsers, safe to run in a workshop room.

`server` runs it (tokens, Host and Origin checks, limits, one app process per
session); `auth` holds the rules of who may connect, `limits` what a session
may ask, `page` what the browser loads, `processes` how app processes end, and
`roles` what each link may do, which the app process reads back. Importing this
package imports neither textual nor aiohttp.
"""
