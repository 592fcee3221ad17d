// Registered stdio MCP servers: the only command lines the server starts for flows. Whoever holds
// the API token registers a name → command, args and environment; a flow names the server
// (`{ transport: 'registered', name }`). Environment values are secrets (tokens the server
// reads): each is sealed with LOOMFLOW_SECRET_KEY, bound to the server's name, the variable and
// the command, and opened only to start the process (`resolve`).
import { eq } from 'drizzle-orm';
import type { RegisteredMcpServer } from '@loomflow/runtime';
import type { Database } from '../db/database';
import { mcpServers } from '../db/schema';
import { DomainError } from '../errors';
import type { McpServerView, PutMcpServerBody } from './mcp-server-schemas';
import { SecretBox, SecretBoxError } from './secret-box';

export type McpServerErrorCode = 'mcp_server_not_found' | 'secret_key_required' | 'secret_key_missing' | 'secret_key_mismatch' | 'secret_unreadable';

const ERROR_STATUS = {
  mcp_server_not_found: 404,
  secret_key_required: 422,
  secret_key_missing: 500,
  secret_key_mismatch: 500,
  secret_unreadable: 500,
} as const satisfies Record<McpServerErrorCode, number>;

/** A registration that cannot be saved or started as asked; the message holds no secret. */
export class McpServerError extends DomainError {
  override readonly name = 'McpServerError';
  constructor(
    override readonly code: McpServerErrorCode,
    message: string,
    override readonly details: Readonly<Record<string, string>>,
  ) {
    super(ERROR_STATUS[code], code, message, details);
  }
}

export function mcpServerNotFound(name: string): McpServerError {
  return new McpServerError('mcp_server_not_found', `No MCP server is registered as "${name}".`, { name });
}

type Row = typeof mcpServers.$inferSelect;

export class McpServerStore {
  readonly #secrets: SecretBox | undefined;

  constructor(
    private readonly db: Database,
    options: { readonly secretKey: string | undefined },
  ) {
    this.#secrets = options.secretKey === undefined ? undefined : new SecretBox(options.secretKey);
  }

  async list(): Promise<McpServerView[]> {
    const rows = await this.db.select().from(mcpServers).orderBy(mcpServers.name);
    return rows.map(toView);
  }

  async get(name: string): Promise<McpServerView | undefined> {
    const row = await this.#row(name);
    return row && toView(row);
  }

  /** Replaces the registration whole: stored values are never kept for a new command. */
  async put(name: string, body: PutMcpServerBody): Promise<McpServerView> {
    const entries = Object.entries(body.env);
    if (entries.length > 0 && !this.#secrets) {
      throw new McpServerError(
        'secret_key_required',
        'env cannot be stored: the server has no LOOMFLOW_SECRET_KEY to encrypt its values with. Start the server with LOOMFLOW_SECRET_KEY set (at least 32 random characters), or register the MCP server without env.',
        { name, field: 'env' },
      );
    }
    const env = Object.fromEntries(entries.map(([variable, value]) => [variable, (this.#secrets as SecretBox).seal(value, sealContext(name, variable, body.command))]));
    const updatedAt = Date.now();
    const values = { command: body.command, args: body.args, env, updatedAt };
    const [row] = await this.db
      .insert(mcpServers)
      .values({ name, ...values })
      .onConflictDoUpdate({ target: mcpServers.name, set: values })
      .returning();
    return toView(row as Row);
  }

  async delete(name: string): Promise<boolean> {
    const deleted = await this.db.delete(mcpServers).where(eq(mcpServers.name, name)).returning({ name: mcpServers.name });
    return deleted.length === 1;
  }

  /** What the runtime's MCP pool starts for `name`, env opened; undefined when none is registered. */
  async resolve(name: string): Promise<RegisteredMcpServer | undefined> {
    const row = await this.#row(name);
    if (!row) return undefined;
    const env = Object.fromEntries(Object.entries(row.env).map(([variable, sealed]) => [variable, this.#open(row, variable, sealed)]));
    return { command: row.command, args: row.args, env };
  }

  async #row(name: string): Promise<Row | undefined> {
    const [row] = await this.db.select().from(mcpServers).where(eq(mcpServers.name, name)).limit(1);
    return row;
  }

  #open(row: Row, variable: string, sealed: string): string {
    const details = { name: row.name, field: `env.${variable}` };
    if (!this.#secrets) {
      throw new McpServerError('secret_key_missing', `MCP server "${row.name}" has encrypted env values, but LOOMFLOW_SECRET_KEY is not set. Start the server with the key they were saved with, or register the MCP server again.`, details);
    }
    try {
      return this.#secrets.open(sealed, sealContext(row.name, variable, row.command));
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      if (error.reason === 'wrong_key') {
        throw new McpServerError('secret_key_mismatch', `The env value ${variable} of MCP server "${row.name}" was encrypted with a different LOOMFLOW_SECRET_KEY. Start the server with the key it was saved with, or register the MCP server again.`, details);
      }
      throw new McpServerError('secret_unreadable', `The env value ${variable} of MCP server "${row.name}" cannot be decrypted: ${error.message} Register the MCP server again.`, details);
    }
  }
}

/** What a sealed value is bound to: a value moved to another server, variable or command does not open. */
function sealContext(name: string, variable: string, command: string): string {
  return `mcp:${name}\n${variable}\n${command}`;
}

function toView(row: Row): McpServerView {
  // Field by field, so that a sealed value cannot slip into a response.
  return { name: row.name, transport: 'stdio', command: row.command, args: [...row.args], envNames: Object.keys(row.env).sort(), updatedAt: row.updatedAt };
}
