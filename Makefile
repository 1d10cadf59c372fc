# The same commands as scripts/: each sets up .venv on first use.
.PHONY: bench bench-quick test run

bench:
	bash scripts/bench

bench-quick:
	bash scripts/bench --quick

test:
	bash scripts/test

run:
	bash scripts/run
