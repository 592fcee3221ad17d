// When a BPMN timer is due: an ISO 8601 date, or a duration counted from now. Durations use the
// calendar (P1M from 31 January is the end of February, as in Camunda), in UTC.
import { DETERMINISTIC, NodeExecutionError } from '../errors';

const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `now` plus an ISO 8601 duration, in milliseconds since the epoch; undefined when it is no duration. */
export function addDuration(now: number, duration: string): number | undefined {
  const match = durationPattern.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const seconds = Number(match[7] ?? 0);
  const date = new Date(now);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCMonth(date.getUTCMonth() + months);
  // The same day of the month, or the month's last when it has fewer days.
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime() + (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + Math.round(seconds * 1000);
}

/** The due time of a timer drawn as `timerType` with `value` (a FEEL `=` value already evaluated). */
export function timerDueAt(nodeId: string, timerType: string, value: string, now: number): number {
  if (timerType === 'duration') {
    const due = addDuration(now, value);
    if (due === undefined) throw new NodeExecutionError(nodeId, 'bpmn.timer', `"${value}" is not an ISO 8601 duration (like PT30M or P14D)`, DETERMINISTIC);
    return due;
  }
  if (timerType === 'date') {
    const due = Date.parse(value);
    if (Number.isNaN(due)) throw new NodeExecutionError(nodeId, 'bpmn.timer', `"${value}" is not an ISO 8601 date and time`, DETERMINISTIC);
    return due;
  }
  throw new NodeExecutionError(nodeId, 'bpmn.timer', `a ${timerType} timer repeats, and a process can wait for a timer only once here`, DETERMINISTIC);
}

/** An ISO 8601 repeating interval: `R3/PT10M`, `R/P1D` (no end), `R2/2026-06-01T08:00:00Z/PT1H`. */
interface Cycle {
  /** How many times it fires; undefined: for as long as it is waited for. */
  readonly repetitions: number | undefined;
  readonly start: number | undefined;
  readonly period: string;
}

function cycleOf(nodeId: string, value: string): Cycle {
  const [repeat = '', ...rest] = value.split('/');
  const repetitions = /^R(\d*)$/.exec(repeat);
  const period = rest.at(-1) ?? '';
  const start = rest.length === 2 ? Date.parse(rest[0] as string) : undefined;
  if (!repetitions || rest.length < 1 || rest.length > 2 || addDuration(0, period) === undefined || (start !== undefined && Number.isNaN(start))) {
    throw new NodeExecutionError(nodeId, 'bpmn.timer', `"${value}" is not an ISO 8601 repeating interval (like R3/PT10M or R/P1D)`, DETERMINISTIC);
  }
  return { repetitions: repetitions[1] === '' ? undefined : Number(repetitions[1]), start, period };
}

/**
 * When a cycle timer fires next, having fired `fired` times (the last at about `now`): its start
 * first when it has one still ahead, then a period later each time; undefined once its repetitions
 * are done.
 */
export function cycleDueAt(nodeId: string, value: string, now: number, fired: number): number | undefined {
  const cycle = cycleOf(nodeId, value);
  if (cycle.repetitions !== undefined && fired >= cycle.repetitions) return undefined;
  if (fired === 0 && cycle.start !== undefined && cycle.start > now) return cycle.start;
  return addDuration(now, cycle.period) as number;
}
