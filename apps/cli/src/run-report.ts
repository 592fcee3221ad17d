// Turns a run's event stream into what `run` and `resume` print and the exit code they end with.
// stdout carries the result only (the final state, or with --events every event as one NDJSON
// line); what a person needs to act on — a failure, a question to answer — goes to stderr.
import { DEFAULT_DATABASE_URL } from '@loomflow/checkpoint-libsql';
import { eventWaitsOf, isTerminalRunEvent, readHumanRequest, readWaitRequest, type EventWait, type FormField, type RunEvent, type TerminalRunEvent } from '@loomflow/graph-schema';
import { ExitCode } from './command';
import type { CliIo } from './io';

type InterruptEvent = Extract<RunEvent, { type: 'interrupt' }>;

export interface ReportOptions {
  /** Print every event as an NDJSON line instead of the final state. */
  readonly events: boolean;
  /** The database the command was given; commands suggested to the user repeat it unless it is the default. */
  readonly dbUrl: string;
}

/** Prints a run as it happens and resolves to the exit code of its outcome. */
export async function reportRun(events: AsyncIterable<RunEvent>, io: CliIo, options: ReportOptions): Promise<number> {
  const interrupts: InterruptEvent[] = [];
  let outcome: TerminalRunEvent | undefined;
  for await (const event of events) {
    if (options.events) io.stdout(`${JSON.stringify(event)}\n`);
    if (event.type === 'interrupt') interrupts.push(event);
    else if (isTerminalRunEvent(event)) outcome = event;
  }
  if (interrupts.length > 0) {
    for (const interrupt of interrupts) io.stderr(describeInterrupt(interrupt, interrupts.length > 1, options.dbUrl));
    return ExitCode.waiting;
  }
  switch (outcome?.type) {
    case 'run.completed':
      if (!options.events) io.stdout(`${JSON.stringify(outcome.state, null, 2)}\n`);
      return ExitCode.ok;
    case 'run.failed':
      io.stderr(`loomflow: ${describeFailure(outcome.error, outcome.nodeId)}\n`);
      return ExitCode.runFailed;
    case 'run.cancelled': {
      const thread = ['--thread', outcome.threadId, ...dbOption(options.dbUrl)];
      io.stderr(
        [
          `loomflow: run cancelled (${outcome.reason ?? 'cancelled'}); thread ${outcome.threadId} keeps the state of its last checkpoint`,
          `  to see it: ${commandLine(['loomflow', 'state', ...thread])}`,
          `  to continue: ${commandLine(['loomflow', 'resume', ...thread])}`,
          '',
        ].join('\n'),
      );
      return ExitCode.cancelled;
    }
    default:
      // The runtime ends every run with one of the events above; anything else is its bug.
      throw new Error('the run ended without run.completed, run.failed, run.cancelled or interrupt');
  }
}

/** `run failed at node "x": <what went wrong> (code)`, naming the node once. */
export function describeFailure(error: { readonly code: string; readonly message: string }, nodeId: string | undefined): string {
  if (nodeId === undefined) return `run failed: ${error.message} (${error.code})`;
  // Node errors start with `node "<id>": `, while this sentence names the node itself.
  const prefix = `node "${nodeId}": `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return `run failed at node "${nodeId}": ${message} (${error.code})`;
}

function describeInterrupt(interrupt: InterruptEvent, severalWaiting: boolean, dbUrl: string): string {
  const resume = ['loomflow', 'resume', '--thread', interrupt.threadId, ...dbOption(dbUrl), ...(severalWaiting ? ['--interrupt', interrupt.interruptId] : [])];
  if (interrupt.kind === 'breakpoint') {
    return [`loomflow: thread ${interrupt.threadId} paused at a breakpoint before node "${interrupt.nodeId}"`, `  to continue: ${commandLine(resume)}`, ''].join('\n');
  }
  const wait = readWaitRequest(interrupt.payload);
  if (wait) {
    // Nothing here fires timers or delivers messages: the server does; from the CLI, a person does.
    const events = wait.kind === 'events' ? wait.events : [wait];
    const what = events.map(describeEventWait).join(' or ');
    const how = wait.kind === 'timer' ? `to fire it now: ${commandLine(resume)}` : wait.kind === 'events' ? `to deliver one: ${commandLine(resume)} --value '{"firedEvent":"<node id>","variables":{}}'` : `to deliver it: ${commandLine(resume)} --value '<variables json>'`;
    return [`loomflow: thread ${interrupt.threadId} is waiting at node "${interrupt.nodeId}" for ${what}`, `  ${how}`, ''].join('\n');
  }
  const request = readHumanRequest(interrupt.payload);
  return [
    `loomflow: thread ${interrupt.threadId} is waiting for an answer at node "${interrupt.nodeId}"`,
    ...(request ? [`  prompt: ${oneLine(request.prompt)}`] : []),
    // Who the step waits for, as a task list would show it (a BPMN user task's lane, by default).
    ...(request?.assignee ? [`  assignee: ${request.assignee}`] : []),
    ...(request && request.candidateGroups.length > 0 ? [`  candidate groups: ${request.candidateGroups.join(', ')}`] : []),
    ...(request && request.fields.length > 0 ? ['  form:', ...request.fields.map(describeField)] : []),
    // A user task's boundary events: whichever comes first, the person or the event, wins.
    ...eventWaitsOf(interrupt.payload).map((event) => `  or, first: ${describeEventWait(event)} (boundary event "${event.nodeId}")`),
    ...(interrupt.schema ? [`  answer schema: ${JSON.stringify(interrupt.schema)}`] : []),
    // <json> is for the user to fill in; a made-up answer could approve something by accident.
    `  to answer: ${commandLine(resume)} --value '<json>'`,
    '',
  ].join('\n');
}

function describeEventWait(wait: EventWait): string {
  switch (wait.kind) {
    case 'timer':
      return `its timer (${wait.timer}), due ${new Date(wait.dueAt).toISOString()}`;
    case 'message':
      return `message "${wait.messageName}"${wait.correlationKey === undefined ? '' : ` with correlation key "${wait.correlationKey}"`}`;
    case 'signal':
      return `signal "${wait.signalName}"`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `approved "Approve the refund": boolean, required`: the key the answer uses, then what a form shows. */
function describeField(field: FormField): string {
  const label = field.label === field.key ? '' : ` ${JSON.stringify(oneLine(field.label))}`;
  const type = field.type === 'enum' ? `one of ${(field.options ?? []).map((option) => option.value).join(', ')}` : field.type;
  return `    ${field.key}${label}: ${type}${field.required ? ', required' : ''}`;
}

function dbOption(dbUrl: string): string[] {
  return dbUrl === DEFAULT_DATABASE_URL ? [] : ['--db', dbUrl];
}

/** Joins arguments into a line a POSIX shell splits back into the same arguments. */
export function commandLine(args: readonly string[]): string {
  return args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
