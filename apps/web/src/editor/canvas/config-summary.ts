// The one line an agent card shows under its name, so that a graph reads without opening every
// node (which model, which URL, which intents). Made of config values only, so it needs no
// translation. Types without an entry show their name alone.

/** The config as a plain object, or an empty one when it is not an object. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const firstLine = (value: unknown): string => text(value).split('\n', 1)[0] ?? '';
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const joined = (parts: readonly string[], separator = ' · '): string => parts.filter(Boolean).join(separator);

const summaries: Readonly<Record<string, (config: Record<string, unknown>) => string>> = {
  'agent.llm': (config) => text(asRecord(config.model).model),
  'agent.react': (config) => text(asRecord(config.model).model),
  'agent.router': (config) => joined(list(config.intents).map((intent) => text(asRecord(intent).id))),
  'agent.tools': (config) => joined(list(config.tools).map((tool) => text(asRecord(tool).name) || text(asRecord(asRecord(tool).server).command) || text(asRecord(asRecord(tool).server).name))),
  'agent.human': (config) => firstLine(config.prompt),
  'agent.code': (config) => firstLine(config.source),
  'agent.http': (config) => joined([text(config.method) || 'GET', text(config.url)], ' '),
  'agent.template': (config) => firstLine(config.template),
  'agent.assign': (config) => joined(list(config.assignments).map((assignment) => text(asRecord(assignment).key))),
  'agent.retriever': (config) => text(config.knowledgeBase),
  'agent.subflow': (config) => text(config.flowId),
  'agent.map': (config) => joined([text(config.items), text(config.node)], ' → '),
  'agent.mcp': (config) => text(config.tool),
};

/** The summary line of a node of this type, or undefined when there is nothing to say. */
export function configSummary(type: string, config: unknown): string | undefined {
  const summary = summaries[type]?.(asRecord(config));
  return summary ? summary : undefined;
}
