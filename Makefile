# Convenience targets; each is also a plain script under scripts/ (a fresh Debian machine may
# not have make: the README's two commands use bash directly).
.PHONY: setup run test lint bench package register-sandbox

setup:
	bash scripts/setup.sh

run:
	bash scripts/main.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .

bench: setup
	.venv/bin/python -m bench.ingest_cluster
	.venv/bin/python -m bench.kg_build
	.venv/bin/python -m bench.embeddings
	.venv/bin/python -m bench.learner_scale
	.venv/bin/python -m bench.report

package: setup
	.venv/bin/pyflyte --pkgs workflows package --image localhost:30000/daikiri-python:dev \
		--image learner=localhost:30000/daikiri-learner:dev -o out/flyte-package.tgz --force

register-sandbox: setup
	bash scripts/register.sh
