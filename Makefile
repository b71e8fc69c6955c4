# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)
# the load generator draws its plots off screen, and stays small beside the worker it measures
TESTBED_JVM ?= -Djava.awt.headless=true -XX:+UseSerialGC -Xmx512m
SCENARIO ?= smoke
URL      ?=

.PHONY: build run test load bench clean

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) $(MVNFLAGS) -q package -DskipTests

run: $(JAR)
	java -jar $(JAR) --conf $(CONF)

# the unit and integration tests, then the smoke load test: it exits non-zero when a job gets no
# terminal event or the worker errs
test:
	$(MVN) $(MVNFLAGS) verify
	$(MAKE) load SCENARIO=smoke

# make load SCENARIO=name [URL=ws://host:port/ws]: a scenario of testbed/scenarios/, report under testbed/reports/
load: $(JAR)
	java $(TESTBED_JVM) -cp $(JAR) io.warmpool.testbed.LoadTest --scenario $(SCENARIO) --conf $(CONF) $(if $(URL),--url $(URL))

# the benchmark set behind docs/performance.md, which it rewrites (about 15 minutes);
# BENCH=warm,burst runs only some of it, RUNS=3 runs each more often, QUICK=1 shortens the runs
bench: $(JAR)
	java $(TESTBED_JVM) -cp $(JAR) io.warmpool.testbed.Bench $(if $(BENCH),--only $(BENCH)) $(if $(RUNS),--runs $(RUNS)) $(if $(QUICK),--quick)

clean:
	$(MVN) $(MVNFLAGS) -q clean
