// The node-type registry belongs to the app instance (docs/ARCHITECTURE.md § One document, one
// registry, many consumers), so components receive it by injection rather than importing a
// module-level singleton; tests provide their own.
import type { NodeTypeRegistry } from '@loomflow/graph-schema';
import { inject, type InjectionKey } from 'vue';

export const nodeTypeRegistryKey: InjectionKey<NodeTypeRegistry> = Symbol('NodeTypeRegistry');

export function useNodeTypeRegistry(): NodeTypeRegistry {
  const registry = inject(nodeTypeRegistryKey);
  if (!registry) throw new Error('No node-type registry was provided to this app (app.provide(nodeTypeRegistryKey, ...)).');
  return registry;
}
