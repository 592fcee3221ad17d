// This process's hold on its runs when several server processes share one database: each queued
// or running run carries an owner and a lease on the database's clock. The holder renews its
// leases while it executes runs; every process sweeps now and then for runs whose lease ran out.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunStore } from './run-store';

/**
 * How long a process's hold on a run lasts without renewal. A process that dies mid-run leaves
 * its runs to the others (or to its own restart) this long after its last renewal; one whose
 * event loop stalls longer than this loses its runs to another process.
 */
export const DEFAULT_RUN_LEASE_MS = 15_000;

/** Unique per process: the host and pid say which it is, the random part tells restarts apart. */
export function defaultOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export interface LeaseHeartbeatOptions {
  readonly runs: RunStore;
  readonly ownerId: string;
  readonly leaseMs: number;
  /** After each renewal: the runs this process still holds, so it can stop those it lost. */
  readonly renewed: (held: ReadonlySet<string>) => void;
}

/**
 * Renews this process's leases a few times per lease (every third) while it executes runs, and
 * reports which it still holds: a run another process took over meanwhile (this one stalled past
 * its lease) must stop here.
 */
export class LeaseHeartbeat {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeaseHeartbeatOptions) {}

  renewWhile(executing: boolean): void {
    if (!executing) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const { runs, ownerId, leaseMs, renewed } = this.options;
    this.#timer ??= setInterval(() => {
      runs.renewLeases(ownerId, leaseMs).then(renewed, (error: unknown) => console.error('loomflow: renewing run leases failed:', error));
    }, leaseMs / 3);
    // Renewal serves the runs; it must not keep a process alive that is done with them.
    this.#timer.unref();
  }
}

/** Calls `sweep` (a look for runs whose lease ran out) every half lease; stop it with clearInterval. */
export function sweepEveryHalfLease(leaseMs: number, sweep: () => Promise<unknown>): NodeJS.Timeout {
  const timer = setInterval(() => void sweep().catch((error: unknown) => console.error('loomflow: looking for runs to take over failed:', error)), leaseMs / 2);
  // Sweeping alone must not keep the process alive.
  timer.unref();
  return timer;
}
