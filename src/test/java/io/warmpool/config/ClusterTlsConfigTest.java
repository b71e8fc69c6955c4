package io.warmpool.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster.tls*} keys: stores that open, passwords never shown. */
class ClusterTlsConfigTest {

  private static final String PASSWORD = "store-secret-42";
  private static final String KEY_STORE_RULE = "must be null (no TLS) or a PKCS#12 file holding a private key and its certificate"
    + " that cluster.tlsKeyStorePassword";

  @TempDir
  static Path dir;
  private static Path keyStore;
  private static Path certificates;

  @BeforeAll
  static void stores() throws Exception {
    keyStore = dir.resolve("cluster.p12");
    keytool("-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=cluster",
      "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path cert = dir.resolve("cluster.crt");
    keytool("-exportcert", "-alias", "cluster", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", cert.toString());
    certificates = dir.resolve("trust.p12");
    keytool("-importcert", "-noprompt", "-alias", "cluster", "-file", cert.toString(), "-storetype", "PKCS12",
      "-keystore", certificates.toString(), "-storepass", "trust-secret");
  }

  @Test
  void offByDefault() {
    WorkerConfig.Cluster cluster = ConfigLoader.defaults().cluster();
    assertThat(cluster.tls()).isFalse();
    assertThat(cluster.tlsKeyStore()).isNull();
  }

  @Test
  void aKeyStoreThatOpensTurnsTlsOnAndItsPasswordIsNeverShown() throws Exception {
    WorkerConfig config = ConfigLoader.fromJson(null, Map.of(
      "WARMPOOL_CLUSTER_TLSKEYSTORE", keyStore.toString(), "WARMPOOL_CLUSTER_TLSKEYSTOREPASSWORD", PASSWORD,
      "WARMPOOL_CLUSTER_TLSTRUSTSTORE", certificates.toString(), "WARMPOOL_CLUSTER_TLSTRUSTSTOREPASSWORD", "trust-secret"));

    assertThat(config.cluster().tls()).isTrue();
    assertThat(config.cluster().tlsTrustStore()).isEqualTo(certificates.toString());
    JsonObject summary = ConfigLoader.summary(config).getJsonObject("cluster");
    assertThat(summary.getString("tlsKeyStore")).isEqualTo(keyStore.toString());
    assertThat(summary.getBoolean("tlsKeyStorePasswordSet")).isTrue();
    assertThat(summary.getBoolean("tlsTrustStorePasswordSet")).isTrue();
    assertThat(summary.encode() + config).doesNotContain(PASSWORD, "trust-secret");
  }

  @Test
  void theTrustStoreOpensWithTheKeyStorePasswordWhenItHasNoneOfItsOwn() throws Exception {
    WorkerConfig config = tls(keyStore, PASSWORD, keyStore.toString());
    assertThat(config.cluster().tlsTrustStorePassword()).isNull();

    assertThatThrownBy(() -> tls(keyStore, PASSWORD, certificates.toString()))
      .hasMessageContaining("cluster.tlsTrustStore = \"" + certificates + "\": must be null (trust the key store's own certificate)");
  }

  @Test
  void aKeyStoreThatDoesNotOpenIsNamedWithoutItsPassword() throws Exception {
    assertThatThrownBy(() -> tls(keyStore, "wrong-password", null))
      .hasMessage("cluster.tlsKeyStore = \"" + keyStore + "\": " + KEY_STORE_RULE + " opens")
      .hasMessageNotContaining("wrong-password");
    assertThatThrownBy(() -> tls(keyStore, null, null))
      .hasMessage("cluster.tlsKeyStore = \"" + keyStore + "\": " + KEY_STORE_RULE + " (not set) opens");
    assertThatThrownBy(() -> tls(dir.resolve("missing.p12"), PASSWORD, null)).hasMessageContaining(KEY_STORE_RULE);
    Path notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "hello");
    assertThatThrownBy(() -> tls(notAStore, PASSWORD, null)).hasMessageContaining(KEY_STORE_RULE);
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("cluster", new JsonObject()
        .put("tlsKeyStore", certificates.toString()).put("tlsKeyStorePassword", "trust-secret")), Map.of()))
      .as("certificates without a private key").hasMessageContaining(KEY_STORE_RULE);
    assertThatThrownBy(() -> tls(keyStore, "", null)).hasMessage("cluster.tlsKeyStorePassword = (hidden): must be null or a non-empty string");
  }

  @Test
  void aTrustStoreWithoutAKeyStoreIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("cluster", new JsonObject()
        .put("tlsTrustStore", certificates.toString())), Map.of()))
      .hasMessage("cluster.tlsTrustStore = \"" + certificates + "\": must be null while cluster.tlsKeyStore is null (TLS off)");
  }

  private static WorkerConfig tls(Path store, String password, String trustStore) throws ConfigException {
    JsonObject cluster = new JsonObject().put("tlsKeyStore", store.toString()).put("tlsKeyStorePassword", password)
      .put("tlsTrustStore", trustStore);
    return ConfigLoader.fromJson(new JsonObject().put("cluster", cluster), Map.of());
  }

  private static void keytool(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool done").isTrue();
    assertThat(keytool.exitValue()).as("keytool: %s", new String(keytool.getInputStream().readAllBytes())).isZero();
  }
}
