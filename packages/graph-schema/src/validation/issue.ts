import type { Locale } from '../localized';
import { fillTemplate, type MessageParams, type PlaceholderRules } from '../message-template';
import { describeSchemaProblem } from './schema-problem';

export type Severity = 'error' | 'warning';

/**
 * Every problem validateFlow reports, with its message in each language: the one catalog of these
 * texts, which the web app and the CLI render from. `{name}` placeholders are filled from the
 * issue's params, which hold only ids, tokens, numbers and lists (see `issuePlaceholders` for the
 * placeholders worded per language).
 */
export const issueCatalog = {
  'schema': {
    severity: 'error',
    en: '{where}: {detail}',
    'zh-CN': '{where}：{detail}',
  },
  'duplicate-id': {
    severity: 'error',
    en: 'Id "{id}" is used by more than one element; ids must be unique across nodes and edges',
    'zh-CN': 'ID "{id}" 被多个元素使用；节点和连线的 ID 必须唯一',
  },
  'duplicate-channel': {
    severity: 'error',
    en: 'State channel "{channel}" is declared more than once',
    'zh-CN': '状态通道 "{channel}" 被重复声明',
  },
  'unknown-node-type': {
    severity: 'error',
    en: 'Node "{node}" has the unknown type "{type}"',
    'zh-CN': '节点 "{node}" 的类型 "{type}" 不存在',
  },
  'node-kind-mismatch': {
    severity: 'error',
    en: 'Node "{node}" of type "{type}" belongs in {aNodeKindFlow}, not in this {flowKindFlow}',
    'zh-CN': '节点 "{node}"（类型 "{type}"）属于{nodeKindFlow}，不能用在{flowKindFlow}中',
  },
  'invalid-config': {
    severity: 'error',
    en: 'Node "{node}" ({type}) has an invalid config at {where}: {detail}',
    'zh-CN': '节点 "{node}"（{type}）的配置 {where} 无效：{detail}',
  },
  'type-version-too-new': {
    severity: 'error',
    en: 'Node "{node}" was saved with version {typeVersion} of type "{type}", but this version of Loomflow knows only up to version {version}; update Loomflow to open it',
    'zh-CN': '节点 "{node}" 保存时使用的是类型 "{type}" 的第 {typeVersion} 版，但当前版本的 Loomflow 只支持到第 {version} 版；请升级 Loomflow 后再打开',
  },
  'invalid-parent': {
    severity: 'error',
    en: 'Node "{node}" names "{parent}" as its parent, which is not a pool, lane or sub-process of this flow',
    'zh-CN': '节点 "{node}" 的父元素 "{parent}" 不是本流程中的池、泳道或子流程',
  },
  'parent-cycle': {
    severity: 'error',
    en: 'Node "{node}" is inside itself through its chain of parents',
    'zh-CN': '节点 "{node}" 通过父元素链包含了自己',
  },
  'unknown-channel': {
    severity: 'error',
    en: '{owner} refers to the state channel "{channel}", which the flow does not declare',
    'zh-CN': '{owner} 引用了流程未声明的状态通道 "{channel}"',
  },
  'tools-port-target': {
    severity: 'error',
    en: 'Edge "{edge}" leaves the tools port of "{node}", which must lead to a Tools node that runs the calls; "{target}" is not one',
    'zh-CN': '连线 "{edge}" 从节点 "{node}" 的工具端口出发，必须连到执行工具调用的"工具"节点；"{target}" 不是',
  },
  'channel-type': {
    severity: 'error',
    en: 'Node "{node}" needs the state channel "{channel}" to be of type {type}',
    'zh-CN': '节点 "{node}" 要求状态通道 "{channel}" 的类型为 {type}',
  },
  'missing-node-reference': {
    severity: 'error',
    en: 'Node "{node}" refers at {where} to node "{target}", which does not exist',
    'zh-CN': '节点 "{node}" 在 {where} 引用的节点 "{target}" 不存在',
  },
  'invalid-boundary-host': {
    severity: 'error',
    en: 'Boundary event "{node}" is attached to "{target}", which is not an activity',
    'zh-CN': '边界事件 "{node}" 附着的 "{target}" 不是活动',
  },
  'feel-syntax': {
    severity: 'error',
    en: '{owner} has a FEEL expression that does not parse at character {column}: {expression}',
    'zh-CN': '{owner} 的 FEEL 表达式在第 {column} 个字符处无法解析：{expression}',
  },
  'unknown-feel-variable': {
    severity: 'warning',
    en: '{owner} has a FEEL expression that reads "{variable}", which is no state channel of the flow',
    'zh-CN': '{owner} 的 FEEL 表达式读取了 "{variable}"，但它不是流程的状态通道',
  },
  'edge-missing-node': {
    severity: 'error',
    en: 'Edge "{edge}" has its {end} at node "{node}", which does not exist',
    'zh-CN': '连线 "{edge}" 的{end}节点 "{node}" 不存在',
  },
  'port-forbidden': {
    severity: 'error',
    en: 'Edge "{edge}" {direction} node "{node}" ({type}), which allows no {portKind} connections',
    'zh-CN': '连线 "{edge}" {direction}节点 "{node}"（{type}），该节点不允许{portKind}连线',
  },
  'unknown-port': {
    severity: 'error',
    en: 'Edge "{edge}" uses port "{port}" of node "{node}"; the ports are: {ports}',
    'zh-CN': '连线 "{edge}" 使用了节点 "{node}" 不存在的端口 "{port}"；可用端口：{ports}',
  },
  'edge-crosses-scope': {
    severity: 'error',
    en: 'Sequence flow "{edge}" crosses the boundary of a pool or sub-process; a sequence flow must stay inside one',
    'zh-CN': '顺序流 "{edge}" 跨越了池或子流程的边界；顺序流只能在同一个池或子流程内部连接',
  },
  'missing-conditions': {
    severity: 'error',
    en: 'Node "{node}" has {count} outgoing edges but none has a condition or is the default',
    'zh-CN': '节点 "{node}" 有 {count} 条出边，但没有任何条件或默认边',
  },
  'multiple-defaults': {
    severity: 'error',
    en: 'Node "{node}" has more than one default edge: {edges}',
    'zh-CN': '节点 "{node}" 有多条默认边：{edges}',
  },
  'default-with-condition': {
    severity: 'error',
    en: 'Edge "{edge}" is the default edge and has a condition; a default edge is taken when no condition holds',
    'zh-CN': '连线 "{edge}" 是默认边却带有条件；默认边在没有条件成立时才会被选择',
  },
  'event-gateway-target': {
    severity: 'error',
    en: 'Event-based gateway "{node}" leads through edge "{edge}" to "{target}", which is not a catch event or receive task',
    'zh-CN': '事件网关 "{node}" 经连线 "{edge}" 指向的 "{target}" 不是捕获事件或接收任务',
  },
  'missing-start': {
    severity: 'error',
    en: '{scope} has no start node',
    'zh-CN': '{scope}没有开始节点',
  },
  'node-outside-pool': {
    severity: 'error',
    en: 'Node "{node}" lies outside every pool; in a drawing with pools, every flow node belongs in one',
    'zh-CN': '节点 "{node}" 不在任何池中；图中有池时，每个流程节点都必须位于某个池内',
  },
  'multiple-starts': {
    severity: 'error',
    en: '{scope} has {count} start nodes ({nodes}); it needs exactly one',
    'zh-CN': '{scope}有 {count} 个开始节点（{nodes}），只能有一个',
  },
  'missing-end': {
    severity: 'error',
    en: '{scope} has no end node',
    'zh-CN': '{scope}没有结束节点',
  },
  'end-unreachable': {
    severity: 'error',
    en: '{scope}: no end node can be reached from the start, so a run can never finish',
    'zh-CN': '{scope}：从开始节点无法到达任何结束节点，运行永远无法结束',
  },
  'unreachable-node': {
    severity: 'error',
    en: 'Node "{node}" cannot be reached from the start',
    'zh-CN': '从开始节点无法到达节点 "{node}"',
  },
  'dead-end': {
    severity: 'warning',
    en: 'Node "{node}" has no outgoing edge, so its branch stops there without reaching an end',
    'zh-CN': '节点 "{node}" 没有出边，其分支在此停止而不会到达结束节点',
  },
  'closed-cycle': {
    severity: 'warning',
    en: 'The cycle {cycle} has no edge leaving it, so a run that enters it never ends',
    'zh-CN': '循环 {cycle} 没有任何出边，进入后运行将永远不会结束',
  },
  'missing-annotation-target': {
    severity: 'error',
    en: 'Note "{annotation}" is about "{target}", which does not exist',
    'zh-CN': '注释 "{annotation}" 所说明的元素 "{target}" 不存在',
  },
} as const satisfies Record<string, { severity: Severity } & Record<Locale, string>>;

