// Multi-instance user tasks (会签 / 或签) written out as LangGraph code, as the runtime runs them
// (packages/runtime/src/loop-activity.ts):
//
//   <node> ─Send per element─► <node>#instance ─► <node>#done ─► successors
//
// The drawn node's function is one instance: it asks its person and gives their answer, or null
// when another instance's answer closed it. The writer adds three functions around it: one
// starting the instances (all at once, or the first of a sequence), one running an instance and
// giving its output element, and one gathering the elements in element order into the output
// collection. A completion condition is checked after each instance of a sequence; in parallel,
// the instances wait in one step, which LangGraph ends only once every one of them has, so whoever
// resumes a run closes the others when an answer completes the activity (`instancesClosedBy`).
import type { LocalizedText, LoopConfig } from '@loomflow/graph-schema';
import type { NodeIR } from '@loomflow/runtime';

export type MultiInstance = Extract<LoopConfig, { type: 'multiInstance' }>;

/** The key of the answer a host gives an open instance that another instance's answer closed. */
export const WITHDRAWN_KEY = '__withdrawn';

export const multiInstanceOf = (node: NodeIR): MultiInstance | undefined => {
  const loop = node.config.loop as LoopConfig | undefined;
  return loop?.type === 'multiInstance' ? loop : undefined;
};

/** Whether a host must close open instances when an answer completes the activity (parallel, with a completion condition). */
export const closesInstances = (loop: MultiInstance) => !loop.sequential && loop.completionCondition !== undefined;

/**
 * Why a node's loop marker is not written out as code, or undefined when it is (or it has none).
 * `nested` says the node runs inside a sub-process or a sub-flow, whose open instances the host
 * does not see from the process's state.
 */
export function loopRefusal(node: NodeIR, nested: boolean): LocalizedText | undefined {
  const loop = node.config.loop as LoopConfig | undefined;
  if (!loop) return undefined;
  if (loop.type === 'standard') {
    return { en: 'its standard loop marker is not written out as code yet (multi-instance user tasks are)', 'zh-CN': '它的标准循环标记尚不能导出为代码（多实例用户任务可以）' };
  }
  if (node.type !== 'bpmn.userTask') {
    return { en: 'a multi-instance marker is written out as code on user tasks only, not yet on other activities', 'zh-CN': '多实例标记目前只能在用户任务上导出为代码，其他活动尚不支持' };
  }
  if ((loop.collection === undefined) === (loop.cardinality === undefined)) {
    return { en: 'a multi-instance marker needs exactly one of an input collection and a loop cardinality to know its instances', 'zh-CN': '多实例标记需要且只能有输入集合或实例数之一，才能确定实例' };
  }
  if (node.events?.length) {
    return { en: 'timer, message and signal boundary events on a multi-instance activity do not run in Loomflow either', 'zh-CN': '多实例活动上的定时、消息和信号边界事件在 Loomflow 中同样不能运行' };
  }
  if (node.errorBoundaries?.length || node.onErrorGoto) {
    return { en: 'error boundary events on a multi-instance activity are not written out as code yet', 'zh-CN': '多实例活动上的错误边界事件尚不能导出为代码' };
  }
  if (nested && closesInstances(loop)) {
    return {
      en: 'a parallel multi-instance with a completion condition is written out only at the top of the process, where whoever resumes the run sees its open instances, not inside a sub-process or a sub-flow',
      'zh-CN': '带完成条件的并行多实例只能在流程顶层导出为代码（恢复运行者能看到其未完成实例），不能在子流程或子流中',
    };
  }
  return undefined;
}

/** One multi-instance activity being written: its node, its loop, and the names the writer gave. */
export interface MultiInstanceSpec {
  readonly node: NodeIR;
  readonly loop: MultiInstance;
  /** The drawn node's function: one instance. */
  readonly functionName: string;
  readonly graphName: string;
  /** Functions the writer named for it: starting the instances, running one, the completion check, gathering. */
  readonly names: { readonly start: string; readonly instance: string; readonly completes: string; readonly done: string };
  /** The internal channel its instances' results wait in until they are gathered. */
  readonly resultsChannel: string;
}

