// The designer's "Export code": the zip a person downloads is a whole LangGraph.js project whose
// graph names the drawn nodes. The generated code itself is proven in packages/codegen; this
// journey proves the button, the server route and the download hang together.
import type { Locator, Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

interface FlowFile {
  id: string;
  name: string;
  nodes: { id: string; type: string }[];
}

const example = (path: string) => JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8')) as FlowFile;

/** The e2e database outlives one run: every test stores its own copy under a fresh id. */
const freshId = (base: string) => `${base}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * The toolbar may show the button or fold it into an overflow menu on a narrow toolbar;
 * either way it is found by its accessible name, as a person using a screen reader would.
 */
async function exportCodeButton(page: Page): Promise<Locator> {
  const button = page.getByRole('button', { name: /^Export code/ });
  const more = page.getByRole('button', { name: /^More/ });
  // Wait for the toolbar to be drawn before deciding which of the two places holds the button.
  await expect(button.or(more).first()).toBeVisible();
  if (await button.isVisible()) return button;
  await more.click();
  const item = page.getByRole('menuitem', { name: /^Export code/ }).or(button);
  await expect(item.first()).toBeVisible();
  return item.first();
}

test('export code downloads a LangGraph.js project whose graph names every drawn node', async ({ page, request }) => {
  const flow = example('agent/code-and-template.json');
  flow.id = freshId(flow.id);
  expect((await request.post('/api/flows', { data: flow })).status()).toBe(201);
  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('flow-canvas').locator(`[data-flow-id="${flow.id}"]`)).toBeAttached();

  const button = await exportCodeButton(page);
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(file.suggestedFilename()).toBe(`${flow.id}.zip`);
  const entries = unzipSync(readFileSync(await file.path()));
  const text = (path: string) => {
    const bytes = entries[`${flow.id}/${path}`];
    if (!bytes) throw new Error(`the zip has no ${flow.id}/${path}; it has ${Object.keys(entries).join(', ')}`);
    return strFromU8(bytes);
  };

  for (const path of ['package.json', 'tsconfig.json', 'README.md', '.env.example', 'langgraph.json', 'src/state.ts', 'src/nodes.ts', 'src/main.ts']) {
    expect(text(path).length, path).toBeGreaterThan(0);
  }
  expect(JSON.parse(text('package.json'))).toMatchObject({ dependencies: { '@langchain/langgraph': expect.any(String) } });
  expect(JSON.parse(text('langgraph.json'))).toMatchObject({ graphs: expect.any(Object) });
  const graph = text('src/graph.ts');
  // The generated code is formatted, so a node id may be quoted either way.
  const quoted = (id: string) => new RegExp(`\\.addNode\\((['"])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);
  for (const node of flow.nodes) expect(graph, `graph.ts adds ${node.id}`).toMatch(quoted(node.id));
});
