// Flows stored through the server's API for a journey, and opened in the editor.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect } from './fixtures';

/** Stores an example flow through the server's API under a fresh id and answers that id. */
export async function createFlow(request: APIRequestContext, example: string): Promise<string> {
  const flow = JSON.parse(readFileSync(new URL(`../../examples/${example}`, import.meta.url), 'utf8')) as { id: string };
  // The e2e database outlives one run: every test stores its own copy.
  const id = `${flow.id}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const response = await request.post('/api/flows', { data: { ...flow, id } });
  expect(response.status()).toBe(201);
  return id;
}

export async function openFlow(page: Page, id: string): Promise<Locator> {
  await page.goto(`/flows/${id}`);
  const canvas = page.getByTestId('flow-canvas');
  await expect(canvas.locator('[data-node-id="start"]')).toBeVisible();
  return canvas;
}
