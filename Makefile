# warmpool: `make run` starts a worker on conf/worker.json, `make test` runs the whole suite.
MVN     ?= mvn
MVNFLAGS = -B -ntp
JAR      = target/warmpool.jar
CONF    ?= conf/worker.json
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: build run test load bench clean browser-test

build: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) $(MVNFLAGS) -q package -DskipTests

run: $(JAR)
	java -jar $(JAR) --conf $(CONF)

test:
	$(MVN) $(MVNFLAGS) verify
	$(MAKE) browser-test

load:
	@echo "make load: the testbed (issue 4) is not built yet"

bench: $(JAR)
	@echo "make bench: the benchmark set is not built yet"

clean:
	$(MVN) $(MVNFLAGS) -q clean

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
