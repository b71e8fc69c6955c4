package io.warmpool.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of {@code /ws}, played by a test: a WebSocket server on 127.0.0.1 (RFC 6455,
 * text, close, ping and pong frames; what a test of the client needs and no more). Each frame a
 * client sends comes out of {@link #next()} with the connection it came on; the test answers on
 * that connection, or drops it. The probe that opens every connection (its first frame, an
 * {@code unsubscribe}) is answered by itself unless {@link #answerProbes} is off.
 */
final class FakeWorkerSocket implements AutoCloseable {

  record Frame(Conn conn, JsonObject json) {
    String op() {
      return json.get("op").getAsString();
    }

    String ref() {
      return json.get("ref").getAsString();
    }

    void reply(String frame) {
      JsonObject reply = JsonParser.parseString(frame).getAsJsonObject();
      reply.addProperty("ref", ref());
      conn.send(reply.toString());
    }
  }

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final List<Conn> connections = new CopyOnWriteArrayList<>();
  final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
  volatile boolean answerProbes = true;
  /** An HTTP status to refuse upgrades with, or 0 to take them. */
  volatile int refuseWith;

  FakeWorkerSocket() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptAll, "fake-worker-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI url() {
    return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws");
  }

  /** The next frame a client sent (not counting answered probes); fails after 10 s. */
  Frame next() throws InterruptedException {
    Frame frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame from the client within 10 s");
    }
    return frame;
  }

  /** The next frame, which must be this op. */
  Frame next(String op) throws InterruptedException {
    Frame frame = next();
    if (!op.equals(frame.op())) {
      throw new AssertionError("expected a " + op + " frame, got " + frame.json());
    }
    return frame;
  }

  /** Whether a client frame arrives within {@code ms}. */
  Frame poll(long ms) throws InterruptedException {
    return frames.poll(ms, TimeUnit.MILLISECONDS);
  }

  Conn awaitConnections(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (connections.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + count + " connections within 10 s: " + connections.size());
      }
      // polling for the condition, not waiting for an outcome
      Thread.sleep(5);
    }
    return connections.get(count - 1);
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread reader = new Thread(() -> serve(socket), "fake-worker-conn");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try {
      Map<String, String> headers = readHead(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      if (refuseWith != 0) {
        out.write(("HTTP/1.1 " + refuseWith + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
        socket.close();
        return;
      }
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
        .digest((headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.US_ASCII)));
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Conn conn = new Conn(socket, headers);
      connections.add(conn);
      conn.read();
    } catch (Exception e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  private static Map<String, String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the request head");
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    Map<String, String> headers = new HashMap<>();
    String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
    headers.put(":request", lines[0]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return headers;
  }

  /** One client connection. */
  final class Conn {
    final Map<String, String> headers;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private boolean probed;

    private Conn(Socket socket, Map<String, String> headers) throws IOException {
      this.socket = socket;
      this.headers = headers;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    private void read() throws IOException {
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        int opcode = first & 0x0f;
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] mask = new byte[4];
        if ((second & 0x80) != 0) {
          in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        switch (opcode) {
          case 1 -> received(new String(payload, StandardCharsets.UTF_8));
          case 8 -> {
            write(8, payload);
            socket.close();
            return;
          }
          case 10 -> pongs.add(new String(payload, StandardCharsets.UTF_8));
          default -> {
            // pings from the client, continuation frames: not sent by the client under test
          }
        }
      }
    }

    private void received(String text) {
      Frame frame = new Frame(this, JsonParser.parseString(text).getAsJsonObject());
      boolean first = !probed;
      probed = true;
      if (first && answerProbes && "unsubscribe".equals(frame.op())) {
        frame.reply("{\"type\":\"unsubscribed\",\"topic\":\"pool\"}");
        return;
      }
      frames.add(frame);
    }

    void send(String text) {
      write(1, text.getBytes(StandardCharsets.UTF_8));
    }

    void ping(String data) {
      write(9, data.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame, as the worker closes a client. */
    void close(int code, String reason) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      byte[] payload = new byte[text.length + 2];
      payload[0] = (byte) (code >> 8);
      payload[1] = (byte) code;
      System.arraycopy(text, 0, payload, 2, text.length);
      write(8, payload);
    }

    /** The TCP connection cut, without a close frame: a network that fails. */
    void drop() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closed already
      }
    }

    private synchronized void write(int opcode, byte[] payload) {
      try {
        out.write(0x80 | opcode);
        if (payload.length < 126) {
          out.write(payload.length);
        } else if (payload.length < 65536) {
          out.write(126);
          out.write(payload.length >> 8);
          out.write(payload.length);
        } else {
          out.write(127);
          for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) ((long) payload.length >> shift));
          }
        }
        out.write(payload);
        out.flush();
      } catch (IOException e) {
        // the client is gone: a test sees it from the client's side
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Conn conn : connections) {
      conn.drop();
    }
  }
}
