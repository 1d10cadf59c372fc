"""The PostgreSQL store: a team's assessments in one database instead of one folder.

Opt-in (`--store postgresql://…`, `DECALOGUE_STORE`), with psycopg 3 from the
`postgres` extra. The file workspace stays the default; both keep the same
assessment format, so `push` and `pull` move work between them losslessly.
"""
