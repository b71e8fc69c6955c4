package io.warmpool.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A worker that other machines can reach serves nobody without a token unless the operator says
 * so in so many words, and a token is long enough not to be guessed.
 */
class WebExposureTest {

  private static final String TOKEN = "0123456789abcdef";

  private static WorkerConfig web(JsonObject web) throws ConfigException {
    return ConfigLoader.fromJson(new JsonObject().put("web", web), Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.5", "worker.example.com", "192.168.1.20"})
  void aReachableHostWithoutATokenIsRefusedNamingTheKeyThatAllowsIt(String host) {
    assertThatThrownBy(() -> web(new JsonObject().put("host", host)))
      .isInstanceOf(ConfigException.class)
      .hasMessage("web.host = \"" + host + "\" with no web.token: anyone who can reach it could run and cancel jobs. "
        + "Set web.token (at least 16 characters), or set web.allowUnauthenticated to true "
        + "(WARMPOOL_WEB_ALLOWUNAUTHENTICATED=true) to serve it without one");
  }

  @Test
  void theVariableThatSetTheHostIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(null, Map.of("WARMPOOL_WEB_HOST", "0.0.0.0")))
      .hasMessageStartingWith("web.host = \"0.0.0.0\" (from WARMPOOL_WEB_HOST) with no web.token");
  }

  @Test
  void aReachableHostStartsWithATokenOrTheExplicitKey() throws Exception {
    assertThat(web(new JsonObject().put("host", "0.0.0.0").put("token", TOKEN)).web().token()).isEqualTo(TOKEN);
    assertThat(web(new JsonObject().put("host", "0.0.0.0").put("allowUnauthenticated", true)).web().allowUnauthenticated())
      .isTrue();
    assertThat(ConfigLoader.fromJson(null, Map.of("WARMPOOL_WEB_HOST", "0.0.0.0", "WARMPOOL_WEB_ALLOWUNAUTHENTICATED", "true"))
      .web().host()).isEqualTo("0.0.0.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"})
  void loopbackNeedsNoToken(String host) throws Exception {
    WorkerConfig config = web(new JsonObject().put("host", host));

    assertThat(config.web().loopbackOnly()).isTrue();
    assertThat(config.web().token()).isNull();
  }

  @Test
  void aTokenShorterThan16CharactersIsRefused() throws Exception {
    assertThatThrownBy(() -> web(new JsonObject().put("token", "x")))
      .hasMessage("web.token = (hidden): must be null (no auth) or a string of at least 16 characters without spaces");
    assertThatThrownBy(() -> web(new JsonObject().put("token", TOKEN.substring(1))))
      .hasMessageContaining("at least 16 characters");
    assertThat(web(new JsonObject().put("token", TOKEN)).web().token()).isEqualTo(TOKEN);
  }
}
