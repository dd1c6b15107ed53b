# Two entry points: `make demo` and `make test`. Everything they need is
# installed under ~/.cache/edgeai-serving; nothing is written into the checkout.
CACHE := $(HOME)/.cache/edgeai-serving
VENV := $(CACHE)/venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | sha256sum | cut -c1-12)

.PHONY: demo demo-llm test controlplane-up controlplane-down bench

$(STAMP): requirements.txt requirements-test.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	touch $@

demo: $(STAMP)
	bash playbooks/demo/run.sh

# playbooks/serve_llm.yml on the local default: the vLLM runtime, an LLM, a chat completion.
demo-llm: $(STAMP)
	bash playbooks/demo/run.sh --llm

test: $(STAMP)
	bash tests/run-all.sh

controlplane-up: $(STAMP)
	$(PY) tests/controlplane/controlplane.py up

controlplane-down: $(STAMP)
	$(PY) tests/controlplane/controlplane.py down

bench: $(STAMP)
	bash benchmarks/run.sh
