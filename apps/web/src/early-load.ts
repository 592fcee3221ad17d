// Runs before the rest of the app's code is evaluated (index.html loads it first). On an editor
// address, the flow's request and the editor's code go out at once, instead of the request
// waiting until the editor page has loaded and mounted (issue 15: editor boot). The API client
// takes the early response in place of its own request (api-client.ts `early`).
import { API_TOKEN_STORAGE_KEY } from './api/api-client';

const earlyResponses = new Map<string, Promise<Response>>();
const editorAddress = /^\/flows\/([^/]+)\/?$/;

const found = editorAddress.exec(window.location.pathname);
if (found) {
  const token = window.localStorage.getItem(API_TOKEN_STORAGE_KEY);
  const url = new URL(`/api/flows/${found[1] ?? ''}`, window.location.origin).href;
  const response = fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  // Marked handled: a failure is reported by whoever takes the response, and by nobody if no one does.
  response.catch(() => undefined);
  earlyResponses.set(url, response);
  // The same module the router loads for this address; a failure shows when the router loads it.
  import('./pages/FlowEditorPage.vue').catch(() => undefined);
}

/** The response of an early GET of `url`, once; later requests go to the server again. */
export function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const href = new URL(url, window.location.origin).href;
  const response = earlyResponses.get(href);
  earlyResponses.delete(href);
  return response;
}
