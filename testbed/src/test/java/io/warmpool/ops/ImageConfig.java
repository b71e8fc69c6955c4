package io.warmpool.ops;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container image's settings as the worker's pom.xml gives them to Jib: the environment
 * (the configuration a container runs with over conf/worker.json), the command and the user.
 */
record ImageConfig(Map<String, String> environment, List<String> entrypoint, String user, List<Integer> ports) {

  static ImageConfig read() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    Element container = child(jib(pom), "configuration", "container");
    Map<String, String> environment = new LinkedHashMap<>();
    for (Element variable : children(child(container, "environment"))) {
      environment.put(variable.getTagName(), variable.getTextContent().strip());
    }
    List<String> entrypoint = children(child(container, "entrypoint")).stream().map(e -> e.getTextContent().strip()).toList();
    List<Integer> ports = children(child(container, "ports")).stream().map(e -> Integer.valueOf(e.getTextContent().strip())).toList();
    return new ImageConfig(environment, entrypoint, child(container, "user").getTextContent().strip(), ports);
  }

  private static Element jib(Document pom) {
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if ("jib-maven-plugin".equals(child(plugin, "artifactId").getTextContent().strip())) {
        return plugin;
      }
    }
    throw new IllegalStateException("pom.xml has no jib-maven-plugin");
  }

  private static Element child(Element parent, String... path) {
    Element current = parent;
    for (String name : path) {
      current = children(current).stream().filter(e -> e.getTagName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no <" + name + "> in the Jib configuration"));
    }
    return current;
  }

  private static List<Element> children(Element parent) {
    List<Element> elements = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }
}