const literal = (value: unknown) => JSON.stringify(value);
const instanceNode = (graphName: string) => `${graphName}#instance`;
export const doneNode = (graphName: string) => `${graphName}#done`;

/** The functions around the instance function, for nodes.ts (which imports Command, Send and feel for them). */
export function multiInstanceFunctions(spec: MultiInstanceSpec): string {
  const { node, loop, functionName, graphName, names, resultsChannel } = spec;
  const title = node.name ?? node.id;
  const instance = literal(instanceNode(graphName));
  const done = literal(doneNode(graphName));
  const id = literal(node.id);
  const elements = loop.collection !== undefined ? `\`${loop.collection}\`` : `1 to \`${loop.cardinality}\``;
  const items =
    loop.collection !== undefined
      ? [
          `const items = feel<unknown>(${literal(loop.collection)}, state, ${id});`,
          `if (!Array.isArray(items)) throw new Error(${literal(`node "${node.id}": its input collection "${loop.collection}" must give a list, not `)} + (items === null ? 'null' : typeof items));`,
        ]
      : [
          `const count = feel<unknown>(${literal(loop.cardinality)}, state, ${id});`,
          "if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {",
          `throw new Error(${literal(`node "${node.id}": its loop cardinality "${loop.cardinality}" must give a whole number of at least 0, not `)} + JSON.stringify(count));`,
          '}',
          'const items = Array.from({ length: count }, (_, index) => index + 1);',
        ];
  /** What an instance sees besides the state: its element under the element variable, and its number from 1. */
  const instanceFields = (element: string, index: string) => [...(loop.elementVariable ? [`${literal(loop.elementVariable)}: ${element}`] : []), `loopCounter: ${index} + 1`].join(', ');
  const value = loop.outputElement ? `feel<unknown>(${literal(loop.outputElement)}, { ...scope, ...variables }, ${id})` : 'variables';
  const completion = loop.completionCondition;
  const functions = [
    `/** Starts "${title}" once per element of ${elements}, ${loop.sequential ? 'one after another (a sequential multi-instance)' : 'all at once (a parallel multi-instance)'}. */`,
    `export function ${names.start}(state: State): Command {`,
    ...items,
    `if (items.length === 0) return new Command({ goto: ${done} });`,
    loop.sequential
      ? `return new Command({ goto: new Send(${instance}, { state, index: 0, count: items.length, item: items[0], items }) });`
      : `return new Command({ goto: items.map((item, index) => new Send(${instance}, { state, index, count: items.length, item })) });`,
    '}',
    '',
  ];
  if (completion !== undefined) {
    functions.push(
      `/**`,
      ` * Whether "${title}" is complete once an instance completed with the variables given: its`,
      ` * completion condition \`${completion.replaceAll('*/', '* /')}\`, over that instance's scope and the instances' counts.`,
      ' */',
      `export function ${names.completes}(state: State, instance: Instance, variables: Record<string, unknown>, counts: InstanceCounts): boolean {`,
      `const scope = { ...state, ${instanceFields('instance.element', 'instance.index')}, ...variables, ...counts };`,
      `return feel<unknown>(${literal(completion)}, scope, ${id}) === true;`,
      '}',
      '',
    );
  }
  const finished =
    completion !== undefined
      ? `completed >= task.count || ${names.completes}(task.state, mark, variables ?? {}, { numberOfInstances: task.count, numberOfCompletedInstances: completed, numberOfActiveInstances: 0 })`
      : 'completed >= task.count';
  functions.push(
    `/** One instance of "${title}": ${loop.elementVariable ? `its element as \`${loop.elementVariable}\`, ` : ''}its number (from 1) as \`loopCounter\`. */`,
    `export function ${names.instance}(task: InstanceTask): Command {`,
    'const mark: Instance = { index: task.index, count: task.count, element: task.item };',
    `const scope = { ...task.state, ${instanceFields('task.item', 'task.index')} };`,
    `const variables = ${functionName}(scope, mark);`,
    '// An instance that another closed gives null, in its place of the output collection.',
    `const result: InstanceResult = { index: task.index, count: task.count, value: variables === null ? null : ${value}, completed: variables !== null };`,
    `const update = { ${literal(resultsChannel)}: [result] };`,
  );
  if (loop.sequential) {
    functions.push(
      'const completed = task.index + 1;',
      `if (${finished}) return new Command({ update, goto: ${done} });`,
      `return new Command({ update, goto: new Send(${instance}, { ...task, index: completed, item: task.items?.[completed] }) });`,
    );
  } else functions.push(`return new Command({ update, goto: ${done} });`);
  functions.push(
    '}',
    '',
    `/** Gathers the instances' results${loop.outputCollection ? ` in element order into "${loop.outputCollection}"` : ''}, and empties them for the next time. */`,
    `export function ${names.done}(state: State): Update {`,
    ...(loop.outputCollection
      ? [
          `const results = state[${literal(resultsChannel)}];`,
          'const collection: unknown[] = Array.from({ length: results[0]?.count ?? 0 }, () => null);',
          'for (const result of results) collection[result.index] = result.value;',
          `return { ${literal(loop.outputCollection)}: collection, ${literal(resultsChannel)}: null };`,
        ]
      : [`return { ${literal(resultsChannel)}: null };`]),
    '}',
  );
  return functions.join('\n');
}

