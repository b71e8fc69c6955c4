package io.warmpool.child;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The Java child runtime: the main class of every pooled Java process. It connects to the
 * worker's loopback port, then speaks the protocol of docs/protocol.md until told to stop or
 * until the worker is gone. It never starts Vert.x: a child should cost little memory.
 */
public final class ChildMain {

  public static void main(String[] args) {
    String port = System.getenv("WARMPOOL_IPC_PORT");
    String token = System.getenv("WARMPOOL_IPC_TOKEN");
    if (port == null || token == null) {
      System.err.println("[warmpool child] WARMPOOL_IPC_PORT and WARMPOOL_IPC_TOKEN must be set: "
        + "this program is started by a warmpool worker, not by hand");
      System.exit(2);
    }
    ParentWatch.start();
    try {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port));
      socket.setTcpNoDelay(true);
      System.exit(new ChildRuntime(socket, token).run());
    } catch (IOException | NumberFormatException e) {
      System.err.println("[warmpool child] cannot reach the worker on port " + port + ": " + e);
      System.exit(2);
    }
  }

  private ChildMain() {
  }
}
