import { setFlagsFromString } from 'node:v8';
import type { AppConfig } from './config.schema';

/**
 * How far V8 lets the heap grow past what a full collection kept (HEAP_GROWING_PERCENT).
 * V8's own policy grows it up to fourfold under a high allocation rate, so a busy API held
 * about 300 MB for 50 MB of live objects; at 100 % it stays near twice the live set, for a
 * few more full collections. 0 leaves V8's policy. A growth policy, not a cap: the heap
 * still grows as far as the live set needs.
 */
export function applyHeapPolicy(config: AppConfig): void {
  if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
}
