package io.warmpool.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The far end of the floor for a child's round trip: a JVM that connects to 127.0.0.1:PORT and
 * sends every line it reads straight back, as a Java child answers {@code start} with
 * {@code started} from its reader thread. It exits when the socket closes.
 */
public final class LineEcho {

  public static void main(String[] args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(args[0]))) {
      socket.setTcpNoDelay(true);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  private LineEcho() {
  }
}