/** The graph nodes of one activity, for the builder chain; `options` are the first node's (join, deferral). */
export function multiInstanceChain(spec: MultiInstanceSpec, options: string[]): string[] {
  const { graphName, names } = spec;
  const loopTargets = literal([instanceNode(graphName), doneNode(graphName)]);
  return [
    `// "${spec.node.id}" runs once per element: its instances, then the step gathering what they gave.`,
    `.addNode(${literal(graphName)}, ${names.start}, { ${[...options, `ends: ${loopTargets}`].join(', ')} })`,
    `.addNode(${literal(instanceNode(graphName))}, ${names.instance}, { ends: ${loopTargets} })`,
    `.addNode(${literal(doneNode(graphName))}, ${names.done})`,
  ];
}

/** state.ts: the types the functions above share. */
export const multiInstanceTypes = [
  '/** Which instance of a multi-instance activity is running: its place among the elements, and its element. */',
  'export interface Instance {',
  'index: number;',
  'count: number;',
  'element: unknown;',
  '}',
  '',
  '/** What starting an instance sends it: the state, its element and its place; a sequence carries every element on. */',
  'export interface InstanceTask {',
  'state: State;',
  'index: number;',
  'count: number;',
  'item: unknown;',
  'items?: unknown[];',
  '}',
  '',
  "/** An instance's output element, in its place; not completed when another instance's answer closed it. */",
  'export interface InstanceResult {',
  'index: number;',
  'count: number;',
  'value: unknown;',
  'completed: boolean;',
  '}',
  '',
  '/** The counts a completion condition sees, under Camunda 8’s names. */',
  'export interface InstanceCounts {',
  'numberOfInstances: number;',
  'numberOfCompletedInstances: number;',
  'numberOfActiveInstances: number;',
  '}',
].join('\n');

/** state.ts: the channel an activity's results wait in (null empties it). */
export const multiInstanceChannel = (spec: MultiInstanceSpec) =>
  `/** The results of "${spec.node.id}"'s instances, until they are gathered (null empties it). */\n${literal(spec.resultsChannel)}: Annotation<InstanceResult[], InstanceResult[] | null>({ reducer: (current, update) => (update === null ? [] : [...current, ...update]), default: () => [] }),`;

