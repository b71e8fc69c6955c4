package io.warmpool.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The meters one part of a pool registered, so that it can take them out again when it stops:
 * a registry outlives a pool embedded in an application, and a pool deployed again under the
 * same name would otherwise be handed the old gauges, which read the old pool's state.
 */
public final class OwnedMeters {

  private final MeterRegistry registry;
  private final Set<Meter> meters = new LinkedHashSet<>();

  public OwnedMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Remembers {@code meter}, as registered; returns it. */
  public <M extends Meter> M own(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Removes every meter owned from the registry. */
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
