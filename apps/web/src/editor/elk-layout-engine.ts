// ELK in a Web Worker. Laying out a large flow keeps a core busy for seconds (a 2,000-node flow:
// see apps/web/ARCHITECTURE.md), which on the page's own thread would freeze the editor. The
// worker is ELK's prebuilt worker script, shipped as a file of the build (same origin, so the
// server's `script-src 'self'` allows it); the editor loads this module only when asked to lay out.
import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { LayoutEngine } from './auto-layout';

export interface WorkerLayoutEngine extends LayoutEngine {
  /** Ends the worker; the engine cannot be used afterwards. */
  dispose(): void;
}

export function createWorkerLayoutEngine(): WorkerLayoutEngine {
  const elk = new ELK({ workerUrl: elkWorkerUrl, algorithms: ['layered'] });
  return { layout: (graph) => elk.layout(graph), dispose: () => elk.terminateWorker() };
}
