# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
# The worker is this directory's Maven project. The Java child SDK (children/java) and the Java
# client (clients/java) are their own, installed first: the worker depends on them. The testbed (load tests, benchmarks, chaos runs) is
# its own project in testbed/, built against the worker that `make build` installs.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
CHILD_DIR = children/java
CLIENT_DIR = clients/java
SOURCES := pom.xml $(CHILD_DIR)/pom.xml $(CLIENT_DIR)/pom.xml $(shell find src/main $(CHILD_DIR)/src/main $(CLIENT_DIR)/src/main -type f 2>/dev/null)
# the load generator draws its plots off screen, and stays small beside the worker it measures
TESTBED_JVM ?= -Djava.awt.headless=true -XX:+UseSerialGC -Xmx512m
SCENARIO ?= smoke
URL      ?=

.PHONY: build install run test load bench clean browser-test cluster-demo

build: $(JAR)

# the artifacts an application depends on, in the local Maven repository (building installs
# them): io.warmpool:warmpool-child (the Java child SDK), io.warmpool:warmpool-client (the Java
# WebSocket client, docs/clients.md) and io.warmpool:warmpool (the library, docs/embedding.md),
# version 0.1.0-SNAPSHOT; target/warmpool.jar is the standalone worker
install: $(JAR)

# the child SDK and the client first, into ~/.m2: the worker depends on them. Install, not only
# package: the testbed builds against the worker's jar and test-jar in ~/.m2
$(JAR): $(SOURCES)
	$(MVN) $(MVNFLAGS) -q -f $(CHILD_DIR) install -DskipTests
	$(MVN) $(MVNFLAGS) -q -f $(CLIENT_DIR) install -DskipTests
	$(MVN) $(MVNFLAGS) -q install -DskipTests

# the worker's heap, sized for conf/worker.json's bounds (docs/operations.md, "The worker's heap")
WORKER_HEAP ?= 384m

run: build
	java -Xmx$(WORKER_HEAP) -jar $(JAR) --conf $(CONF)

# The testbed project: its classes and the class path of its test scope (the harnesses live in
# its src/test, beside the worker's test helpers they use). Its programs run from this directory.
TESTBED_POM  = testbed/pom.xml
TESTBED_CP   = testbed/target/classpath.txt
TESTBED_SOURCES := $(TESTBED_POM) $(shell find testbed/src -type f 2>/dev/null)
TESTBED_RUN  = java -cp testbed/target/classes:testbed/target/test-classes:$$(cat $(TESTBED_CP))
# regenerateFile: rewritten even when unchanged, so that it is newer than the jar it was made for
TESTBED_CP_GOAL = dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.regenerateFile=true

$(TESTBED_CP): $(JAR) $(TESTBED_SOURCES)
	$(MVN) $(MVNFLAGS) -q -f $(TESTBED_POM) test-compile $(TESTBED_CP_GOAL)

# The child SDK's and the client's tests (then their jars into ~/.m2, for the worker), the worker's unit and
# integration tests (then its jar and test-jar into ~/.m2), the testbed's tests with the 40-second
# chaos run, then the smoke load test: it exits non-zero when a job gets no terminal event or the
# worker errs
test:
	$(MVN) $(MVNFLAGS) -q -f $(CHILD_DIR) install
	$(MVN) $(MVNFLAGS) -q -f $(CLIENT_DIR) install
	$(MVN) $(MVNFLAGS) install
	$(MVN) $(MVNFLAGS) -f $(TESTBED_POM) verify $(TESTBED_CP_GOAL)
	$(MAKE) prometheus-test
	$(MAKE) test-children
	$(MAKE) test-examples
	$(MAKE) load SCENARIO=smoke
	$(MAKE) browser-test

# The child SDKs' own tests and their examples' tests, run as a user would from each folder.
# The Python package is installed into a virtual environment of its own, offline: pip takes the
# build backend (setuptools and wheel, Debian's) from the environment instead of the package
# index, as children/python/README.md tells a user on a machine without one.
PYENV      = target/python-env
PYTHON_SYS = /usr/bin/python3
.PHONY: test-children test-python test-node test-java-example test-embedded-example
test-children: test-python test-node test-java-example test-embedded-example

# the Java example, against the child SDK that `make test` put into ~/.m2 first
test-java-example:
	cd examples/java-job && $(MVN) $(MVNFLAGS) -q verify

