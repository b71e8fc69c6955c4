# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: build run test load bench clean cluster-demo

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

# make cluster-demo N=3: N clustered workers on 127.0.0.1 (web 8081…, Hazelcast 5701…), each
# logging to target/cluster-demo-<i>.log; Ctrl-C drains and stops them all (docs/cluster.md)
cluster-demo: $(JAR)
	@n=$(or $(N),3); \
	members=$$(seq -s, -f '"127.0.0.1:%g"' 5701 $$((5700 + n))); \
	pids=; \
	trap 'echo; echo "stopping $$n nodes (draining)"; kill -TERM $$pids 2>/dev/null; wait; exit 0' INT TERM; \
	for i in $$(seq 1 $$n); do \
	  WARMPOOL_CLUSTER_ENABLED=true WARMPOOL_CLUSTER_PORT=$$((5700 + i)) WARMPOOL_CLUSTER_MEMBERS="[$$members]" \
	    WARMPOOL_WEB_PORT=$$((8080 + i)) java -jar $(JAR) --conf $(CONF) > target/cluster-demo-$$i.log 2>&1 & \
	  pids="$$pids $$!"; \
	  echo "node $$i: http://127.0.0.1:$$((8080 + i))  (GET /worker shows the cluster; log target/cluster-demo-$$i.log)"; \
	done; \
	echo "Ctrl-C stops all $$n nodes"; \
	wait
