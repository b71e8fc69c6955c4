package io.warmpool.child;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.io.IOException;

/**
 * The child's side of the protocol as a state machine. The reader thread calls
 * {@link #handle}; the prewarm hook and then the jobs, one after another, run on one work
 * thread of their own, so that the reader keeps answering pings and keeps noticing a closed
 * channel while they run ({@link WorkThread}).
 *
 * <p>What the runtime puts on that thread is each job's own: the job's mark for its log
 * records is cleared when it ends, the thread is named after each job as it begins, and an
 * interrupt a job left behind is cleared before the next. What a job puts there itself (its
 * own {@code ThreadLocal}s) survives into the next job of the process, as the prewarm hook's
 * do into the first. A cancelled job is never followed by another: {@code shutdown} comes next.
 */
final class ChildSession {

  private enum State { AWAITING_INITIALIZE, INITIALIZING, IDLE, RUNNING, SHUTTING_DOWN }

  private static final String WARM_UP_START =
    "{\"type\":\"start\",\"jobId\":\"warm-up\",\"payload\":{\"op\":\"echo\",\"n\":1,\"d\":2.5,"
      + "\"big\":12345678901,\"s\":\"text \\u00e9\",\"b\":true,\"z\":null,\"a\":[1,{\"k\":\"v\"}]}}";

  private final IpcChannel channel;
  /** Runs the prewarm hook, then each job; {@code shutdown} interrupts what it runs and waits for it. */
  private final WorkThread work = new WorkThread();

  // Guarded by this.
  private State state = State.AWAITING_INITIALIZE;
  private Entrypoint entrypoint;
  private RunningJob job;
  /** Set when the session has decided to end the process; {@code null} until then. */
  private Integer requestedExit;

  ChildSession(IpcChannel channel) {
    this.channel = channel;
  }

  void sendHello(String token) {
    // A system property, not Runtime.version(): parsing that costs regex and stream start-up.
    String runtime = "java " + System.getProperty("java.runtime.version") + " warmpool-child";
    sendFrameOrDie(ChildFrames.hello(token, ProcessHandle.current().pid(), runtime));
  }

  /** Handles one message from the worker; called only by the reader thread. */
  void handle(WorkerFrame message) throws ProtocolViolation {
    if (message instanceof WorkerFrame.Ping ping) {
      sendFrameOrDie(ChildFrames.pong(ping.seq()));
    } else if (message instanceof WorkerFrame.Initialize initialize) {
      initialize(initialize);
    } else if (message instanceof WorkerFrame.Start start) {
      start(start);
    } else if (message instanceof WorkerFrame.Cancel cancel) {
      cancel(cancel);
    } else if (message instanceof WorkerFrame.Shutdown) {
      shutdown();
    }
  }

  private synchronized void initialize(WorkerFrame.Initialize message) throws ProtocolViolation {
    if (state != State.AWAITING_INITIALIZE) {
      throw new ProtocolViolation("initialize while " + state);
    }
    String name = message.entrypoint();
    JsonObject options = message.options();
    state = State.INITIALIZING;
    work.execute(() -> runInitialize(name, options));
  }

  private void runInitialize(String name, JsonObject options) {
    Entrypoint loaded = null;
    Throwable failure = null;
    try {
      loaded = EntrypointLoader.load(name);
      loaded.prewarm(options);
      warmHotPath();
    } catch (Throwable t) {
      failure = t;
    }
    synchronized (this) {
      if (state == State.SHUTTING_DOWN) {
        return; // shutdown waits for this thread and reports exiting itself
      }
      if (failure == null) {
        entrypoint = loaded;
        state = State.IDLE;
        sendFrameOrDie(ChildFrames.ready());
        return;
      }
      // Nothing left but to exit; a shutdown arriving now must not start a second exit.
      state = State.SHUTTING_DOWN;
    }
    ChildLog.warn("initialisation failed", failure);
    exitViaReader(ExitCode.INIT_FAILED, ChildFrames.initFailed(ErrorText.of(failure)));
  }

  /**
   * Runs the code a job's way through the runtime takes, so that the first real job does not
   * pay for loading the JSON codec and the runtime's own classes.
   */
  private void warmHotPath() throws ProtocolViolation {
    WorkerFrame.Start start = (WorkerFrame.Start) WorkerFrame.decode(WARM_UP_START).orElseThrow();
    JsonPrimitive jobId = start.jobId();
    JsonObject payload = start.payload();
    RunningJob warmJob = new RunningJob(this, jobId);
    ChildFrames.started(warmJob.wireId());
    ChildFrames.output(jobId, payload.get("a"));
    JsonObject result = new JsonObject();
    result.add("value", payload);
    ChildFrames.done(jobId, result);
    ChildFrames.failed(jobId, ErrorText.of(new IllegalStateException("warm-up")));
    JsonObject fields = new JsonObject();
    fields.addProperty("logger", "warm-up");
    ChildFrames.log("info", "warm-up", fields, jobId);
    ChildFrames.pong(1);
  }

