// Probing a server while one of its runs executes, for the tests that hold it to answering.
import { performance } from 'node:perf_hooks';

/**
 * Waits until the run leaves `queued`, then calls `probe` again and again until it stops running.
 * Returns how it ended and how long each probe took, counting only the probes after which the run
 * was still running (each one then surely overlapped the run's work).
 */
export async function probeWhileRunning(baseUrl: string, runId: string, probe: () => Promise<void>): Promise<{ status: string; latencies: number[] }> {
  const statusOf = async () => ((await (await fetch(`${baseUrl}/api/runs/${runId}`)).json()) as { status: string }).status;
  let status = await statusOf();
  while (status === 'queued') status = await statusOf();
  const latencies: number[] = [];
  while (status === 'running') {
    const sent = performance.now();
    await probe();
    const latency = performance.now() - sent;
    status = await statusOf();
    if (status === 'running') latencies.push(latency);
  }
  return { status, latencies };
}