# the embedding example, a Vert.x application of its own against the library that `make test`
# installed first, with Logback as its binding: it must build, pass its test and make SLF4J say
# nothing (a second binding, or none, makes it warn at start). Its test also counts the bindings
# itself: SLF4J may speak before surefire shows a test's output
EMBEDDED_LOG = target/embedded-example.log
test-embedded-example:
	@mkdir -p target
	cd examples/embedded && $(MVN) $(MVNFLAGS) verify > ../../$(EMBEDDED_LOG) 2>&1 || { cat ../../$(EMBEDDED_LOG); exit 1; }
	@if grep -E 'SLF4J\(W\)|SLF4J:' $(EMBEDDED_LOG); then echo "SLF4J warned while examples/embedded ran (full output: $(EMBEDDED_LOG))"; exit 1; fi

test-python:
	cd children/python && python3 -m unittest discover -s tests -t .
	@$(PYTHON_SYS) -c 'import ensurepip, venv, setuptools, wheel' 2>/dev/null || { \
	  echo "installing Debian's python3-venv, python3-setuptools and python3-wheel to install the SDK offline"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-setuptools python3-wheel; }
	rm -rf $(PYENV) && $(PYTHON_SYS) -m venv --system-site-packages $(PYENV)
	$(PYENV)/bin/pip install -q --no-build-isolation --no-index ./children/python
	cd examples/python-job && ../../$(PYENV)/bin/python -m unittest

test-node:
	cd children/node && node --test
	cd examples/node-job && npm install --no-audit --no-fund && npm test

# Each example tried as its README tells a stranger to: a worker started from the example's own
# folder on its worker.json, the README's first job over the WebSocket, then SIGTERM (after
# test-children, which builds the examples)
.PHONY: test-examples
test-examples: build $(TESTBED_CP)
	$(TESTBED_RUN) io.warmpool.examples.ExamplesCheck

# make load SCENARIO=name [URL=ws://host:port/ws]: a scenario of testbed/scenarios/, report under testbed/reports/;
load: build $(TESTBED_CP)
	$(TESTBED_RUN) $(TESTBED_JVM) io.warmpool.testbed.LoadTest --scenario $(SCENARIO) --conf $(CONF) $(if $(URL),--url $(URL))

# the benchmark set behind docs/performance.md, which it rewrites (about an hour, the policies 40 minutes of it);
# BENCH=warm,burst runs only some of it, RUNS=3 runs each more often, QUICK=1 shortens the runs
bench: build $(TESTBED_CP)
	$(TESTBED_RUN) $(TESTBED_JVM) io.warmpool.testbed.Bench $(if $(BENCH),--only $(BENCH)) $(if $(RUNS),--runs $(RUNS)) $(if $(QUICK),--quick)

clean:
	$(MVN) $(MVNFLAGS) -q -f $(CHILD_DIR) clean
	$(MVN) $(MVNFLAGS) -q -f $(CLIENT_DIR) clean
	$(MVN) $(MVNFLAGS) -q clean
	$(MVN) $(MVNFLAGS) -q -f $(TESTBED_POM) clean

# The dashboard (GET /) in a real browser: Debian's chromium driven by playwright-core against a
# worker started from the jar. Installs what it needs (chromium from Debian, as root in CI);
# writes target/dashboard.png.
BROWSER_DIR = src/test/browser
CHROMIUM   ?= /usr/bin/chromium

browser-test: $(JAR)
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	npm ci --prefix $(BROWSER_DIR) --no-audit --no-fund
	cd $(BROWSER_DIR) && CHROMIUM=$(CHROMIUM) node --test

# make cluster-cert: a self-signed key pair for the clustered event bus's TLS, for tests and
# demos: $(CLUSTER_CERT), a PKCS#12 file every node shares (cluster.tlsKeyStore), password
# $(CLUSTER_CERT_PASSWORD) (cluster.tlsKeyStorePassword). A real cluster makes its own the
# same way, with a password of its own (docs/security.md)
KEYTOOL ?= keytool
CLUSTER_CERT ?= target/cluster.p12
CLUSTER_CERT_PASSWORD ?= changeit

.PHONY: cluster-cert
cluster-cert:
	@mkdir -p $(dir $(CLUSTER_CERT))
	rm -f $(CLUSTER_CERT)
	$(KEYTOOL) -genkeypair -alias warmpool-cluster -keyalg EC -groupname secp256r1 -dname CN=warmpool-cluster \
	  -validity 825 -storetype PKCS12 -keystore $(CLUSTER_CERT) \
	  -storepass $(CLUSTER_CERT_PASSWORD) -keypass $(CLUSTER_CERT_PASSWORD)

