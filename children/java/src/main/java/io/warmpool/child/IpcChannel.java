package io.warmpool.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The child's end of the IPC channel: the protocol's frames over a blocking loopback socket.
 * One thread reads ({@link #readFrame()}); any thread may {@link #sendFrame} (writes are serialized
 * so frames from the job thread and pongs from the reader never interleave).
 */
final class IpcChannel {

  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  // Read side state, used only by the reader thread.
  private final byte[] chunk = new byte[8192];
  private int chunkPos;
  private int chunkEnd;
  private byte[] frame = new byte[8192];

  private IpcChannel(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static IpcChannel connect(int port) throws IOException {
    // NO_PROXY: a loopback connection never goes through SOCKS, and skipping the proxy
    // machinery saves class loading on every child's start.
    Socket socket = new Socket(Proxy.NO_PROXY);
    try {
      // Small frames in both directions: without this, a pong can sit behind Nagle for 40 ms.
      socket.setTcpNoDelay(true);
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      socket.connect(new InetSocketAddress(loopback, port), CONNECT_TIMEOUT_MS);
      return new IpcChannel(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * The next frame without its newline, or {@code null} at end of stream (a partial last line
   * counts as end of stream: the worker died while writing it).
   *
   * @throws ProtocolViolation when a frame exceeds {@link Wire#MAX_FRAME_BYTES}
   */
  String readFrame() throws IOException, ProtocolViolation {
    int length = 0;
    while (true) {
      if (chunkPos == chunkEnd) {
        int n = in.read(chunk);
        if (n < 0) {
          return null;
        }
        chunkPos = 0;
        chunkEnd = n;
      }
      int start = chunkPos;
      int newline = -1;
      for (int i = start; i < chunkEnd; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? chunkEnd : newline;
      int count = end - start;
      if (length + count > Wire.MAX_FRAME_BYTES) {
        throw new ProtocolViolation("frame from the worker exceeds " + Wire.MAX_FRAME_BYTES + " bytes");
      }
      if (length + count > frame.length) {
        frame = Arrays.copyOf(frame, Math.min(Wire.MAX_FRAME_BYTES, Math.max(frame.length * 2, length + count)));
      }
      System.arraycopy(chunk, start, frame, length, count);
      length += count;
      if (newline < 0) {
        chunkPos = chunkEnd;
      } else {
        chunkPos = newline + 1;
        return new String(frame, 0, length, StandardCharsets.UTF_8);
      }
    }
  }

  /** Sends a frame made by {@link ChildFrames}. */
  void sendFrame(byte[] line) throws IOException {
    synchronized (out) {
      out.write(line);
      out.flush();
    }
  }

  /** Makes a blocked {@link #readFrame()} return end of stream; sending still works. */
  void shutdownInput() throws IOException {
    socket.shutdownInput();
  }
}
