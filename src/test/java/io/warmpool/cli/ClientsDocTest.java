package io.warmpool.cli;

import io.warmpool.InProcessWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/clients.md} as a reader takes it: its Java program is the file of
 * examples/java-client, compiles against the client and runs against a worker; its command lines
 * (and README's) exit with the status each says; its table of exit statuses is the CLI's; its
 * dependency names the client's version.
 */
class ClientsDocTest {

  private static final Path PAGE = Path.of("docs/clients.md");
  private static final Path EXAMPLE = Path.of("examples/java-client/SubmitJob.java");
  private static final String JAR = "java -jar target/warmpool.jar ";
  private static InProcessWorker worker;

  @BeforeAll
  static void startWorker() throws Exception {
    worker = InProcessWorker.start(new io.vertx.core.json.JsonObject());
  }

  @AfterAll
  static void stopWorker() throws Exception {
    worker.close();
  }

  @Test
  void theJavaProgramIsTheExampleAndRunsAgainstAWorker(@TempDir Path dir) throws Exception {
    String program = block("### A first program", "java");
    assertThat(program).isEqualTo(Files.readString(EXAMPLE));

    String classPath = System.getProperty("java.class.path");
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-Xlint:all", "-Werror",
      "-cp", classPath, "-d", dir.toString(), EXAMPLE.toString());
    assertThat(status).as("javac's exit status").isZero();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", dir + File.pathSeparator + classPath, "SubmitJob", worker.url());
    builder.environment().remove("WARMPOOL_WEB_TOKEN");
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("accepted ");
    assertThat(lines.subList(1, 5)).extracting(line -> line.split(" ")[0] + " " + line.split(" ")[1])
      .containsExactly("1 started", "2 output", "3 output", "4 completed");
    assertThat(lines.get(5)).isEqualTo("COMPLETED {\"value\":\"hello\"}");
  }

  @Test
  void eachCommandLineExitsWithTheStatusItSays() throws Exception {
    String commands = block("## The command line", "sh");
    Pattern line = Pattern.compile("^" + Pattern.quote(JAR) + "(.*?)\\s+# exit (\\d+)$");
    int run = 0;
    for (String text : commands.lines().toList()) {
      Matcher matcher = line.matcher(text);
      assertThat(matcher.matches()).as("a command with its exit status: %s", text).isTrue();
      Status status = status(words(matcher.group(1)));
      assertThat(status.code()).as("%s: %s", text, status.err()).isEqualTo(Integer.parseInt(matcher.group(2)));
      run++;
    }
    assertThat(run).isGreaterThanOrEqualTo(5);
  }

  @Test
  void theReadmesCommandLineCompletes() throws Exception {
    Matcher command = Pattern.compile("^" + Pattern.quote(JAR) + "(submit .*)$", Pattern.MULTILINE)
      .matcher(Files.readString(Path.of("README.md")));
    assertThat(command.find()).as("a submit in README.md").isTrue();
    Status status = status(words(command.group(1)));
    assertThat(status.code()).as(status.err()).isZero();
  }

  @Test
  void theTableOfExitStatusesIsTheClients() throws Exception {
    String page = Files.readString(PAGE);
    String table = page.substring(page.indexOf("| exit status | when |"));
    Matcher row = Pattern.compile("^\\| (\\d+) \\|", Pattern.MULTILINE).matcher(table.substring(0, table.indexOf("\n\n")));
    List<Integer> documented = new ArrayList<>();
    while (row.find()) {
      documented.add(Integer.parseInt(row.group(1)));
    }
    assertThat(documented).containsExactlyElementsOf(Arrays.stream(ExitStatus.values()).map(s -> s.code).sorted().toList());
  }

  @Test
  void theDependencyNamesTheClientsVersion() throws Exception {
    String pom = Files.readString(Path.of("clients/java/pom.xml"));
    Matcher version = Pattern.compile("<artifactId>warmpool-client</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(block("### Depend on it", "xml")).contains("<artifactId>warmpool-client</artifactId>")
      .contains("<version>" + version.group(1) + "</version>");
  }

  record Status(int code, String err) {
  }

  /** The CLI's exit status for these arguments, against the test's worker, with what it said on stderr. */
  private static Status status(List<String> words) {
    List<String> args = new ArrayList<>(words);
    args.addAll(List.of("--url", worker.url()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    return new Status(code, err.toString(StandardCharsets.UTF_8));
  }

  /** The words of a command line as a shell splits them, with 'single quotes'. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher word = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
    while (word.find()) {
      words.add(word.group(1) != null ? word.group(1) : word.group(2));
    }
    return words;
  }

  /** The first fenced block of {@code language} under {@code heading}, up to the next heading of its level or above. */
  private static String block(String heading, String language) throws Exception {
    String page = Files.readString(PAGE);
    int start = page.indexOf("\n" + heading + "\n");
    assertThat(start).as("%s in %s", heading, PAGE).isNotNegative();
    String level = heading.substring(0, heading.indexOf(' '));
    int end = page.indexOf("\n" + level + " ", start + 1);
    Matcher fence = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
      .matcher(page.substring(start, end < 0 ? page.length() : end));
    assertThat(fence.find()).as("a %s block under %s", language, heading).isTrue();
    return fence.group(1);
  }
}