$(CLUSTER_CERT):
	$(MAKE) cluster-cert

# make cluster-demo N=3: N clustered workers on 127.0.0.1 (web 8081…, Hazelcast 5701…), each
# logging to target/cluster-demo-<i>.log; Ctrl-C drains and stops them all (docs/cluster.md).
# TLS=1: their event bus over TLS with $(CLUSTER_CERT) (made by cluster-cert when missing)
cluster-demo: $(JAR) $(if $(TLS),$(CLUSTER_CERT))
	@n=$(or $(N),3); \
	members=$$(seq -s, -f '"127.0.0.1:%g"' 5701 $$((5700 + n))); \
	pids=; \
	trap 'echo; echo "stopping $$n nodes (draining)"; kill -TERM $$pids 2>/dev/null; wait; exit 0' INT TERM; \
	for i in $$(seq 1 $$n); do \
	  WARMPOOL_CLUSTER_ENABLED=true WARMPOOL_CLUSTER_PORT=$$((5700 + i)) WARMPOOL_CLUSTER_MEMBERS="[$$members]" \
	    $(if $(TLS),WARMPOOL_CLUSTER_TLSKEYSTORE=$(CLUSTER_CERT) WARMPOOL_CLUSTER_TLSKEYSTOREPASSWORD=$(CLUSTER_CERT_PASSWORD)) \
	    WARMPOOL_WEB_PORT=$$((8080 + i)) java -jar $(JAR) --conf $(CONF) > target/cluster-demo-$$i.log 2>&1 & \
	  pids="$$pids $$!"; \
	  echo "node $$i: http://127.0.0.1:$$((8080 + i))  (GET /worker shows the cluster; log target/cluster-demo-$$i.log)"; \
	done; \
	echo "Ctrl-C stops all $$n nodes"; \
	wait

# Chaos run (docs/reliability.md): two in-process workers under a steady job load while a monkey
# kills, stops and breaks their children for CHAOS_SECONDS; prints the summary and fails if any
# job lost its one terminal event, got a wrong reason, or a process leaked. `make test` runs a
# 40-second one (ChaosTest).
CHAOS_SECONDS ?= 180

.PHONY: chaos
chaos: $(TESTBED_CP)
	$(TESTBED_RUN) -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.warmpool.chaos.ChaosRun $(CHAOS_SECONDS)

# The harnesses behind the hand-measured figures of docs/performance.md and docs/child-runtime.md;
# ARGS goes to the harness (see testbed/README.md), e.g. make bench-pool ARGS="100 1".
ARGS ?=

.PHONY: bench-pool bench-cluster bench-child-start bench-idle-connections bench-flood soak fuzz-frames

# the pool verticle in-process: warm-up time, idle child memory, start latency [jobs [maxJobsPerProcess]]
bench-pool: $(TESTBED_CP)
	$(TESTBED_RUN) io.warmpool.bench.PoolBenchmark $(ARGS)

# forwarded job start latency between two clustered nodes in one JVM [jobs]
bench-cluster: $(TESTBED_CP)
	$(TESTBED_RUN) io.warmpool.cluster.ClusterBenchmark $(ARGS)

# children's start time and memory [runs]: the demo and a user's job, started as the worker
# starts them, with and without their class-data archive, beside the Python and Node SDKs'
bench-child-start: build $(TESTBED_CP)
	$(TESTBED_RUN) io.warmpool.child.ChildStartBenchmark $(ARGS)

# a worker started from the jar with idle WebSocket subscribers: heap and CPU [connections [seconds]]
bench-idle-connections: build $(TESTBED_CP)
	$(TESTBED_RUN) io.warmpool.bench.IdleConnectionsBenchmark $(ARGS)

# The soak (issue #15): a worker from the jar with -Xmx$(SOAK_HEAP), echo jobs at SOAK_RATE a second for
# SOAK_SECONDS, FLOODERS clients that stop reading and keep sending, /health every 100 ms and the
# live heap after a full GC every minute; prints a table for docs/performance.md and fails if a
# job is lost, the worker dies, runs out of memory or does not stop cleanly, or its live heap
# passes SOAK_HEAP_BOUND_MB (default 75 % of the heap). FLOOD_FRAMES=submit,subscribe narrows what
# the misbehaving clients send (default: unknown-op,bad-json,submit,subscribe). The harness itself
# gets SOAK_JVM
SOAK_SECONDS ?= 1800
SOAK_RATE    ?= 100
SOAK_HEAP    ?= $(WORKER_HEAP)
FLOODERS     ?= 2
SOAK_HEAP_BOUND_MB ?=
FLOOD_FRAMES ?=
SOAK_JVM     ?= -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
SOAK_RUN      = $(TESTBED_RUN) $(SOAK_JVM) io.warmpool.bench.SoakRun --heap $(SOAK_HEAP) \
  $(if $(SOAK_HEAP_BOUND_MB),--heap-bound-mb $(SOAK_HEAP_BOUND_MB)) $(if $(FLOOD_FRAMES),--flood-frames $(FLOOD_FRAMES))

