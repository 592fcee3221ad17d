// Gives every LangGraph node call its config through async local storage without building a
// LangSmith RunTree each time.
//
// @langchain/core's `AsyncLocalStorageProvider.runWithConfig` is called by LangGraph for every
// node, writer and route (RunnableCallable.invoke). When no LangChain tracer is attached it still
// builds `new RunTree({ tracingEnabled: false })` (uuid v7, timestamps, a dozen environment reads)
// only to carry the config under `extra[lc:child_config]`, where `getRunnableConfig()` (and so
// LangGraph's `interrupt()`, `writer` and nested runnables) finds it. That tree is never traced. It
// was ~13% of a BPMN instance's CPU (packages/bpmn/ARCHITECTURE.md). Here, when no tracer would
// take the call, the store is a plain object with the same two fields core reads (`extra` and the
// context variables), and everything else goes to core's own method. No environment variable or
// option of core turns the tree off; run-context.test.ts holds this replacement to
// core's behaviour, so an upgrade of @langchain/core that changes it fails there first.
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import type { RunnableConfig } from '@langchain/core/runnables';

/** The keys core's provider reads from the store (singletons/async_local_storage). */
const CHILD_CONFIG_KEY = Symbol.for('lc:child_config');
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');

type RunWithConfig = typeof AsyncLocalStorageProviderSingleton.runWithConfig;

const PATCHED = Symbol.for('loomflow:light-run-context');

/** The variables that make @langchain/core attach a LangSmith tracer to every call. */
const TRACING_VARIABLES = ['LANGSMITH_TRACING_V2', 'LANGCHAIN_TRACING_V2', 'LANGSMITH_TRACING', 'LANGCHAIN_TRACING'];

/**
 * Whether the call's own callbacks hold a LangChain tracer, in which case core's method builds the
 * tracer's tree. Read off the config directly: core's `CallbackManager._configureSync` reads the
 * environment on every call, which cost as much as the tree it decides about.
 */
function tracerAttached(config: RunnableConfig | undefined): boolean {
  const { callbacks } = config ?? {};
  const handlers = Array.isArray(callbacks) ? callbacks : (callbacks?.handlers ?? []);
  return handlers.some((handler) => 'name' in handler && handler.name === 'langchain_tracer');
}

/** Installs the light run context once per process (core's provider is a process-wide singleton). */
export function installLightRunContext(): void {
  const provider = AsyncLocalStorageProviderSingleton as typeof AsyncLocalStorageProviderSingleton & { [PATCHED]?: true };
  // With tracing switched on for the process, every call gets a tracer: core's method it is.
  if (provider[PATCHED] || TRACING_VARIABLES.some((name) => process.env[name] === 'true')) return;
  const original: RunWithConfig = provider.runWithConfig.bind(provider);
  const light: RunWithConfig = (config, callback, avoidCreatingRootRunTree) => {
    if (avoidCreatingRootRunTree === true || tracerAttached(config)) return original(config, callback, avoidCreatingRootRunTree);
    const storage = provider.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    const store: Record<string | symbol, unknown> = { extra: { [CHILD_CONFIG_KEY]: config } };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) store[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    return storage.run(store, callback);
  };
  provider.runWithConfig = light;
  provider[PATCHED] = true;
}
