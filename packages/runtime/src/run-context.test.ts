// The light run context (run-context.ts) against @langchain/core's own runWithConfig: what a node
// and LangGraph read from async local storage must be the same, and only the RunTree is left out.
// A @langchain/core upgrade that changes that contract fails here.
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { getContextVariable, setContextVariable } from '@langchain/core/context';
import type { RunnableConfig } from '@langchain/core/runnables';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { Annotation, Command, END, MemorySaver, START, StateGraph, interrupt } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { installLightRunContext } from './run-context';

installLightRunContext();

type Provider = typeof AsyncLocalStorageProviderSingleton;
/** Core's own method, which the light one stands in for on the singleton. */
const coreRunWithConfig = (Object.getPrototypeOf(AsyncLocalStorageProviderSingleton) as Provider).runWithConfig;

/** What code running inside `runWithConfig` reads: the config, a context variable, and the store's kind. */
interface Observed {
  readonly config: RunnableConfig | undefined;
  readonly variable: string | undefined;
  readonly storeKind: string | undefined;
}

function observe(runWithConfig: Provider['runWithConfig'], config: RunnableConfig): Observed {
  // `call` keeps `this` (the singleton) but not the method's generic return type.
  return runWithConfig.call(AsyncLocalStorageProviderSingleton, config, (): Observed => {
    const store = AsyncLocalStorageProviderSingleton.getInstance().getStore() as object | undefined;
    return {
      config: AsyncLocalStorageProviderSingleton.getRunnableConfig() as RunnableConfig | undefined,
      variable: getContextVariable<string>('tenant'),
      storeKind: store?.constructor.name,
    };
  }) as Observed;
}

describe('the light run context', () => {
  it('is installed on core’s singleton, and core still builds a RunTree there (else drop it)', () => {
    expect(AsyncLocalStorageProviderSingleton.runWithConfig).not.toBe(coreRunWithConfig);
    expect(String(coreRunWithConfig)).toContain('new RunTree');
  });

  it('gives code inside it the config and context variables core gives, without a RunTree', () => {
    const config: RunnableConfig = { configurable: { thread_id: 't-1' }, tags: ['a'], metadata: { m: 1 } };
    const [core, light] = [coreRunWithConfig, AsyncLocalStorageProviderSingleton.runWithConfig].map((method) =>
      AsyncLocalStorageProviderSingleton.getInstance().run(undefined, (): Observed => {
        setContextVariable('tenant', 'acme');
        return observe(method, config);
      }),
    );
    expect(core?.storeKind).toBe('RunTree');
    expect(light?.storeKind).toBe('Object');
    expect(light?.config).toBe(config);
    expect(core?.config).toBe(config);
    expect(light?.variable).toBe('acme');
    expect(core?.variable).toBe('acme');
  });

  it('leaves a call with a LangChain tracer among its callbacks to core, which builds the tree', () => {
    class Tracer extends BaseCallbackHandler {
      name = 'langchain_tracer';
    }
    expect(observe(AsyncLocalStorageProviderSingleton.runWithConfig, { callbacks: [new Tracer()] }).storeKind).toBe('RunTree');
    expect(observe(AsyncLocalStorageProviderSingleton.runWithConfig, { callbacks: [] }).storeKind).toBe('Object');
  });

  it('leaves a call that asks for no root tree to core', () => {
    const seen = AsyncLocalStorageProviderSingleton.runWithConfig({ configurable: { thread_id: 't-2' } }, () => AsyncLocalStorageProviderSingleton.getRunnableConfig(), true);
    expect(seen).toBeUndefined();
  });

  it('lets LangGraph nodes interrupt, resume and read their config through it', async () => {
    const State = Annotation.Root({ answer: Annotation<string>, thread: Annotation<string> });
    const graph = new StateGraph(State)
      .addNode('ask', () => {
        const thread = String(AsyncLocalStorageProviderSingleton.getRunnableConfig()?.configurable?.thread_id);
        return { answer: interrupt<string, string>('approve?'), thread };
      })
      .addEdge(START, 'ask')
      .addEdge('ask', END)
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: 'light-1' } };
    const paused = await graph.invoke({ answer: '' }, config);
    expect((paused as { __interrupt__?: { value: unknown }[] }).__interrupt__?.[0]?.value).toBe('approve?');
    expect(await graph.invoke(new Command({ resume: 'yes' }), config)).toMatchObject({ answer: 'yes', thread: 'light-1' });
  });
});