soak: build $(TESTBED_CP)
	$(SOAK_RUN) --seconds $(SOAK_SECONDS) --rate $(SOAK_RATE) --flooders $(FLOODERS)

# the same run with misbehaving clients only, no job traffic [flooding clients [seconds]] (200, 60)
bench-flood: build $(TESTBED_CP)
	set -- $(ARGS); $(SOAK_RUN) --rate 0 --flooders $${1:-200} --seconds $${2:-60}

# the worker's property tests of its frame parsers (web and pool), fed by io.warmpool.fuzz.FrameFuzz
fuzz-frames:
	$(MVN) $(MVNFLAGS) -q test -Dtest='ClientFrameFuzzTest,WsSessionFuzzTest,ChildChannelFuzzTest'

# The operator's side (docs/operations.md, "Run it in production"): the rules of deploy/prometheus
# checked and unit-tested by promtool, then every query of the docs, the Kubernetes manifests, the
# rules and the Grafana dashboard run by a real Prometheus that scrapes a worker started from the
# jar as deploy/kubernetes/deployment.yaml configures it (PrometheusQueriesTest, about 30 s).
# Installs Debian's prometheus when missing (as root, as CI is); starts its own, never the service.
.PHONY: prometheus-test
prometheus-test: build
	@command -v prometheus >/dev/null && command -v promtool >/dev/null || { echo "installing Debian's prometheus for the Prometheus test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }
	promtool check rules deploy/prometheus/warmpool.rules.yml
	cd deploy/prometheus && promtool test rules warmpool.rules.test.yml
	$(MVN) $(MVNFLAGS) -q -f $(TESTBED_POM) test -Dtest=PrometheusQueriesTest -Dsurefire.failIfNoSpecifiedTests=false

# make image: the worker's container image as an OCI tarball, $(IMAGE_TAR), built by Jib without a
# Docker daemon (pom.xml). Its base, IMAGE_BASE, is by default made on this machine from Debian's
# packages (deploy/image/make-base.sh: debootstrap and openjdk-17-jre-headless, as root), since no
# container registry may be reachable; on a machine that reaches one, any image with a Java 17+
# runtime on its PATH: make image IMAGE_BASE=eclipse-temurin:17-jre. `podman load -i $(IMAGE_TAR)`
# loads it. make image-test runs it with podman (installed from Debian's packages when missing):
# a job, then SIGTERM while another runs, which must complete before the container exits 0.
# PODMAN_RUNTIME: runc by default, which runs where crun cannot (cgroups v1 and v2 mixed)
IMAGE_BASE_TAR = target/image-base.tar
IMAGE_BASE    ?= tar://$(CURDIR)/$(IMAGE_BASE_TAR)
IMAGE_TAR      = target/warmpool-image.tar
PODMAN_RUNTIME ?= runc

.PHONY: image image-test
image: build $(if $(filter tar://$(CURDIR)/$(IMAGE_BASE_TAR),$(IMAGE_BASE)),$(IMAGE_BASE_TAR))
	$(MVN) $(MVNFLAGS) -q jib:buildTar -Dimage.base=$(IMAGE_BASE)
	@echo "$(IMAGE_TAR): $$(du -h $(IMAGE_TAR) | cut -f1)"

$(IMAGE_BASE_TAR): deploy/image/make-base.sh
	deploy/image/make-base.sh $@

image-test: image
	@command -v podman >/dev/null && { [ -z "$(PODMAN_RUNTIME)" ] || command -v $(PODMAN_RUNTIME) >/dev/null; } || { \
	  echo "installing Debian's podman and $(PODMAN_RUNTIME) for the image test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman $(PODMAN_RUNTIME); }
	PODMAN_RUNTIME=$(PODMAN_RUNTIME) deploy/image/image-test.sh $(IMAGE_TAR)
