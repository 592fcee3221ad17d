// The MCP servers panel against the real server app: a registration typed row by row (arguments,
// environment variables) lands as the server's list shows it, its values never come back, an
// edit asks for them again, and a delete asks first.
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmMessageBox, fieldOf, settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import McpServersPanel from './McpServersPanel.vue';

const TOKEN = `ghp_${randomBytes(12).toString('hex')}`;

let server: TestServerApi | undefined;
afterEach(async () => {
  document.body.innerHTML = '';
  await server?.dispose();
  server = undefined;
});

async function mountPanel(options: { secretKey?: string } = { secretKey: randomBytes(32).toString('base64') }) {
  server = await createTestServerApi(options);
  const { wrapper } = await mountWithApp(McpServersPanel, { settingsApi: server.settings });
  await flushPromises();
  return wrapper;
}

/** Adds a row to a list editor of the dialog; answers the new (last) row. */
async function addRow(wrapper: VueWrapper, editor: string) {
  await wrapper.get(`[data-testid="mcp-server-dialog"] [data-field="${editor}"] [data-action="add-row"]`).trigger('click');
  const row = wrapper.findAll(`[data-testid="mcp-server-dialog"] [data-field="${editor}"] [data-row]`).at(-1);
  if (!row) throw new Error(`The ${editor} editor added no row.`);
  return row;
}

// Each journey makes a dozen server calls, so the waits inside bound it, not the default 5 s.
describe('McpServersPanel', { timeout: 60_000 }, () => {
  it('registers a server typed row by row, never shows its variable values, and asks for them again on edit', async () => {
    const wrapper = await mountPanel();
    expect(wrapper.text()).toContain('No MCP servers registered yet.');
    await wrapper.get('[data-action="add-mcp-server"]').trigger('click');
    const dialog = wrapper.get('[data-testid="mcp-server-dialog"]');
    await fieldOf(dialog, 'name').setValue('github');
    await fieldOf(dialog, 'command').setValue('npx');
    await (await addRow(wrapper, 'args')).get('input').setValue('-y');
    await (await addRow(wrapper, 'args')).get('input').setValue('@modelcontextprotocol/server-github');
    // A blank argument row is left out rather than sent as an empty argument.
    await addRow(wrapper, 'args');
    const env = await addRow(wrapper, 'env');
    await fieldOf(env, 'envName').setValue('GITHUB_TOKEN');
    expect(dialog.get('[data-action="save-mcp-server"]').attributes('disabled')).toBeDefined();
    expect(env.get('[data-testid="env-problem"]').text()).toBe('Required.');
    await fieldOf(env, 'envValue').setValue(TOKEN);
    expect(fieldOf(env, 'envValue').attributes('type')).toBe('password');
    await dialog.get('[data-action="save-mcp-server"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-mcp-server="github"]').exists()).toBe(true));

    const item = wrapper.get('[data-mcp-server="github"]');
    expect(item.get('[data-testid="command-line"]').text()).toBe('npx -y @modelcontextprotocol/server-github');
    expect(item.findAll('[data-testid="env-name"]').map((tag) => tag.text())).toEqual(['GITHUB_TOKEN']);
    expect(await server?.settings.listMcpServers()).toMatchObject([{ name: 'github', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], envNames: ['GITHUB_TOKEN'] }]);
    expect(document.body.innerHTML).not.toContain(TOKEN);

    await item.get('[data-action="edit-mcp-server"]').trigger('click');
    expect(dialog.find('[data-testid="reenter-values"]').exists()).toBe(true);
    const rows = dialog.findAll('[data-field="env"] [data-row]');
    expect(rows.map((row) => fieldOf(row, 'envName').element.value)).toEqual(['GITHUB_TOKEN']);
    const first = dialog.get('[data-field="env"] [data-row]');
    expect(fieldOf(first, 'envValue').element.value).toBe('');
    expect(dialog.get('[data-action="save-mcp-server"]').attributes('disabled')).toBeDefined();
    // Two rows with one name would collapse into one variable: refused before it is sent.
    const second = await addRow(wrapper, 'env');
    await fieldOf(second, 'envName').setValue('GITHUB_TOKEN');
    await fieldOf(second, 'envValue').setValue('other');
    expect(second.get('[data-testid="env-problem"]').text()).toBe('Each variable once.');
    await second.get('[data-action="remove-row"]').trigger('click');
    await fieldOf(first, 'envValue').setValue(TOKEN);
    await dialog.get('[data-field="args"] [data-action="remove-row"]').trigger('click');
    await dialog.get('[data-action="save-mcp-server"]').trigger('click');
    await settled(() => expect(wrapper.get('[data-mcp-server="github"] [data-testid="command-line"]').text()).toBe('npx @modelcontextprotocol/server-github'));

    await wrapper.get('[data-mcp-server="github"] [data-action="delete-mcp-server"]').trigger('click');
    await settled(() => expect(document.querySelector('.el-message-box')?.textContent).toContain('Delete the MCP server "github"?'));
    confirmMessageBox();
    await settled(() => expect(wrapper.find('[data-mcp-server="github"]').exists()).toBe(false));
    expect(await server?.settings.listMcpServers()).toEqual([]);
  });

  it("shows the server's refusal with its code", async () => {
    const wrapper = await mountPanel({});
    await wrapper.get('[data-action="add-mcp-server"]').trigger('click');
    const dialog = wrapper.get('[data-testid="mcp-server-dialog"]');
    await fieldOf(dialog, 'name').setValue('-bad name');
    await fieldOf(dialog, 'command').setValue('npx');
    await dialog.get('[data-action="save-mcp-server"]').trigger('click');
    await flushPromises();
    const alert = dialog.get('[data-testid="settings-error"]');
    expect(alert.attributes('data-error-code')).toBe('invalid_request');
    expect(alert.text()).toMatch(/^invalid_request: The URL is invalid: name: must be 1-64 letters/);
  });
});
