package io.warmpool.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read once from the worker's own class path (its jar) and served from
 * memory: {@code index.html} at {@code /}, and exactly the files it links to ({@code webroot/}'s
 * own, and the chart library's from its WebJar). Nothing is looked up on the file system, so a
 * {@code webroot/} folder in the worker's working directory cannot replace the page (Vert.x's
 * StaticHandler would serve such a folder before the jar's files), and no path a client sends
 * reaches a file lookup.
 */
final class DashboardAssets {

  private static final String WEBROOT = "webroot/";
  private static final String WEBJARS = "META-INF/resources/";
  /** What index.html links to by a relative path: its scripts and style sheets. */
  private static final Pattern LINKED = Pattern.compile("(?:src|href)=\"([A-Za-z0-9][A-Za-z0-9./_-]*)\"");
  private static final Map<String, String> TYPES = Map.of(
    "html", "text/html; charset=utf-8",
    "js", "text/javascript; charset=utf-8",
    "css", "text/css; charset=utf-8");

  private record Asset(Buffer content, String type, String cacheControl) {
  }

  private final Map<String, Asset> byPath;

  private DashboardAssets(Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  /** Reads the page and what it links to (blocking: class-path reads). */
  static DashboardAssets load() {
    ClassLoader loader = DashboardAssets.class.getClassLoader();
    Map<String, Asset> assets = new LinkedHashMap<>();
    Buffer index = read(loader, WEBROOT + "index.html");
    // not cached: a new worker version shows at once
    assets.put("/", new Asset(index, TYPES.get("html"), "no-cache"));
    Matcher link = LINKED.matcher(index.toString(StandardCharsets.UTF_8));
    while (link.find()) {
      String path = link.group(1);
      if (path.contains("..")) {
        throw new IllegalStateException("index.html links to " + path + ": no .. in a dashboard link");
      }
      boolean webjar = path.startsWith("webjars/");
      Buffer content = read(loader, (webjar ? WEBJARS : WEBROOT) + path);
      // a WebJar's path holds its version: it may be kept for a year
      assets.put("/" + path, new Asset(content, type(path), webjar ? "public, max-age=31536000, immutable" : "no-cache"));
    }
    return new DashboardAssets(assets);
  }

  /** A route handler: answers a GET of the page or one of its files, and passes anything else on. */
  void serve(RoutingContext ctx) {
    Asset asset = byPath.get(ctx.normalizedPath());
    if (asset == null) {
      ctx.next();
      return;
    }
    ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, asset.type())
      .putHeader(HttpHeaders.CACHE_CONTROL, asset.cacheControl())
      .end(asset.content());
  }

  private static String type(String path) {
    String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
    if (type == null) {
      throw new IllegalStateException("index.html links to " + path + ", of a type the dashboard does not serve");
    }
    return type;
  }

  private static Buffer read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path: the dashboard is built into the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
