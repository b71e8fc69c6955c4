# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: build run test load bench clean

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) $(MVNFLAGS) -q package -DskipTests

run: $(JAR)
	java -jar $(JAR) --conf $(CONF)

test:
	$(MVN) $(MVNFLAGS) verify

load:
	@echo "make load: the testbed (issue 4) is not built yet"

bench: $(JAR)
	@echo "make bench: the benchmark set is not built yet"

clean:
	$(MVN) $(MVNFLAGS) -q clean