  private synchronized void start(WorkerFrame.Start message) throws ProtocolViolation {
    if (state == State.SHUTTING_DOWN) {
      ChildLog.warn("ignoring start during shutdown");
      return;
    }
    if (state != State.IDLE) {
      throw new ProtocolViolation("start while " + state);
    }
    JsonPrimitive jobId = message.jobId();
    JsonObject payload = message.payload();
    RunningJob started = new RunningJob(this, jobId);
    job = started;
    state = State.RUNNING;
    // by the reader, before the work thread takes over: the worker learns of the start without
    // waiting for a thread to wake up
    sendFrameOrDie(ChildFrames.started(jobId));
    Entrypoint target = entrypoint;
    work.execute(() -> runJob(target, started, payload));
  }

  private void runJob(Entrypoint target, RunningJob running, JsonObject payload) {
    Thread.currentThread().setName("warmpool-job-" + running.jobId());
    ChannelLogHandler.currentJob(running.wireId());
    Object result = null;
    Throwable failure = null;
    try {
      result = target.run(running, payload);
    } catch (Throwable t) {
      failure = t;
    } finally {
      // the thread outlives the job: what it logs from now on is no longer the job's
      ChannelLogHandler.currentJob(null);
    }
    byte[] frame = null;
    if (failure == null) {
      try {
        frame = ChildFrames.done(running.wireId(), result);
      } catch (IllegalArgumentException cannotBeSent) {
        failure = cannotBeSent;
      }
    }
    if (failure != null) {
      frame = ChildFrames.failed(running.wireId(), ErrorText.of(failure));
    }
    finishJob(running, frame);
    if (failure != null) {
      // After the frame: the worker learns the outcome first, the stack trace is for people.
      ChildLog.warn("job " + running.jobId() + " failed", failure);
    }
  }

  private synchronized void finishJob(RunningJob running, byte[] frame) {
    // The job is over before its terminal frame leaves: the worker may answer with the next
    // start at once, and that start must find the child idle.
    job = null;
    if (state == State.RUNNING) {
      state = State.IDLE;
    }
    sendFrameOrDie(frame);
  }

  /**
   * Tells the running job it was cancelled; a cancel for another job (one that has ended since)
   * changes nothing. The job is not interrupted: it ends by itself within the grace, or is
   * interrupted by the shutdown that follows.
   */
  private synchronized void cancel(WorkerFrame.Cancel message) {
    if (job != null && job.wireId().equals(message.jobId())) {
      job.cancel();
    }
  }

  /** Sends a log record; from any thread, in any state after hello. */
  synchronized void sendLog(byte[] frame) {
    sendFrameOrDie(frame);
  }

  synchronized void sendOutput(RunningJob from, byte[] frame) {
    if (job != from) {
      throw new IllegalStateException("job " + from.jobId() + " has ended; its output is not sent");
    }
    sendFrameOrDie(frame);
  }

  private synchronized void shutdown() {
    if (state == State.SHUTTING_DOWN) {
      return;
    }
    state = State.SHUTTING_DOWN;
    work.stop();
    // Waiting happens elsewhere: the reader thread must stay free to notice a closed channel
    // while a job that ignores interrupts keeps running.
    Thread waiter = new Thread(this::finishShutdown, "warmpool-shutdown");
    waiter.setDaemon(true);
    waiter.start();
  }

  private void finishShutdown() {
    work.awaitEnd();
    Entrypoint closing;
    synchronized (this) {
      closing = entrypoint;
    }
    if (closing != null) {
      try {
        closing.close();
      } catch (Throwable t) {
        ChildLog.warn("the entrypoint's close failed", t);
      }
    }
    exitViaReader(ExitCode.OK, ChildFrames.exiting("shutdown"));
  }

  /**
   * Sends a last message, then makes the reader thread exit the process with {@code code}.
   *
   * <p>Why not exit here: the JVM's exit waits up to 300 ms for threads that are in native
   * code, and the reader sits in a native socket read. Shutting the input down wakes it with
   * end of stream, it finds the requested code and exits at once. The code is recorded before
   * the message leaves, so a worker that closes the channel on receipt still gets it.
   */
  private void exitViaReader(int code, byte[] lastFrame) {
    synchronized (this) {
      requestedExit = code;
    }
    sendFrameOrDie(lastFrame);
    try {
      channel.shutdownInput();
    } catch (IOException e) {
      System.exit(code);
    }
  }

  /** The exit the session asked for, if any; read by the reader thread at end of stream. */
  synchronized Integer requestedExit() {
    return requestedExit;
  }

  private void sendFrameOrDie(byte[] frame) {
    try {
      channel.sendFrame(frame);
    } catch (IOException e) {
      ChildLog.warn("channel failed while sending (" + e + "); exiting");
      Runtime.getRuntime().halt(ExitCode.CHANNEL_CLOSED);
    }
  }
}
