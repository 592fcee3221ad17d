import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from './testing/fixtures';

let test: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.dispose());

describe('GET /api/openapi.json', () => {
  it('describes every route from the schemas the routes validate with', async () => {
    const res = await test.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> }; parameters: { name: string; in: string }[] }>> };
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/flows', '/api/flows/{id}', '/api/flows/{id}/runs', '/api/runs/{id}/events', '/api/threads/{id}/resume', '/api/tasks/{id}/complete', '/api/tasks/events', '/api/knowledge-bases/{id}/documents', '/api/knowledge-bases/{id}/search']),
    );
    const createFlow = document.paths['/api/flows']?.post?.requestBody?.content['application/json']?.schema;
    expect(createFlow?.required).toEqual(expect.arrayContaining(['schemaVersion', 'id', 'name', 'kind', 'nodes']));
    expect(document.paths['/api/flows/{id}/versions/{version}']?.get?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['path:id', 'path:version']);
    expect(document.paths['/api/tasks']?.get?.parameters.map((parameter) => parameter.name)).toEqual(['assignee', 'group', 'status', 'limit', 'offset']);
    // Both provider kinds, from the discriminated union the route validates with.
    expect(JSON.stringify(document.paths['/api/settings/providers/{id}']?.put?.requestBody)).toMatch(/"openai-compatible".*"anthropic"/);
  });
});
