package io.warmpool.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTextTest {

  @Test
  void shortPrintableTextIsQuotedAsItIs() {
    assertThat(ClientText.quote("fly")).isEqualTo("\"fly\"");
    assertThat(ClientText.quote("a \"b\" \\ c")).isEqualTo("\"a \\\"b\\\" \\\\ c\"");
    assertThat(ClientText.quote("héllo wörld ✓")).isEqualTo("\"héllo wörld ✓\"");
    assertThat(ClientText.quote(null)).isEqualTo("(none)");
  }

  @Test
  void controlFormatAndSeparatorCharactersAreEscaped() {
    assertThat(ClientText.quote("a\nINFO forged line")).isEqualTo("\"a\\u000aINFO forged line\"");
    assertThat(ClientText.quote("\u001b[31mred\u0000")).isEqualTo("\"\\u001b[31mred\\u0000\"");
    // bidi overrides and isolates, zero-width joiners, line and paragraph separators
    assertThat(ClientText.quote("\u202eabc\u2066\u200d\u2028\u2029")).isEqualTo("\"\\u202eabc\\u2066\\u200d\\u2028\\u2029\"");
    // a lone surrogate, and a format character beyond the BMP (a tag)
    assertThat(ClientText.quote("x\ud800y\udb40\udc01")).isEqualTo("\"x\\ud800y\\u{e0001}\"");
  }

  @Test
  void longTextIsCutAndItsLengthGiven() {
    String quoted = ClientText.quote("x".repeat(65_536));

    assertThat(quoted).isEqualTo("\"" + "x".repeat(ClientText.MAX_ECHO) + "\"… (65536 characters)");
  }
}
