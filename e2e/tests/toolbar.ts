// The editor toolbar keeps its less-used actions (file import and export) in a "More" menu so it
// fits one row at 1280 px; journeys reach those actions through this helper, by their data-action.
import { expect, type Locator, type Page } from '@playwright/test';

/** Opens the toolbar's "More" menu and answers its visible item for `action`, ready to click. */
export async function moreAction(page: Page, action: string): Promise<Locator> {
  await page.locator('[data-action="more"]').click();
  const item = page.getByRole('menuitem').and(page.locator(`[data-action="${action}"]`));
  await expect(item).toBeVisible();
  return item;
}