/**
 * graph.ts: what whoever resumes a run needs for the parallel activities with a completion
 * condition: the answer that closes an open instance, and which instances an answer closes.
 */
export function instancesClosedBySource(specs: readonly MultiInstanceSpec[]): string {
  const table = specs.map((spec) => `${literal(instanceNode(spec.graphName))}: ${spec.names.completes},`);
  return [
    '/** The answer that closes an open instance of a multi-instance user task: it completes without an answer of its own. */',
    `export const WITHDRAWN = { ${WITHDRAWN_KEY}: true };`,
    '',
    "/** What instancesClosedBy reads of a thread's state, as LangGraph's StateSnapshot and the SDK's ThreadState both give it. */",
    'interface ThreadTasks {',
    'values: unknown;',
    'tasks: readonly { name: string; result?: unknown; interrupts: readonly { id?: string; value?: unknown }[] }[];',
    '}',
    '',
    '/** The completion conditions of the parallel multi-instance user tasks, by the graph node their instances run in. */',
    'const completions: Record<string, (state: State, instance: Instance, variables: Record<string, unknown>, counts: InstanceCounts) => boolean> = {',
    ...table,
    '};',
    '',
    '/**',
    ' * The open instances an answer closes: when the interrupt answered waits in an instance of a',
    ' * parallel multi-instance user task, and the answer makes its completion condition hold, the ids',
    ' * of the other instances of it still waiting. Resume them with WITHDRAWN in the same Command as',
    ' * the answer: LangGraph ends the step the instances wait in only once every one of them has.',
    ' *',
    " * `snapshot` is the thread's state: LangGraph's `graph.getState()`, or the SDK's `client.threads.getState()`.",
    ' */',
    'export function instancesClosedBy(snapshot: ThreadTasks, interruptId: string, answer: unknown): string[] {',
    'const task = snapshot.tasks.find((each) => each.interrupts.some((pause) => pause.id === interruptId));',
    'const completes = task && completions[task.name];',
    'const mark = (task?.interrupts.find((pause) => pause.id === interruptId)?.value as { instance?: Instance } | undefined)?.instance;',
    'if (!task || !completes || !mark) return [];',
    'const instances = snapshot.tasks.filter((each) => each.name === task.name);',
    "// An instance answered while others still wait has a result (none is undefined in LangGraph, null over its API); its old interrupt stays listed.",
    'const open = instances.filter((each) => each.result === undefined || each.result === null);',
    'const others = open.flatMap((each) => each.interrupts.map((pause) => String(pause.id))).filter((id) => id !== interruptId);',
    'const completed = instances.length - open.length + 1;',
    "const variables = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};",
    'const counts = { numberOfInstances: mark.count, numberOfCompletedInstances: completed, numberOfActiveInstances: mark.count - completed };',
    'return completes(snapshot.values as State, mark, variables, counts) ? others : [];',
    '}',
  ].join('\n');
}

/** README.md: how to answer the instances, and close the others. */
export const multiInstanceReadme = [
  '## People answering in parallel (multi-instance user tasks)',
  '',
  'A parallel multi-instance user task waits for all its people at once: one interrupt per instance, each with',
  '`instance: { index, count, element }` in its request. Answer one at a time with a resume map,',
  '`command: { resume: { "<interrupt id>": { …answer } } }`; the others keep waiting.',
  '',
  'When the task has a completion condition (或签: the first approval wins; 会签: the first rejection ends it), an',
  'answer that makes it hold closes the instances still open. LangGraph ends the step they wait in only once every',
  'one of them has, so whoever resumes the run closes them: `instancesClosedBy(await graph.getState(config), id,',
  'answer)` (from `src/graph.ts`) gives their interrupt ids; resume them with `WITHDRAWN` in the same map as the',
  'answer. `src/main.ts` does this.',
].join('\n');