export type IssueCode = keyof typeof issueCatalog;
export const issueCodes = Object.keys(issueCatalog) as IssueCode[];

/** Ids, tokens (`end: 'source'`), numbers and lists of ids: never words of a language. */
export type IssueParams = MessageParams;

export interface ValidationIssue {
  readonly severity: Severity;
  readonly code: IssueCode;
  /** The message in the locale validateFlow was asked for; `code` and `params` allow others. */
  readonly message: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** Where in the document the problem is, as keys and array indexes. */
  readonly path: readonly (string | number)[];
  readonly params: IssueParams;
}

/**
 * The placeholders whose words depend on the language: tokens naming an edge end, the owner of a
 * channel reference or FEEL expression, the scope of a start/end rule; the cycle's arrow; the
 * stand-ins for an absent path or port.
 */
const issuePlaceholders: Record<Locale, PlaceholderRules> = {
  en: {
    end: { param: 'end', cases: { source: 'source', target: 'target' } },
    direction: { param: 'end', cases: { source: 'leaves', target: 'enters' } },
    portKind: { param: 'end', cases: { source: 'outgoing', target: 'incoming' } },
    owner: { param: 'owner', cases: { state: 'The state', node: 'Node "{node}"', edge: 'Edge "{edge}"' } },
    scope: { param: 'scope', cases: { flow: 'The flow', node: '"{node}"' } },
    cycle: { param: 'nodes', join: ' → ' },
    where: { param: 'where', missing: '(document)' },
    port: { param: 'port', missing: '(none)' },
    // Worded whole, article included: "an agent flow", never "a agent flow".
    aNodeKindFlow: { param: 'nodeKind', cases: { agent: 'an agent flow', bpmn: 'a BPMN process' } },
    flowKindFlow: { param: 'flowKind', cases: { agent: 'agent flow', bpmn: 'BPMN process' } },
  },
  'zh-CN': {
    end: { param: 'end', cases: { source: '起点', target: '终点' } },
    direction: { param: 'end', cases: { source: '离开', target: '进入' } },
    portKind: { param: 'end', cases: { source: '出', target: '入' } },
    owner: { param: 'owner', cases: { state: '状态定义', node: '节点 "{node}"', edge: '连线 "{edge}"' } },
    scope: { param: 'scope', cases: { flow: '流程', node: '"{node}"' } },
    cycle: { param: 'nodes', join: ' → ' },
    where: { param: 'where', missing: '（文档）' },
    port: { param: 'port', missing: '（无）' },
    nodeKindFlow: { param: 'nodeKind', cases: { agent: '智能体流程', bpmn: 'BPMN 流程' } },
    flowKindFlow: { param: 'flowKind', cases: { agent: '智能体流程', bpmn: 'BPMN 流程' } },
  },
};

export function formatIssueMessage(code: IssueCode, params: IssueParams, locale: Locale): string {
  // A schema problem (`schema`, `invalid-config`) carries zod's code and values; its `{detail}` is
  // worded now, in `locale` (schema-problem.ts).
  if (params.problem !== undefined) params = { ...params, detail: describeSchemaProblem(params, locale) };
  return fillTemplate(issueCatalog[code][locale], params, issuePlaceholders[locale]);
}

/** Renders a path as a JSON-path-like string, e.g. `nodes[2].config.output`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('');
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
