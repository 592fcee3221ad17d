// Who is using the Tasks page: the name they claim tasks with. The server has no accounts, so
// this browser remembers the name the person typed, as it remembers the API token.
export const CURRENT_PERSON_STORAGE_KEY = 'loomflow.tasks.me';

export function loadCurrentPerson(storage: Pick<Storage, 'getItem'>): string {
  return storage.getItem(CURRENT_PERSON_STORAGE_KEY) ?? '';
}

export function saveCurrentPerson(storage: Pick<Storage, 'setItem' | 'removeItem'>, name: string): void {
  const trimmed = name.trim();
  if (trimmed === '') storage.removeItem(CURRENT_PERSON_STORAGE_KEY);
  else storage.setItem(CURRENT_PERSON_STORAGE_KEY, trimmed);
}
