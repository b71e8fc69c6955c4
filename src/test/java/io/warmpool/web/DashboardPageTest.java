package io.warmpool.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
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
  }
}
