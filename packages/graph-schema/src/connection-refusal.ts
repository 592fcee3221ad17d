// Why `checkConnection` refuses an edge, as a code with language-neutral params, and the one
// catalog of those reasons in English and Simplified Chinese. The canvas renders a refusal when it
// shows it, in the reader's language and with the nodes' current names.
import type { FlowDocument } from './flow-document';
import type { Locale } from './localized';
import { fillTemplate, type MessageParams, type PlaceholderRules } from './message-template';

/**
 * Each refusal's message per language. `{node}`, `{source}` and `{target}` are node ids in the
 * params and are shown as the node's quoted name (its id when it has none); `{ports}` is a list
 * of port ids; `{end}` is the token `source` or `target`.
 */
export const connectionRefusalCatalog = {
  'not-in-flow': {
    en: 'Both ends of a connection must be nodes of this flow.',
    'zh-CN': '连线的两端都必须是本流程中的节点。',
  },
  'unknown-type': {
    en: '{node} has an unknown node type ({type}).',
    'zh-CN': '{node} 的节点类型未知（{type}）。',
  },
  'self-connection': {
    en: 'A node cannot be connected to itself.',
    'zh-CN': '节点不能连接到自身。',
  },
  'artifact': {
    en: '{node} is an artifact; artifacts take no connections.',
    'zh-CN': '{node} 是工件，工件不能连线。',
  },
  'leaves-end': {
    en: 'Nothing can leave {node}: it is an end.',
    'zh-CN': '结束节点 {node} 不能有出线。',
  },
  'no-outgoing': {
    en: '{node} has no outgoing connections.',
    'zh-CN': '{node} 不允许出线。',
  },
  'enters-start': {
    en: 'Nothing can enter {node}: it is a start.',
    'zh-CN': '开始节点 {node} 不能有入线。',
  },
  'no-incoming': {
    en: '{node} takes no incoming connections.',
    'zh-CN': '{node} 不允许入线。',
  },
  'outputs-taken': {
    en: 'Every output port of {node} is connected already ({ports}); choose one.',
    'zh-CN': '{node} 的输出端口（{ports}）都已连接，请选择其中一个。',
  },
  'choose-input': {
    en: '{node} has several input ports ({ports}); choose one.',
    'zh-CN': '{node} 有多个输入端口（{ports}），请选择其中一个。',
  },
  'unknown-port': {
    en: '{node} has no {portKind} port "{port}" (its ports: {ports}).',
    'zh-CN': '{node} 没有{portKind}端口 "{port}"（可用端口：{ports}）。',
  },
  'tools-port-target': {
    en: 'The tools port of {node} must lead to a Tools node, which runs the calls; {target} is not one.',
    'zh-CN': '{node} 的工具端口必须连到执行工具调用的"工具"节点；{target} 不是。',
  },
  'duplicate': {
    en: '{source} is already connected to {target}.',
    'zh-CN': '{source} 已经连接到 {target}。',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type ConnectionRefusalCode = keyof typeof connectionRefusalCatalog;
export const connectionRefusalCodes = Object.keys(connectionRefusalCatalog) as ConnectionRefusalCode[];

export interface ConnectionRefusal {
  readonly code: ConnectionRefusalCode;
  /** Node ids, a node type, port ids and the end (`source` / `target`): never words. */
  readonly params: MessageParams;
}

const refusalPlaceholders: Record<Locale, PlaceholderRules> = {
  en: { portKind: { param: 'end', cases: { source: 'output', target: 'input' } } },
  'zh-CN': { portKind: { param: 'end', cases: { source: '输出', target: '输入' } } },
};

/** The params that name a node, shown by its name. */
const nodeParams = ['node', 'source', 'target'] as const;

/**
 * The refusal's message in `locale`. A node is named as it is in `flow` now (its quoted name, or
 * its id when it has none or is gone), as people know it from the canvas.
 */
export function formatConnectionRefusal(refusal: ConnectionRefusal, flow: FlowDocument, locale: Locale): string {
  const params: Record<string, MessageParams[string]> = { ...refusal.params };
  for (const key of nodeParams) {
    const id = refusal.params[key];
    if (typeof id !== 'string') continue;
    const name = flow.nodes.find((node) => node.id === id)?.name;
    params[key] = name ? `"${name}"` : id;
  }
  return fillTemplate(connectionRefusalCatalog[refusal.code][locale], params, refusalPlaceholders[locale]);
}
