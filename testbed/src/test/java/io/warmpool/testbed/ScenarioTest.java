package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioTest {

  static final Path SHIPPED = Path.of("testbed/scenarios");

  private static JsonObject minimal() {
    return new JsonObject("""
      {"connections": 2, "durationMs": 5000,
       "arrival": {"type": "constant", "rate": 2},
       "mix": [{"weight": 1, "payload": {"op": "echo"}}]}""");
  }

  @Test
  void aMinimalScenarioGetsItsDefaults() throws ScenarioException {
    Scenario scenario = Scenario.fromJson("mini", minimal());

    assertThat(scenario.connections()).isEqualTo(2);
    assertThat(scenario.warmup()).isEqualTo("pool");
    assertThat(scenario.jobMarginMs()).isEqualTo(30_000);
    assertThat(scenario.variants()).containsExactly(new Scenario.Variant("mini", "", new JsonObject()));
    assertThat(scenario.expect()).isEqualTo(Scenario.Expect.NOTHING);
    assertThat(scenario.graceMs()).isEqualTo(30_000);
    assertThat(scenario.externalLoad()).isNull();
  }

  @Test
  void anExternalLoadIsReadWhenGiven() throws ScenarioException {
    Scenario scenario = Scenario.fromJson("osc", minimal()
      .put("externalLoad", new JsonObject("{\"type\": \"square\", \"low\": 0.7, \"high\": 0.8, \"periodMs\": 6000}")));

    assertThat(scenario.externalLoad()).isEqualTo(new ExternalLoad.Square(0.7, 0.8, 6000));
    assertThat(Scenario.fromJson("osc", minimal()
      .put("externalLoad", new JsonObject("{\"type\": \"sine\", \"low\": 0, \"high\": 1, \"periodMs\": 1000}"))).externalLoad())
      .isEqualTo(new ExternalLoad.Sine(0, 1, 1000));
  }

  @Test
  void aBadExternalLoadIsNamedWithWhatIsAllowed() {
    String good = "{\"type\": \"square\", \"low\": 0.7, \"high\": 0.8, \"periodMs\": 6000}";
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("low", -0.1))))
      .hasMessage("externalLoad.low must be a number from 0 to 1, not -0.1");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("high", 1.5))))
      .hasMessage("externalLoad.high must be a number from 0 to 1, not 1.5");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("high", 0.7))))
      .hasMessage("externalLoad.high must be above externalLoad.low (0.7), not 0.7");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("periodMs", 999))))
      .hasMessage("externalLoad.periodMs must be a whole number from 1000 to 3600000, not 999");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("type", "saw"))))
      .hasMessage("externalLoad.type must be one of sine, square, not \"saw\"");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", new JsonObject(good).put("amplitude", 0.1))))
      .hasMessageStartingWith("unknown field externalLoad.amplitude (allowed here: high, low, periodMs, type)");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("externalLoad", 0.75)))
      .hasMessage("externalLoad must be a JSON object, not 0.75");
  }

  @Test
  void variantsMergeTheirOverridesOverTheScenarios() throws ScenarioException {
    JsonObject json = minimal()
      .put("worker", new JsonObject("{\"pool\":{\"maxIdle\":4,\"maxProcesses\":8},\"load\":{\"source\":\"cpu\"}}"))
      .put("variants", new io.vertx.core.json.JsonArray("""
        [{"name": "fixed", "worker": {"load": {"source": "external"}}},
         {"name": "dynamic"}]"""));

    List<Scenario.Variant> variants = Scenario.fromJson("cmp", json).variants();

    assertThat(variants).extracting(Scenario.Variant::name).containsExactly("fixed", "dynamic");
    assertThat(variants.get(0).worker()).isEqualTo(new JsonObject("{\"pool\":{\"maxIdle\":4,\"maxProcesses\":8},\"load\":{\"source\":\"external\"}}"));
    assertThat(variants.get(1).worker()).isEqualTo(new JsonObject("{\"pool\":{\"maxIdle\":4,\"maxProcesses\":8},\"load\":{\"source\":\"cpu\"}}"));
  }

  @Test
  void errorsNameTheFieldTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("connections", 0)))
      .hasMessage("connections must be a whole number from 1 to 1000, not 0");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("durationMs", "10s")))
      .hasMessage("durationMs must be a whole number from 100 to 3600000, not \"10s\"");
    JsonObject noMix = minimal();
    noMix.remove("mix");
    assertThatThrownBy(() -> Scenario.fromJson("x", noMix)).hasMessage("mix must be a non-empty JSON array (missing)");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("conections", 3)))
      .hasMessageStartingWith("unknown field conections (allowed here: arrival, busyCores, connections");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("busyCores", 65)))
      .hasMessageStartingWith("busyCores must be a number from 0 to 64");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("warmup", "hot")))
      .hasMessage("warmup must be one of none, pool, not \"hot\"");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("worker", "maxIdle=2")))
      .hasMessage("worker must be a JSON object, not \"maxIdle=2\"");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("variants", new io.vertx.core.json.JsonArray("[{\"name\":\"a\"},{\"name\":\"a\"}]"))))
      .hasMessage("variants[1].name \"a\" is used twice");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("expect", new JsonObject().put("ful", true))))
      .hasMessageContaining("unknown field expect.ful");
    assertThatThrownBy(() -> Scenario.fromJson("x", minimal().put("arrival", new JsonObject("{\"type\":\"constant\",\"rate\":10000}"))
      .put("durationMs", 3_600_000))).hasMessageContaining("arrival: more than 1000000 arrivals");
  }

  @Test
  void aFileIsNamedInItsErrorsAndAMissingOneListsTheKnownOnes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), minimal().encode());
    Files.writeString(dir.resolve("broken.json"), "{\"connections\": ");
    Files.writeString(dir.resolve("bad.json"), minimal().put("connections", -1).encode());

    assertThat(Scenario.load(dir, "a").connections()).isEqualTo(2);
    assertThatThrownBy(() -> Scenario.load(dir, "nope")).hasMessageContaining("no such scenario (known: a, bad, broken)");
    assertThatThrownBy(() -> Scenario.load(dir, "broken")).hasMessageContaining("broken.json: not a JSON object");
    assertThatThrownBy(() -> Scenario.load(dir, "bad")).hasMessageContaining("bad.json: connections must be");
    assertThatThrownBy(() -> Scenario.load(dir, "../a")).hasMessageContaining("lower-case letters");
  }

  @Test
  void overridesArePutOverTheFilesFieldsAndCheckedLikeThem(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), minimal().encode());

    assertThat(Scenario.load(dir, "a", new JsonObject().put("durationMs", 3000)).durationMs()).isEqualTo(3000);
    assertThat(Scenario.load(dir, "a").durationMs()).isEqualTo(5000);
    assertThatThrownBy(() -> Scenario.load(dir, "a", new JsonObject().put("durationMs", 1)))
      .hasMessageContaining("a.json: durationMs must be a whole number from 100");
  }

  @Test
  void theIssueListsScenariosAreShipped() throws Exception {
    assertThat(Scenario.names(SHIPPED)).contains("smoke", "steady", "ramp", "spike", "burst", "cpu-saturation",
      "recycle", "oscillation");
    assertThat(Scenario.names(SHIPPED)).containsAll(PoliciesBench.SCENARIOS);
  }

  /** The policies benchmark runs each of its scenarios once per policy: every pair must be a worker that starts. */
  @Test
  void everyPolicyOverEveryPoliciesScenarioPassesTheWorkersChecks() throws Exception {
    for (String name : PoliciesBench.SCENARIOS) {
      Scenario scenario = Scenario.load(SHIPPED, name, new JsonObject().put("variants", PoliciesBench.POLICIES.copy()));
      assertThat(scenario.variants()).extracting(Scenario.Variant::name)
        .containsExactly("fixed-0", "fixed-2", "fixed-max", "scaled-undamped", "scaled", "spawn-only");
      for (Scenario.Variant variant : scenario.variants()) {
        WorkerProcess.config(Path.of("conf/worker.json"), variant.worker(), 1);
      }
      assertThat(scenario.variants().get(0).worker().getJsonObject("pool").getInteger("maxIdle")).as(name + ": fixed-0").isZero();
      assertThat(scenario.variants().get(2).worker().getJsonObject("pool").getInteger("maxIdle")).as(name + ": fixed-max")
        .isEqualTo(4);
    }
  }

  @Test
  void everyShippedScenarioLoadsAndItsWorkerOverridesPassTheWorkersChecks() throws Exception {
    for (String name : Scenario.names(SHIPPED)) {
      Scenario scenario = Scenario.load(SHIPPED, name);
      assertThat(scenario.description()).as(name).isNotBlank();
      for (Scenario.Variant variant : scenario.variants()) {
        WorkerProcess.config(Path.of("conf/worker.json"), variant.worker(), 1);
      }
    }
  }

  @Test
  void smokeFitsInCi() throws Exception {
    Scenario smoke = Scenario.load(SHIPPED, "smoke");
    // worker start and stop take a few seconds; the load and its tail must leave room for them
    assertThat(smoke.durationMs() + smoke.mix().longestMs() + smoke.cooldownMs()).isLessThanOrEqualTo(20_000);
    assertThat(smoke.variants()).hasSize(1);
  }

  @Test
  void aBadWorkerOverrideGetsTheWorkersOwnMessage() {
    assertThatThrownBy(() -> WorkerProcess.config(Path.of("conf/worker.json"), new JsonObject("{\"pool\":{\"maxIdel\":2}}"), 1))
      .hasMessageContaining("worker overrides").hasMessageContaining("pool.maxIdel").hasMessageContaining("maxIdle");
  }
}
