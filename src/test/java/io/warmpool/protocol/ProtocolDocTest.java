package io.warmpool.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/protocol.md and the code in step: the doc's two message tables name exactly the
 * message types of the code, each with exactly the fields of its record, and give each field the
 * JSON type the codec reads. A row is {@code | `type` | `field` (json type, remark), … | meaning |};
 * a field the codec lets a message go without says {@code optional} among its remarks.
 */
class ProtocolDocTest {

  private static final Path DOC = Path.of("docs/protocol.md");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`(\\w+)`\\s*\\|([^|]*)\\|[^|]*\\|\\s*$");
  private static final Pattern FIELD = Pattern.compile("`(\\w+)`\\s*\\(([^)]*)\\)");

  /** A field as the doc's table gives it: its name, the JSON type its parenthesis starts with, and whether it may be absent. */
  record Field(String name, String jsonType, boolean optional) {
  }

  @Test
  void theWorkerToChildTableIsTheWorkersMessages() throws IOException {
    assertThat(table("### worker → child")).isEqualTo(fromCode(WorkerMessage.class));
  }

  @Test
  void theChildToWorkerTableIsTheChildsMessages() throws IOException {
    assertThat(table("### child → worker")).isEqualTo(fromCode(ChildMessage.class));
  }

  @Test
  void theFrameLimitOfTheDocIsTheCodecs() throws IOException {
    assertThat(Files.readString(DOC)).contains(String.format(java.util.Locale.ROOT, "1 MiB (%,d bytes", ProtocolCodec.MAX_FRAME_BYTES));
  }

  /** Type → fields of the table under {@code heading}, in the doc's order. */
  private static Map<String, List<Field>> table(String heading) throws IOException {
    List<String> lines = Files.readAllLines(DOC);
    int at = lines.indexOf(heading);
    assertThat(at).as("heading %s in %s", heading, DOC).isNotNegative();
    Map<String, List<Field>> table = new LinkedHashMap<>();
    for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
      Matcher row = ROW.matcher(lines.get(i));
      if (!row.matches()) {
        continue;
      }
      List<Field> fields = new ArrayList<>();
      Matcher field = FIELD.matcher(row.group(2));
      while (field.find()) {
        fields.add(new Field(field.group(1), jsonTypeIn(field.group(2)), isOptional(field.group(2))));
      }
      assertThat(row.group(2).chars().filter(c -> c == '`').count()).as("every field of %s has its (type)", row.group(1))
        .isEqualTo(2L * fields.size());
      table.put(row.group(1), fields);
    }
    assertThat(table).as("rows under %s", heading).isNotEmpty();
    return table;
  }

  private static String jsonTypeIn(String parenthesis) {
    int comma = parenthesis.indexOf(',');
    return (comma < 0 ? parenthesis : parenthesis.substring(0, comma)).trim();
  }

  private static boolean isOptional(String parenthesis) {
    return Pattern.compile(",\\s*optional\\b").matcher(parenthesis).find();
  }

  /** Type → fields of every message record under {@code side}, each with its JSON type. */
  private static Map<String, List<Field>> fromCode(Class<? extends Message> side) {
    Map<String, List<Field>> messages = new LinkedHashMap<>();
    for (Message sample : ProtocolSamples.ALL) {
      if (!side.isInstance(sample)) {
        continue;
      }
      List<Field> fields = new ArrayList<>();
      for (RecordComponent component : sample.getClass().getRecordComponents()) {
        fields.add(new Field(component.getName(), jsonType(component), decodesWithout(sample, component.getName())));
      }
      messages.put(sample.type(), fields);
    }
    return messages;
  }

  /** Whether the codec reads the sample's frame with that field taken out: the field is optional. */
  private static boolean decodesWithout(Message sample, String field) {
    JsonObject json = sample.toJson();
    json.remove(field);
    try {
      return (sample instanceof WorkerMessage ? ProtocolCodec.decodeWorkerMessage(json.encode())
        : ProtocolCodec.decodeChildMessage(json.encode())).isPresent();
    } catch (ProtocolException e) {
      return false;
    }
  }

  private static String jsonType(RecordComponent component) {
    Class<?> type = component.getType();
    if (type == String.class) {
      return "string";
    }
    if (type == long.class) {
      return "integer";
    }
    if (type == JsonObject.class) {
      return "object";
    }
    return component.getName().equals("jobId") ? "string or number" : "any JSON";
  }
}
