# NetEvent: `make run` serves the app with a demo event; `make test` proves it.
SHELL := /bin/bash
.DEFAULT_GOAL := run

TOOLS_DIR ?= $(HOME)/.cache/netevent/tools
export NETEVENT_TOOLS_DIR := $(TOOLS_DIR)
export PATH := $(HOME)/.cargo/bin:$(TOOLS_DIR)/node_modules/.bin:$(PATH)
export DATABASE_URL ?= mysql://root@127.0.0.1:3306/netevent
export LEPTOS_SITE_ROOT ?= target/site
## The browser tests' debug site is built apart, so `make test` never replaces the site a
## running `make run` serves (its page would load a 12 MB debug wasm).
TEST_SITE_ROOT := target/site-test
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: run test tools browser-tools pdf-tools db build release unit faults e2e fuzz-api fuzz-parsers check-backup cluster cluster-down cluster-test cluster-check bench load seed-conference fmt clippy clean

tools:
	@.ci/install-tools.sh

browser-tools:
	@.ci/install-tools.sh --browser

pdf-tools:
	@.ci/install-tools.sh --pdf

db:
	@.ci/ensure-db.sh

release: tools
	cargo leptos build --release --precompress --split

## Build in release mode, migrate, seed the demo on first start and serve on :3000, with its
## mail going to a local mail catcher (maildev) whose inbox is on :1080.
run: release db
	@.ci/start-mail.sh
	NETEVENT_SEED_DEMO=true SMTP_URL=$${SMTP_URL:-smtp://127.0.0.1:1025} $(TARGET_DIR)/release/server

## Unit, integration and fault tests (real MariaDB), browser tests (real Chromium), the JSON
## API fuzzed from its own OpenAPI document (schemathesis), then the untrusted-input parsers
## fuzzed for 20 s each (cargo-fuzz), backup and restore, and the Galera cluster's fault tests.
test: unit faults e2e fuzz-api fuzz-parsers check-backup cluster-check

unit: tools pdf-tools db
	cargo test -p app -p server --features app/ssr -- $(FAULT_TESTS:%=--skip %)

## The fault tests on their own, with their counts printed.
FAULT_TESTS := a_database_crash two_instances_share sigterm_finishes a_mail_server_outage
faults: tools db
	cargo test -p server --features app/ssr --test faults -- --nocapture --test-threads=1

## The debug build and what tests it use the browser-test site, never make run's.
build e2e fuzz-api cluster-check: export LEPTOS_SITE_ROOT := $(TEST_SITE_ROOT)
e2e fuzz-api: export SERVER_BIN := $(TARGET_DIR)/debug/server

build: tools
	cargo leptos build --split

e2e: build browser-tools db
	node end2end/run.mjs

fuzz-api: build db
	end2end/api-fuzz/run.sh

fuzz-parsers:
	fuzz/run.sh

## deploy/backup.sh and deploy/restore.sh round-tripped on scratch databases (docs/deploy.md).
check-backup: db
	deploy/check-backup.sh

## A three-node Galera cluster on loopback, three release instances and HAProxy on :3080
## (docs/deploy.md); `make cluster-down` stops it. Not part of `make run`; `make test` starts
## one of its own (cluster-check).
cluster: release
	@.ci/install-tools.sh --cluster
	deploy/cluster/up.sh

cluster-down:
	@deploy/cluster/down.sh

## The cluster's fault tests against a running `make cluster` (server/tests/cluster.rs).
cluster-test:
	cargo test -p server --features app/ssr --test cluster -- --ignored --nocapture --test-threads=1

## In `make test`: a cluster of its own with the debug build, its fault tests, then stopped
## (it takes the cluster's ports: a running `make cluster` is replaced).
cluster-check: build db
	@.ci/install-tools.sh --cluster
	SERVER_BIN=$(TARGET_DIR)/debug/server deploy/cluster/up.sh && $(MAKE) cluster-test; \
	  status=$$?; [ $$status = 0 ] || deploy/cluster/logs.sh; deploy/cluster/down.sh; exit $$status

bench: tools db
	cargo bench -p server

## The load test: seeds the 20,000-person conference, drives the release server, prints the table.
load: tools db
	cargo bench -p server --bench load

## Seeds the load-test conference into $$DATABASE_URL (see `server seed-conference`).
seed-conference: release db
	$(TARGET_DIR)/release/server seed-conference

fmt:
	cargo fmt --all

clippy:
	cargo clippy -p app -p server --features app/ssr -- -D warnings

clean:
	cargo clean
