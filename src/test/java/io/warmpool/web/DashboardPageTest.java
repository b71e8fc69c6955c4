package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /} serves the dashboard from the jar, with every file it links to, and without the
 * token (the page holds no data; its WebSocket needs the token). What the page does in a browser
 * is tested by {@code src/test/browser/}.
 */
@ExtendWith(VertxExtension.class)
class DashboardPageTest {

  private static final Pattern LINKED = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  private WebFixture worker;

  @AfterEach
  void close() throws Exception {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void thePageAndEveryFileItLinksAreServedWithoutTheTokenWhileTheDataNeedsIt(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject().put("web", new JsonObject().put("token", "s3cret-t0ken-0123")));

    WebFixture.Response page = worker.get("/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).startsWith("<!doctype html>").contains("dashboard.js");
    // the cluster panel is in the page for the script to fill, hidden until GET /worker has a cluster section
    assertThat(page.body()).containsPattern("<section id=\"cluster\"[^>]*\\shidden[\\s>]");

    List<String> linked = new ArrayList<>();
    Matcher m = LINKED.matcher(page.body());
    while (m.find()) {
      if (!m.group(1).startsWith("data:")) {
        linked.add(m.group(1));
      }
    }
    // the chart library comes from its WebJar: if its version changes, index.html must follow
    assertThat(linked).contains("dashboard.js", "dashboard.css", "webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
    for (String file : linked) {
      WebFixture.Response asset = worker.get("/" + file, null);
      assertThat(asset.status()).as(file).isEqualTo(200);
      assertThat(asset.body()).as(file).isNotEmpty();
    }

    assertThat(worker.get("/worker", null).status()).isEqualTo(401);
    assertThat(worker.get("/metrics", null).status()).isEqualTo(401);
    assertThat(worker.get("/webjars/uplot/1.6.30/package.json/../../../../webroot/index.html", null).status())
      .as("nothing outside the WebJar's folder").isIn(400, 401, 404);
    assertThat(worker.get("/webjars/uplot/1.6.30/package.json", null).status())
      .as("only the files the page links to").isEqualTo(401);
  }

  @Test
  void everyAnswerForbidsFramingSniffingReferrersAndOtherSourcesOfScript(Vertx vertx) throws Exception {
    worker = new WebFixture(vertx, new JsonObject());

    for (String path : List.of("/", "/dashboard.js", "/worker", "/health", "/metrics", "/no-such-page")) {
      HttpResponse<String> answer = worker.http(path);
      assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path)
        .hasValue("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(answer.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
      assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
    }
    HttpResponse<String> page = worker.http("/");
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    // under that policy the page may hold no inline script, style or handler
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style")
      .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
    assertThat(worker.http("/dashboard.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(worker.http("/webjars/uplot/1.6.30/dist/uPlot.min.css").headers().firstValue("Cache-Control"))
      .hasValue("public, max-age=31536000, immutable");
  }

  /** A webroot/ folder where the worker runs (Vert.x's StaticHandler would serve it before the jar's). */
  @Test
  void aWebrootFolderInTheWorkingDirectoryDoesNotReplaceTheDashboard(Vertx vertx) throws Exception {
    Path planted = Path.of("webroot");
    assertThat(planted).as("a webroot/ left in the project's directory").doesNotExist();
    try {
      Files.createDirectories(planted);
      Files.writeString(planted.resolve("index.html"), "<!doctype html><p>planted</p><script src=\"evil.js\"></script>");
      Files.writeString(planted.resolve("dashboard.js"), "alert('planted')");
      Files.writeString(planted.resolve("evil.js"), "alert('planted')");
      worker = new WebFixture(vertx, new JsonObject());

      assertThat(worker.get("/", null).body()).contains("dashboard.js").doesNotContain("planted");
      assertThat(worker.get("/dashboard.js", null).body()).doesNotContain("planted");
      assertThat(worker.get("/evil.js", null).status()).isEqualTo(404);
    } finally {
      try (var files = Files.walk(planted)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }
}
