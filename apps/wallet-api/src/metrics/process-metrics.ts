import { Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * Node.js process metrics (CPU, memory, event loop, GC) in a registry of this module's own,
 * created once per process: they describe the process, not an application instance, and
 * each set installs a GC observer and an event-loop monitor that are never removed.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
