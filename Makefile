# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

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

test:
	$(MVN) $(MVNFLAGS) verify

load:
	@echo "make load: the testbed (issue 4) is not built yet"

bench: build
	@echo "make bench: the benchmark set is not built yet"

clean:
	$(MVN) $(MVNFLAGS) -q clean
