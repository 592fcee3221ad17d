// How much one run may produce and how long it may go on. A node's output is copied into the
// checkpoint of every later step and into the run's events, so a single 100 MB value costs
// gigabytes of memory and disk; a loop without end holds a run slot forever. The host (server,
// CLI) sets these; each error names the limit by the setting the host gave it.
import { Buffer } from 'node:buffer';
import { DEFAULT_MAX_LOOP_ITERATIONS } from '@loomflow/graph-schema';

export interface RunLimits {
  /** The largest update one node may write, as JSON. */
  readonly maxNodeOutputBytes: number;
  /** The largest the run's state may grow, as JSON. */
  readonly maxStateBytes: number;
  /** The most supersteps any run may take, whatever the flow asks for. */
  readonly maxRecursionLimit: number;
  /** Values larger than this are shown in run events as a preview (the state keeps them whole). */
  readonly eventValuePreviewBytes: number;
  /** How long one run may execute when its flow sets no `runTimeoutMs`; Infinity for no limit. */
  readonly defaultRunTimeoutMs: number;
  /** The longest any run may execute, whatever its flow asks for; Infinity for no limit. */
  readonly maxRunTimeoutMs: number;
  /**
   * The most instances a multi-instance activity may start, and the most iterations a standard
   * loop may run when it draws no maximum (and the highest maximum it may draw).
   */
  readonly maxLoopIterations: number;
  /**
   * The most events a run may yield, counting those its host stored before a crash
   * (`RunJournal.storedCount`). A host stores each as a row; a node that streams without end (a
   * provider cutting its reply into endless tiny pieces) or a loop of tool calls would otherwise
   * fill the disk until the run's time limit.
   */
  readonly maxRunEvents: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxNodeOutputBytes: 1024 * 1024,
  maxStateBytes: 16 * 1024 * 1024,
  maxRecursionLimit: 100_000,
  eventValuePreviewBytes: 64 * 1024,
  // A command-line run is watched by the person who started it (Ctrl-C); a server sets both.
  defaultRunTimeoutMs: Number.POSITIVE_INFINITY,
  maxRunTimeoutMs: Number.POSITIVE_INFINITY,
  maxLoopIterations: DEFAULT_MAX_LOOP_ITERATIONS,
  // A step yields some three events per node that runs: a loop that stays under the server's
  // 25,000 steps stays under this too. A streamed reply yields about 20 a second
  // (executors/token-events.ts), some 72,000 in the longest run a server allows (an hour).
  maxRunEvents: 250_000,
};

/** What each limit is called where it is set (an environment variable, a CLI option). */
export type RunLimitNames = Readonly<Record<keyof RunLimits, string>>;

const DEFAULT_LIMIT_NAMES: RunLimitNames = {
  maxNodeOutputBytes: 'maxNodeOutputBytes',
  maxStateBytes: 'maxStateBytes',
  maxRecursionLimit: 'maxRecursionLimit',
  eventValuePreviewBytes: 'eventValuePreviewBytes',
  defaultRunTimeoutMs: 'defaultRunTimeoutMs',
  maxRunTimeoutMs: 'maxRunTimeoutMs',
  maxLoopIterations: 'maxLoopIterations',
  maxRunEvents: 'maxRunEvents',
};

export interface ResolvedRunLimits extends RunLimits {
  readonly names: RunLimitNames;
}

export function resolveRunLimits(limits: Partial<RunLimits> = {}, names: Partial<RunLimitNames> = {}): ResolvedRunLimits {
  return { ...DEFAULT_RUN_LIMITS, ...limits, names: { ...DEFAULT_LIMIT_NAMES, ...names } };
}

/** The size of a value as UTF-8 JSON; `undefined` (dropped by JSON) counts as nothing. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/** Marks a value that was too large to show whole; the thread's state has it in full. */
export interface TruncatedValue {
  readonly $truncated: true;
  /** The whole value's size as JSON. */
  readonly bytes: number;
  /** The start of its JSON text. */
  readonly preview: string;
}

const PREVIEW_CHARACTERS = 1000;

export function isTruncatedValue(value: unknown): value is TruncatedValue {
  return typeof value === 'object' && value !== null && (value as { $truncated?: unknown }).$truncated === true;
}

/** The record with every value larger than `maxBytes` as JSON replaced by a TruncatedValue. */
export function previewLargeValues(values: Readonly<Record<string, unknown>>, maxBytes: number): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const text = JSON.stringify(value);
    const bytes = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    shown[key] = text === undefined || bytes <= maxBytes ? value : ({ $truncated: true, bytes, preview: text.slice(0, PREVIEW_CHARACTERS) } satisfies TruncatedValue);
  }
  return shown;
}

/** Whole mebibytes or kibibytes where the number is one, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
