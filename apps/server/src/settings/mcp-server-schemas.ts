// Request and response shapes of /api/settings/mcp-servers. A registered server's environment
// values are secrets (tokens a server reads): no response schema has a field that could carry one.
import { mcpServerNameSchema } from '@loomflow/graph-schema';
import { z } from 'zod';

export const mcpServerNameParamSchema = z.object({ name: mcpServerNameSchema });

const envNameSchema = z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name: letters, digits and "_", not starting with a digit');

/** No NUL: the operating system cannot pass one in a command line or an environment. */
const noNul = (max: number) => z.string().max(max).refine((value) => !value.includes('\0'), 'must not contain a NUL character');

export const putMcpServerBodySchema = z.strictObject({
  /** The program to start: an absolute path, or a name looked up on the server's PATH. */
  command: noNul(1024).pipe(z.string().trim().min(1)),
  args: z.array(noNul(4096)).max(100).default([]),
  /** Variables the server is started with, over a minimal inherited set (HOME, PATH, …). Never returned. */
  env: z.record(envNameSchema, noNul(32_768)).default({}).refine((env) => Object.keys(env).length <= 50, 'at most 50 variables'),
});
export type PutMcpServerBody = z.output<typeof putMcpServerBodySchema>;

export const mcpServerViewSchema = z.object({
  name: z.string(),
  transport: z.literal('stdio'),
  command: z.string(),
  args: z.array(z.string()),
  /** The names of its environment variables; their values are never answered. */
  envNames: z.array(z.string()),
  updatedAt: z.number(),
});
export type McpServerView = z.output<typeof mcpServerViewSchema>;
export const listMcpServersResponseSchema = z.object({ items: z.array(mcpServerViewSchema) });
