// The reasons graph-schema's own schemas give when a value breaks one of their rules, in each
// language. The schemas pass the English text to zod (so a direct zod user, such as the server's
// request validation, reads it as before); validateFlow keeps only the reason's id in an issue's
// params and words it from here when the issue is shown (validation/schema-problem.ts).
import type { Locale } from './localized';

export const schemaReasonCatalog = {
  'element-id': {
    en: 'must start with a letter or "_" and contain only letters, digits, "_", "-" or "."',
    'zh-CN': '必须以字母或 "_" 开头，且只能包含字母、数字、"_"、"-" 或 "."',
  },
  'flow-id': {
    en: 'must be URL-safe: letters, digits, "_" or "-", not starting with "_" or "-"',
    'zh-CN': '必须可用于 URL：只能包含字母、数字、"_" 或 "-"，且不能以 "_" 或 "-" 开头',
  },
  'channel-name': {
    en: 'must be an identifier: a letter or "_", then letters, digits or "_"',
    'zh-CN': '必须是标识符：以字母或 "_" 开头，其后只能是字母、数字或 "_"',
  },
  'tool-name': {
    en: 'must be 1-64 letters, digits, "_" or "-" (the OpenAI tool name rule)',
    'zh-CN': '必须是 1-64 个字母、数字、"_" 或 "-"（OpenAI 的工具名规则）',
  },
  'mcp-server-name': {
    en: 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
    'zh-CN': '必须是 1-64 个字母、数字、"_"、"." 或 "-"，且以字母或数字开头',
  },
  'timer-value': {
    en: 'must be an ISO 8601 date, duration (e.g. PT15M) or cycle (e.g. R3/PT10M), or a "=" FEEL expression',
    'zh-CN': '必须是 ISO 8601 日期、时长（如 PT15M）或循环（如 R3/PT10M），或以 "=" 开头的 FEEL 表达式',
  },
  'allow-host': {
    en: 'must be a host name or IP address, optionally with ":port" (e.g. localhost:8080 or [::1]:3000); no scheme, path, wildcard or range',
    'zh-CN': '必须是主机名或 IP 地址，可带 ":端口"（如 localhost:8080 或 [::1]:3000）；不能包含协议、路径、通配符或地址范围',
  },
  'http-url': {
    en: 'must be an http:// or https:// address without a user name or password (everyone who can read the address would see them)',
    'zh-CN': '必须是不含用户名和密码的 http:// 或 https:// 地址（能读取该地址的人都会看到它们）',
  },
  'provider-base-url': {
    en: 'must be empty when the model names a provider: the provider\'s own address from the settings is used, so that its key goes nowhere else',
    'zh-CN': '模型指定了服务商时必须留空：使用设置中该服务商自己的地址，其密钥不会发往别处',
  },
  'error-boundary-interrupts': {
    en: 'an error boundary event always interrupts its activity (BPMN 2.0 §10.5.6)',
    'zh-CN': '错误边界事件总是中断其活动（BPMN 2.0 §10.5.6）',
  },
} as const satisfies Record<string, Record<Locale, string>>;

export type SchemaReason = keyof typeof schemaReasonCatalog;

/**
 * The patterns a reason explains. zod reports a failed `.regex` with the pattern and no other
 * mark of which rule it was, so the pattern is how the reason is found again.
 */
export const schemaPatterns = {
  'element-id': /^[A-Za-z_][A-Za-z0-9_.-]*$/,
  'flow-id': /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  'channel-name': /^[A-Za-z_][A-Za-z0-9_]*$/,
  'tool-name': /^[A-Za-z0-9_-]{1,64}$/,
  'mcp-server-name': /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
} as const satisfies Partial<Record<SchemaReason, RegExp>>;

export function isSchemaReason(value: unknown): value is SchemaReason {
  return typeof value === 'string' && Object.hasOwn(schemaReasonCatalog, value);
}

/** The reason for a failed `.regex` check, by the pattern zod reported (`/…/`). */
export function reasonOfPattern(pattern: string | undefined): SchemaReason | undefined {
  const found = Object.entries(schemaPatterns).find(([, regex]) => regex.toString() === pattern);
  return found && isSchemaReason(found[0]) ? found[0] : undefined;
}
