import com.google.gson.JsonObject;
import io.warmpool.client.ClientOptions;
import io.warmpool.client.JobEvent;
import io.warmpool.client.JobOutcome;
import io.warmpool.client.SubmittedJob;
import io.warmpool.client.WarmpoolClient;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Submits the demo's echo job to a worker, prints its events as they come, then how it ended. */
public class SubmitJob {

  public static void main(String[] args) throws Exception {
    ClientOptions options = new ClientOptions()
        .setUrl(args.length > 0 ? args[0] : "ws://127.0.0.1:8080/ws")
        .setToken(System.getenv("WARMPOOL_WEB_TOKEN"));  // the worker's web.token; none when unset
    try (WarmpoolClient client = WarmpoolClient.connect(options).get()) {
      JsonObject payload = new JsonObject();
      payload.addProperty("op", "echo");
      payload.addProperty("value", "hello");
      payload.addProperty("outputs", 2);

      // completes once the worker accepted the job; fails with a JobRejectedException if not
      SubmittedJob job = client.submit(payload).get();
      System.out.println("accepted " + job.jobId());

      CompletableFuture<Void> printed = new CompletableFuture<>();
      job.events().subscribe(new Flow.Subscriber<JobEvent>() {
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          this.subscription = subscription;
          subscription.request(1);
        }

        @Override
        public void onNext(JobEvent event) {
          System.out.println(event.seq() + " " + event.type() + " " + event.json());
          subscription.request(1);  // the next one, once this one is handled
        }

        @Override
        public void onError(Throwable failure) {
          printed.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
          printed.complete(null);
        }
      });

      printed.get();
      JobOutcome outcome = job.outcome().toCompletableFuture().get();
      System.out.println(outcome.state() + " " + outcome.result());
    }
  }
}
