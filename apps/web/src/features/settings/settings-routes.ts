// The settings pages' routes, gathered by router.ts. Each page is loaded when first opened, so
// the flow list stays the only page in the first download.
import type { RouteRecordRaw } from 'vue-router';

export const settingsRoutes: RouteRecordRaw[] = [
  {
    path: '/settings',
    component: () => import('./SettingsPage.vue'),
    children: [
      { path: '', name: 'settings', redirect: { name: 'settings-providers' } },
      { path: 'providers', name: 'settings-providers', component: () => import('./ProvidersPanel.vue') },
      { path: 'mcp-servers', name: 'settings-mcp-servers', component: () => import('./McpServersPanel.vue') },
      { path: 'knowledge-bases', name: 'settings-knowledge-bases', component: () => import('./KnowledgeBasesPanel.vue') },
      { path: 'knowledge-bases/:id', name: 'settings-knowledge-base', component: () => import('./KnowledgeBaseDetail.vue'), props: true },
    ],
  },
];
