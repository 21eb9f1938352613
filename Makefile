# Convenience targets; each is also a plain script under scripts/ (a fresh Debian machine may
# not have make: the README's two commands use bash directly).
# Delivery targets take REGISTRY, VERSION (default: the git SHA), DOMAIN, CONFIG and ACTIVATE
# from the environment or the command line (make register DOMAIN=staging CONFIG=).
.PHONY: setup run test lint bench package images register register-sandbox onboard \
	sandbox-up sandbox-e2e

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
	.venv/bin/python -m bench.spark_vs_pandas --rows 100000 1000000 5000000 --repeat 3
	# 10k, 100k and 1M rows, each a median of 3 (about 75 minutes; 1M alone 48)
	.venv/bin/python -m bench.diagnose --rows 10000 100000 1000000 --repeat 3
	.venv/bin/python -m bench.learner_vs_ontolearn --repeat 3 --max-runtime 10
	.venv/bin/python -m bench.report

REGISTRY ?= localhost:30000
VERSION ?= $(shell git rev-parse --short=12 HEAD)
export REGISTRY VERSION

# the serialization check: exactly what `pyflyte register` would send to a cluster
package: setup
	.venv/bin/pyflyte --pkgs workflows package $(shell bash scripts/image-flags.sh "$(REGISTRY)" "$(VERSION)") \
		-o out/flyte-package.tgz --force

# build and push both images tagged $(VERSION) (needs a Docker daemon)
images:
	bash scripts/images.sh

# register tasks, workflows and launch plans as $(VERSION) to $(DOMAIN) (default development)
register: setup
	bash scripts/register.sh

register-sandbox: images register

# the Flyte sandbox (UI http://localhost:30080/console)
sandbox-up:
	docker compose -f docker-compose.sandbox.yml up -d

# the whole sandbox path, as the CI job sandbox-e2e runs it (scripts/sandbox-e2e.sh)
sandbox-e2e:
	bash scripts/sandbox-e2e.sh

# a new partner project with its domains and quotas: make onboard PROJECT=acme NAME="ACME"
onboard:
	bash scripts/onboard.sh "$(PROJECT)" "$(NAME)"
