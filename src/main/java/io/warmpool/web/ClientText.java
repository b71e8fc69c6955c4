package io.warmpool.web;

/**
 * Text a client sent, as it may appear in an answer or a log line: quoted, at most
 * {@link #MAX_ECHO} characters of it, and every control, format (bidi) or separator character
 * escaped, so that what a client sends can neither forge a log line nor make an answer large.
 */
final class ClientText {

  /** How much of a client's text an answer or a log line repeats. */
  static final int MAX_ECHO = 48;

  private ClientText() {
  }

  static String quote(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHO) + 8).append('"');
    int i = 0;
    int shown = 0;
    while (i < text.length() && shown < MAX_ECHO) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      shown++;
      if (cp == '"' || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (needsEscape(cp)) {
        out.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\u{%x}", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    out.append('"');
    if (i < text.length()) {
      out.append("… (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }

  private static boolean needsEscape(int cp) {
    int type = Character.getType(cp);
    return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
      || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE
      || type == Character.UNASSIGNED;
  }
}
