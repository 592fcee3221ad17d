// The MCP server form's state and the PUT body it becomes. Arguments and environment variables
// are edited as lists of rows, not JSON. The server answers a registration's variable names,
// never their values, and PUT replaces the registration whole: an edited server's variables come
// back with empty values that must be entered again.
import type { McpServerBody, McpServerView } from './settings-api';

export interface EnvRow {
  name: string;
  value: string;
}

export interface McpServerForm {
  name: string;
  command: string;
  args: string[];
  env: EnvRow[];
}

export function emptyMcpServerForm(): McpServerForm {
  return { name: '', command: '', args: [], env: [] };
}

export function mcpServerFormOf(server: McpServerView): McpServerForm {
  return { name: server.name, command: server.command, args: [...server.args], env: server.envNames.map((name) => ({ name, value: '' })) };
}

/** Why an environment row cannot be sent, if it cannot (a record keeps one value per name). */
export type EnvRowProblem = 'required' | 'invalid' | 'repeated';

/** The server's rule for a variable name (settings/mcp-server-schemas.ts). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envRowProblems(rows: readonly EnvRow[]): (EnvRowProblem | undefined)[] {
  return rows.map((row, index) => {
    const name = row.name.trim();
    if (name === '' || row.value === '') return 'required';
    if (!ENV_NAME.test(name)) return 'invalid';
    return rows.findIndex((other) => other.name.trim() === name) === index ? undefined : 'repeated';
  });
}

/** Blank argument rows are left out: an empty argument sent by mistake changes what a program does. */
export function mcpServerBodyOf(form: McpServerForm): McpServerBody {
  return {
    command: form.command.trim(),
    args: form.args.filter((arg) => arg.trim() !== ''),
    env: Object.fromEntries(form.env.map((row) => [row.name.trim(), row.value])),
  };
}
