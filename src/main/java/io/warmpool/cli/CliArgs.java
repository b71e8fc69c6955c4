package io.warmpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line of the command-line client: the command, its operand, the options.
 *
 * @param command  {@code submit}, {@code watch}, {@code cancel} or {@code state}
 * @param operand  the payload of {@code submit}, the job id of {@code watch} and {@code cancel}
 * @param token    from {@code --token}, else {@link #TOKEN_VARIABLE}; {@code null} for none
 */
record CliArgs(String command, String operand, String url, String token, long fromSeq, boolean follow, String jobId,
               long timeoutMs, boolean logs) {

  /** Each command with its own options; {@code --url} and {@code --token} are every command's. */
  static final Map<String, List<String>> COMMANDS = Map.of(
    "submit", List.of("--job-id", "--timeout-ms", "--logs"),
    "watch", List.of("--from-seq"),
    "cancel", List.of(),
    "state", List.of("--follow"));
  private static final Set<String> COMMON = Set.of("--url", "--token");
  /** The variable a worker reads {@code web.token} from, read by the client too: one name for one secret. */
  static final String TOKEN_VARIABLE = "WARMPOOL_WEB_TOKEN";
  static final String DEFAULT_URL = "ws://127.0.0.1:8080/ws";

  static CliArgs parse(String[] args, Map<String, String> env) throws UsageException {
    String command = args[0];
    List<String> operands = new ArrayList<>();
    String url = DEFAULT_URL;
    String token = env.get(TOKEN_VARIABLE);
    long fromSeq = 0;
    boolean follow = false;
    String jobId = null;
    long timeoutMs = 0;
    boolean logs = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--") && !COMMON.contains(arg) && !COMMANDS.get(command).contains(arg)) {
        List<String> own = COMMANDS.get(command);
        throw new UsageException("unknown option '" + arg + "' for " + command + " (its options: "
          + String.join(", ", own) + (own.isEmpty() ? "" : ", ") + "--url, --token)");
      }
      switch (arg) {
        case "--url" -> url = value(args, ++i, arg);
        case "--token" -> token = value(args, ++i, arg);
        case "--from-seq" -> fromSeq = number(args, ++i, arg);
        case "--follow" -> follow = true;
        case "--job-id" -> jobId = value(args, ++i, arg);
        case "--timeout-ms" -> timeoutMs = number(args, ++i, arg);
        case "--logs" -> logs = true;
        default -> operands.add(arg);
      }
    }
    boolean needsOperand = !"state".equals(command);
    if (operands.size() != (needsOperand ? 1 : 0)) {
      throw new UsageException(command + " takes " + switch (command) {
        case "submit" -> "one payload, a JSON object in one argument: submit '{\"op\":\"echo\",\"value\":1}'";
        case "state" -> "no operand";
        default -> "one job id";
      } + (operands.size() > 1 ? ", got " + operands.size() + ("submit".equals(command) ? " (quote the JSON)" : "") : ""));
    }
    return new CliArgs(command, needsOperand ? operands.get(0) : null, url, token == null || token.isEmpty() ? null : token,
      fromSeq, follow, jobId, timeoutMs, logs);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static long number(String[] args, int i, String option) throws UsageException {
    String text = value(args, i, option);
    try {
      long n = Long.parseLong(text);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException(option + " needs a whole number >= 0, got '" + text + "'");
  }
}
