import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import { settingsRoutes } from './features/settings/settings-routes';
import FlowListPage from './pages/FlowListPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'flow-list', component: FlowListPage },
  // The editor brings LogicFlow along; loading it on demand keeps the first page light.
  { path: '/flows/:id', name: 'flow-editor', component: () => import('./pages/FlowEditorPage.vue') },
  // A stored run of the flow, drawn read-only with the document it ran (features/history).
  { path: '/flows/:id/runs/:runId', name: 'flow-run', component: () => import('./features/history/RunViewPage.vue') },
  ...settingsRoutes,
  { path: '/tasks', name: 'tasks', component: () => import('./features/tasks/TasksPage.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage },
];

/** History mode: the server answers every page URL with index.html (apps/server web-app.ts). */
export function createAppRouter(history: RouterHistory = createWebHistory()) {
  return createRouter({ history, routes });
}
