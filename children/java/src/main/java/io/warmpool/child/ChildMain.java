package io.warmpool.child;

import java.io.IOException;
import java.util.Optional;

/**
 * The Java child runtime: what the worker starts as
 * {@code java <jvmOptions> -cp <classpath> io.warmpool.child.ChildMain} with
 * {@code WARMPOOL_IPC_PORT} and {@code WARMPOOL_IPC_TOKEN} set. It speaks docs/protocol.md
 * over a plain socket and deliberately does not start Vert.x: an idle child should cost a
 * few tens of megabytes, not a Vert.x instance with its event loops.
 *
 * <p>The main thread only reads the channel; see {@link ChildSession} for the rest.
 */
public final class ChildMain {

  public static final String PORT_ENV = "WARMPOOL_IPC_PORT";
  public static final String TOKEN_ENV = "WARMPOOL_IPC_TOKEN";

  private static final String USAGE =
    "ChildMain (started by the worker) | ChildMain --train <entrypoint> [--options JSON] [--payload JSON]";

  /** Read and written by the reader thread only. */
  private static boolean unknownLogged;

  /**
   * Normally no arguments. {@code --train <entrypoint> [--options JSON] [--payload JSON]} runs
   * one scripted session against an in-process stand-in for the worker (see {@link TrainingRun}),
   * for recording the classes of a class-data archive.
   */
  public static void main(String[] args) throws IOException {
    int port;
    String token;
    if (args.length > 0 && args[0].equals(TrainingRun.FLAG)) {
      TrainingRun training;
      try {
        training = TrainingRun.of(args);
      } catch (IllegalArgumentException e) {
        ChildLog.warn(e.getMessage() + "; usage: " + USAGE);
        System.exit(ExitCode.BAD_START);
        return;
      }
      port = training.start();
      token = TrainingRun.TOKEN;
    } else if (args.length > 0) {
      ChildLog.warn("usage: " + USAGE);
      System.exit(ExitCode.BAD_START);
      return;
    } else {
      port = portFromEnvironment();
      token = System.getenv(TOKEN_ENV);
      if (token == null || token.isEmpty()) {
        ChildLog.warn(TOKEN_ENV + " is not set; this program is started by the warmpool worker");
        System.exit(ExitCode.BAD_START);
      }
    }
    ParentWatchdog.start();
    IpcChannel channel = null;
    try {
      channel = IpcChannel.connect(port);
    } catch (IOException e) {
      ChildLog.warn("cannot connect to the worker on 127.0.0.1:" + port + ": " + e);
      System.exit(ExitCode.BAD_START);
    }
    ChildSession session = new ChildSession(channel);
    session.sendHello(token);
    ChannelLogHandler.routeTo(session);
    readUntilClosed(channel, session);
  }

  private static int portFromEnvironment() {
    String text = System.getenv(PORT_ENV);
    try {
      int port = Integer.parseInt(text == null ? "" : text.trim());
      if (port > 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    ChildLog.warn(PORT_ENV + " must be a TCP port (1-65535), got '" + text + "'");
    System.exit(ExitCode.BAD_START);
    return -1;
  }

  private static void readUntilClosed(IpcChannel channel, ChildSession session) {
    try {
      while (true) {
        String frame = channel.readFrame();
        if (frame == null) {
          channelEnded(session, "channel closed by the worker");
          return; // not reached: channelEnded exits
        }
        if (frame.isBlank()) {
          continue; // tolerated: an empty line carries nothing to misread
        }
        Optional<WorkerFrame> message = WorkerFrame.decode(frame);
        if (message.isPresent()) {
          session.handle(message.get());
        } else {
          ignoreUnknown(frame);
        }
      }
    } catch (ProtocolViolation e) {
      ChildLog.warn("protocol error: " + e.getMessage() + "; exiting");
      try {
        channel.sendFrame(ChildFrames.exiting("protocol-error: " + e.getMessage()));
      } catch (IOException | RuntimeException ignored) {
        // best effort: the worker learns from the exit anyway
      }
      Runtime.getRuntime().halt(ExitCode.PROTOCOL_ERROR);
    } catch (IOException e) {
      channelEnded(session, "channel failed (" + e + ")");
    } catch (Throwable t) {
      ChildLog.warn("internal error", t);
      Runtime.getRuntime().halt(ExitCode.INTERNAL_ERROR);
    }
  }

  /**
   * A newer worker may send messages this child does not know; they are ignored, and named
   * once on stderr so that a mismatch of versions can be seen without flooding the log.
   */
  private static void ignoreUnknown(String frame) {
    if (!unknownLogged) {
      unknownLogged = true;
      ChildLog.warn("ignoring messages of types this child does not know (named once), first: " + Wire.abbreviate(frame));
    }
  }

  private static void channelEnded(ChildSession session, String why) {
    Integer requested = session.requestedExit();
    if (requested != null) {
      // The session shut our input down to hand us its exit (see ChildSession.exitViaReader).
      System.exit(requested);
    }
    // The worker closed the channel or died (even SIGKILL closes its sockets). A job that
    // hangs must not keep us alive, so no orderly exit: halt.
    ChildLog.warn(why + "; exiting");
    Runtime.getRuntime().halt(ExitCode.CHANNEL_CLOSED);
  }

  private ChildMain() {
  }
}
