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

ARCHIVE  = target/child.jsa

build: $(JAR) $(ARCHIVE)

$(JAR): $(SOURCES)
	$(MVN) $(MVNFLAGS) -q package -DskipTests

# AppCDS archive of the Java child's classes: children start faster and share them
# (docs/child-runtime.md). The worker uses it when it lies next to the jar.
$(ARCHIVE): $(JAR)
	java -Xshare:off -XX:DumpLoadedClassList=target/child.classlist -cp $(JAR) \
	  io.warmpool.child.ChildMain --train io.warmpool.demo.DemoEntrypoint > /dev/null
	java -Xshare:dump -XX:SharedClassListFile=target/child.classlist -XX:SharedArchiveFile=$(ARCHIVE) \
	  -cp $(JAR) > /dev/null

run: build
	java -jar $(JAR) --conf $(CONF)

# the unit and integration tests, then the smoke load test: it exits non-zero when a job gets no
# terminal event or the worker errs
test:
	$(MVN) $(MVNFLAGS) verify
	$(MAKE) load SCENARIO=smoke

# make load SCENARIO=name [URL=ws://host:port/ws]: a scenario of testbed/scenarios/, report under testbed/reports/;
# on build, so the worker it starts has the child's class archive as make run's has
load: build
	java $(TESTBED_JVM) -cp $(JAR) io.warmpool.testbed.LoadTest --scenario $(SCENARIO) --conf $(CONF) $(if $(URL),--url $(URL))

# the benchmark set behind docs/performance.md, which it rewrites (about 15 minutes);
# BENCH=warm,burst runs only some of it, RUNS=3 runs each more often, QUICK=1 shortens the runs
bench: build
	java $(TESTBED_JVM) -cp $(JAR) io.warmpool.testbed.Bench $(if $(BENCH),--only $(BENCH)) $(if $(RUNS),--runs $(RUNS)) $(if $(QUICK),--quick)

clean:
	$(MVN) $(MVNFLAGS) -q clean
