import { NodeTypeRegistry } from './node-type';
import { agentNodeTypes } from './node-types/agent';
import { bpmnNodeTypes } from './node-types/bpmn';

const categoryTitles = {
  flow: { en: 'Flow', 'zh-CN': '流程' },
  ai: { en: 'AI', 'zh-CN': '人工智能' },
  logic: { en: 'Logic', 'zh-CN': '逻辑' },
  data: { en: 'Data', 'zh-CN': '数据' },
  human: { en: 'Human', 'zh-CN': '人工' },
  events: { en: 'Events', 'zh-CN': '事件' },
  activities: { en: 'Activities', 'zh-CN': '活动' },
  gateways: { en: 'Gateways', 'zh-CN': '网关' },
  swimlanes: { en: 'Pools and lanes', 'zh-CN': '池和泳道' },
  artifacts: { en: 'Artifacts', 'zh-CN': '工件' },
} as const;

/** A new registry holding every built-in agent and BPMN node type. */
export function createDefaultRegistry(): NodeTypeRegistry {
  const registry = new NodeTypeRegistry();
  for (const [category, title] of Object.entries(categoryTitles)) registry.defineCategory(category, title);
  for (const nodeType of [...agentNodeTypes, ...bpmnNodeTypes]) registry.register(nodeType);
  return registry;
}
