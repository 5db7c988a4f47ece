# 就近帮 gig platform. Prerequisites: JDK 17 and make; everything else is fetched by the build.
#   make run    build if needed, start PostgreSQL, Kafka and the three services (Ctrl-C stops all)
#   make stop   stop everything make run started
#   make test   the whole test suite against real PostgreSQL and Kafka
#   make token ROLE=<resident|worker|finance|admin> SUB=<id>   print a development bearer token
#   make demo   a simulated day of a district (ORDERS=1081 by default), through the public API
#   make dlq    dead letters not dealt with yet, with their reasons (SERVICE=<name> for one service);
#               make replay-dlq publishes them back to their topics, make dlq-done drops them (runbook)
#   make chaos  two replicas of everything, 2,000 orders, every replica kill -9'd three times, the broker
#               and PostgreSQL once; checks nothing is lost, doubled or stuck (target/chaos/report.md)
#   make fuzz   every operation of the three OpenAPI documents, as every caller, with thousands of
#               malformed requests; fails on any 5xx, hang, or row written by a refused request
#               (target/fuzz/report.md; starts the platform if it is not running)
#   make bench  benchmarks, each writing a report under target/bench/: make bench-platform (the whole
#               order life under load, with pgbench and Kafka ceilings of the same run; starts the
#               platform if it is not running), make bench-matching (the nearby search) and make
#               bench-ledger (N=50000 completed orders for W=5000 workers settled in a burst), make
#               bench-startup (each service from java to ready, alone and all at once; needs make stop)

MVNW := ./mvnw -B
SOURCES := $(shell find services deploy/postgres deploy/kafka -type f \( -name '*.java' -o -name '*.properties' -o -name '*.sql' -o -name '*.tsv' -o -name '*.txt' -o -name '*.pem' -o -name '*.html' -o -name '*.css' -o -name '*.js' -o -name pom.xml \) -not -path '*/target/*' 2>/dev/null)
BUILD_STAMP := .local/build.stamp

.PHONY: build run stop test token clean demo fuzz bench bench-platform bench-matching bench-ledger bench-startup dlq replay-dlq dlq-done chaos

build: $(BUILD_STAMP)

$(BUILD_STAMP): $(SOURCES) pom.xml
	$(MVNW) -q install -DskipTests
	@mkdir -p .local && touch $@

run: build
	@bash deploy/local/platform.sh run

stop:
	@bash deploy/local/platform.sh stop

# One module at a time: with two (-T 2) each service's suite ran 1.4-4 times longer and the run took
# 20:48 against 18:38 on two cores (Quarkus boots and timed waits slow each other down more than
# their waiting overlaps)
test:
	$(MVNW) install

token: build
	@test -n "$(ROLE)" -a -n "$(SUB)" || { echo "usage: make token ROLE=<resident|worker|finance|admin> SUB=<id>" >&2; exit 2; }
	@java -cp "services/dev-infra/target/classes:$$(cat services/dev-infra/target/launcher.classpath)" cn.jiujinbang.devinfra.DevTokens "$(ROLE)" "$(SUB)"

demo: build
	@ORDERS=$(or $(ORDERS),1081) bash deploy/local/demo.sh

TOOLS_CP = services/tools/target/classes:$$(cat services/tools/target/tools.classpath)

dlq: build
	@java -cp "$(TOOLS_CP)" cn.jiujinbang.ops.DeadLetters list "$(SERVICE)"

replay-dlq: build
	@java -cp "$(TOOLS_CP)" cn.jiujinbang.ops.DeadLetters replay "$(SERVICE)"

dlq-done: build
	@java -cp "$(TOOLS_CP)" cn.jiujinbang.ops.DeadLetters done "$(SERVICE)"

# ORDERS, SEED, KILLS, FAULT_EVERY, DOWN_FOR, WORKERS, PARALLEL tune it (docs/runbook.md)
chaos: build
	@mkdir -p target/chaos
	java -Xmx768m -cp "$(TOOLS_CP)" cn.jiujinbang.chaos.ChaosRun target/chaos/report.md

fuzz: build
	@bash deploy/local/bench.sh cn.jiujinbang.fuzz.ApiFuzz target/fuzz/report.md

bench: bench-startup bench-platform bench-matching bench-ledger

# each service alone from java to ready, without and with its class-data archive, then all at once
bench-startup: build
	@bash deploy/local/platform.sh startup-bench target/bench/startup-report.md

bench-platform: build
	@bash deploy/local/bench.sh cn.jiujinbang.bench.PlatformBenchmark target/bench/platform-report.md

bench-ledger: build
	@bash deploy/local/bench.sh cn.jiujinbang.bench.LedgerBenchmark target/bench/ledger-report.md

bench-matching: build
	@mkdir -p target/bench
	java -Xmx1g -cp "$(TOOLS_CP)" \
	  cn.jiujinbang.bench.MatchingBenchmark target/bench/matching-report.md

clean: stop
	$(MVNW) -q clean
	rm -rf .local
