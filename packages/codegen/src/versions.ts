// The exact versions a generated project pins. They are the versions this workspace runs its own
// flows with (versions.test.ts checks them against the installed packages), so generated code is
// tested against what it will install.

/** Packages the generated code imports, and LangGraph's required peers. */
export const runtimeDependencies = {
  '@langchain/anthropic': '1.5.11',
  '@langchain/core': '1.4.0',
  '@langchain/langgraph': '1.7.3',
  '@langchain/openai': '1.6.0',
  feelin: '8.2.0',
  'ipaddr.js': '2.5.0',
  undici: '7.30.2',
  zod: '4.6.7',
} as const;

/** Tools of the generated project: type checking, running `src/main.ts`, serving with `langgraphjs dev`. */
export const toolDependencies = {
  '@langchain/langgraph-cli': '2.0.0',
  '@types/node': '20.19.43',
  tsx: '4.23.15',
  typescript: '6.0.3',
} as const;

export type RuntimeDependency = keyof typeof runtimeDependencies;
