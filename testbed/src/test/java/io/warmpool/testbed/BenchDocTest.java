package io.warmpool.testbed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How make bench rewrites docs/performance.md: its own blocks only, medians of the runs. */
class BenchDocTest {

  @Test
  void aBlockIsReplacedAndTheProseAroundItIsKept() {
    String doc = """
      # Performance

      Prose before.

      <!-- bench:warm:begin -->
      old table
      <!-- bench:warm:end -->

      Prose between.

      <!-- bench:burst:begin -->
      burst table
      <!-- bench:burst:end -->
      """;

    String rewritten = PerformanceDoc.replace(doc, "warm", "new table\n");

    assertThat(rewritten).isEqualTo(doc.replace("old table", "new table"));
    assertThat(PerformanceDoc.replace(rewritten, "warm", "new table\n")).as("idempotent").isEqualTo(rewritten);
  }

  @Test
  void aBlockNotInTheDocumentYetIsAppended() {
    String rewritten = PerformanceDoc.replace("# Performance\n", "overhead", "| a | b |");

    assertThat(rewritten).isEqualTo("# Performance\n\n<!-- bench:overhead:begin -->\n| a | b |\n<!-- bench:overhead:end -->\n");
  }

  @Test
  void contentWithRegexCharactersIsTakenLiterally() {
    String rewritten = PerformanceDoc.replace("<!-- bench:x:begin -->\n<!-- bench:x:end -->\n", "x", "cost $1 \\ (a|b)\n");

    assertThat(rewritten).contains("cost $1 \\ (a|b)");
  }

  @Test
  void theOscillationRatioIsOfTheMediansAndSaysWhenThereIsNone() {
    assertThat(Bench.ratioLine("damping-off", 90, "damping-on", 12))
      .isEqualTo("\nSpawn+reap events per minute, damping-off ÷ damping-on (medians 90.0 and 12.0): **7.5×**.\n");
    assertThat(Bench.ratioLine("off", 10, "on", 0)).contains("unbounded (on had none)");
    assertThat(Bench.ratioLine("off", 0, "on", 0)).contains("not defined");
    assertThat(Bench.ratioLine("off", Double.NaN, "on", 3)).contains("medians – and 3.0", "not known");
  }

  @Test
  void oscillationIsABenchmarkOfItsOwnWithAnEmptyBlockInTheDocument() throws Exception {
    assertThat(Bench.Options.parse(new String[] {"--only", "oscillation"}).only()).containsExactly("oscillation");
    assertThat(Bench.USAGE).contains("oscillation");
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/performance.md"));
    assertThat(doc).contains(PerformanceDoc.begin("oscillation"), PerformanceDoc.end("oscillation"));
  }

  @Test
  void theMedianOfTheRunsIsQuotedFirst() {
    assertThat(BenchTable.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(BenchTable.median(new double[] {4, 1})).isEqualTo(2.5);
    assertThat(BenchTable.median(new double[] {Double.NaN, 7})).isEqualTo(7);
    assertThat(BenchTable.median(new double[] {Double.NaN})).isNaN();

    String md = new BenchTable(2).add("p50", "ms", new double[] {1.234, 3.0}, 2).add("lost", "", new double[] {Double.NaN, 0}, 0).markdown();

    assertThat(md).isEqualTo("""
      | figure | median | run 1 | run 2 |
      | --- | ---: | ---: | ---: |
      | p50 (ms) | **2.12** | 1.23 | 3.00 |
      | lost | **0** | – | 0 |
      """);
  }
}
