// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
// The providers panel against the real server app and a real OpenAI-protocol server on loopback:
// a provider added with a key tests its connection (the key reaches the provider), the key never
// comes back into the page, and the server's refusals show with its code. The server app runs in
// this test's DOM environment, where fetch is happy-dom's: the options above let it call the
// provider as the server does (Node's fetch knows no same-origin policy).
import { startOpenAiTestServer, type OpenAiTestServer } from '@loomflow/openai-test-server';
import { flushPromises } from '@vue/test-utils';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmMessageBox, fieldOf, settled } from '../../testing/form-fields';
import { mountWithApp } from '../../testing/mount-app';
import { createTestServerApi, type TestServerApi } from '../../testing/server-api';
import ProvidersPanel from './ProvidersPanel.vue';

const SECRET_KEY = randomBytes(32).toString('base64');
const API_KEY = `sk-test-${randomUUID()}`;

let provider: OpenAiTestServer;
beforeAll(async () => {
  provider = await startOpenAiTestServer();
});
afterAll(() => provider.close());

let server: TestServerApi | undefined;
afterEach(async () => {
  document.body.innerHTML = '';
  await server?.dispose();
  server = undefined;
});

async function mountPanel(options: { secretKey?: string } = { secretKey: SECRET_KEY }) {
  server = await createTestServerApi(options);
  const mounted = await mountWithApp(ProvidersPanel, { settingsApi: server.settings });
  await flushPromises();
  return mounted.wrapper;
}

async function addProvider(wrapper: Awaited<ReturnType<typeof mountPanel>>, fields: { id: string; baseUrl: string; apiKey?: string }) {
  await wrapper.get('[data-action="add-provider"]').trigger('click');
  const dialog = wrapper.get('[data-testid="provider-dialog"]');
  await fieldOf(dialog, 'id').setValue(fields.id);
  await fieldOf(dialog, 'baseUrl').setValue(fields.baseUrl);
  if (fields.apiKey === undefined) await dialog.get('[data-field="keySource"] [data-key-source="none"] input').setValue(true);
  else await fieldOf(dialog, 'apiKey').setValue(fields.apiKey);
  await dialog.get('[data-action="save-provider"]').trigger('click');
  await flushPromises();
}

// Each journey makes a dozen server calls, so the waits inside bound it, not the default 5 s.
describe('ProvidersPanel', { timeout: 60_000 }, () => {
  it('adds a provider whose key is never shown again, and tests its connection with that key', async () => {
    const wrapper = await mountPanel();
    expect(wrapper.text()).toContain('No model providers yet.');

    await addProvider(wrapper, { id: 'local', baseUrl: provider.baseUrl, apiKey: API_KEY });
    await settled(() => expect(wrapper.find('[data-provider-id="local"]').exists()).toBe(true));
    const item = wrapper.get('[data-provider-id="local"]');
    expect(item.get('[data-testid="key-status"]').text()).toBe('Key set');
    expect(item.text()).toContain(provider.baseUrl);
    expect(document.body.innerHTML).not.toContain(API_KEY);

    await item.get('[data-action="test-provider"]').trigger('click');
    await settled(() => expect(item.find('[data-testid="connection-result"]').exists()).toBe(true));
    const result = item.get('[data-testid="connection-result"]');
    expect(result.attributes('data-ok')).toBe('true');
    expect(result.text()).toMatch(/^Connected · HTTP 200 · \d+ ms · Connected: 1 model available\.$/);
    expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    // Editing starts with an empty key field and says why the key must be entered again.
    await item.get('[data-action="edit-provider"]').trigger('click');
    const dialog = wrapper.get('[data-testid="provider-dialog"]');
    expect(fieldOf(dialog, 'apiKey').element.value).toBe('');
    expect(fieldOf(dialog, 'apiKey').attributes('type')).toBe('password');
    expect(dialog.find('[data-testid="reenter-key"]').exists()).toBe(true);
    expect(dialog.get('[data-action="save-provider"]').attributes('disabled')).toBeDefined();
    await fieldOf(dialog, 'defaultModel').setValue('test-model');
    await fieldOf(dialog, 'apiKey').setValue(API_KEY);
    await dialog.get('[data-action="save-provider"]').trigger('click');
    await settled(() => expect(wrapper.get('[data-provider-id="local"]').text()).toContain('test-model'));
    expect(wrapper.get('[data-provider-id="local"] [data-testid="key-status"]').attributes('data-key-source')).toBe('stored');
    expect(document.body.innerHTML).not.toContain(API_KEY);
  });

  it("shows a failed connection test with the provider's status and the reason, and deletes the provider after asking", async () => {
    const wrapper = await mountPanel();
    // The origin without /v1, a common slip: the model list is not where the protocol expects it.
    await addProvider(wrapper, { id: 'gone', baseUrl: provider.anthropicBaseUrl });
    await settled(() => expect(wrapper.find('[data-provider-id="gone"]').exists()).toBe(true));
    expect(wrapper.get('[data-provider-id="gone"] [data-testid="key-status"]').text()).toBe('No key');

    await wrapper.get('[data-provider-id="gone"] [data-action="test-provider"]').trigger('click');
    await settled(() => expect(wrapper.find('[data-testid="connection-result"]').exists()).toBe(true));
    const result = wrapper.get('[data-testid="connection-result"]');
    expect(result.attributes('data-ok')).toBe('false');
    expect(result.text()).toMatch(/^Failed · 404 · \d+ ms · /);
    expect(result.text()).toContain(`${provider.anthropicBaseUrl}/models answered 404: no model list here; check that baseUrl ends with the API's version path`);

    await wrapper.get('[data-provider-id="gone"] [data-action="delete-provider"]').trigger('click');
    await settled(() => expect(document.querySelector('.el-message-box')?.textContent).toContain('Delete the provider "gone"?'));
    confirmMessageBox();
    await settled(() => expect(wrapper.find('[data-provider-id="gone"]').exists()).toBe(false));
    expect(await server?.settings.listProviders()).toEqual([]);
  });

  it('shows the server\'s code and message when it refuses to store a key', async () => {
    const wrapper = await mountPanel({});
    await addProvider(wrapper, { id: 'nokey', baseUrl: provider.baseUrl, apiKey: API_KEY });
    const alert = wrapper.get('[data-testid="provider-dialog"] [data-testid="settings-error"]');
    expect(alert.attributes('data-error-code')).toBe('secret_key_required');
    expect(alert.text()).toMatch(/^secret_key_required: apiKey cannot be stored: the server has no LOOMFLOW_SECRET_KEY/);
    expect(await server?.settings.listProviders()).toEqual([]);
  });
});
