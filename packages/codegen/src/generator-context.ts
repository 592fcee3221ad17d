// What a node type's generator is given and gives back: the node, and the means to write the
// expressions, imports and modules its function needs (the project writer, project.ts, provides them).
import type { ChannelIR, NodeIR } from '@loomflow/runtime';
import type { RuntimeDependency } from './versions';

/** What a generator gets: the node and the means to write expressions the generated helpers evaluate. */
export interface GeneratorContext {
  readonly node: NodeIR;
  readonly channels: ReadonlyMap<string, ChannelIR>;
  /** Code evaluating a FEEL expression over `scope` (default `state`), typed as the TypeScript type given. */
  feel(expression: string, type?: string): string;
  /** Code filling a `{{channel}}` template from `state`. */
  template(template: string): string;
  /** Adds a JavaScript module (`src/code/<file>.js`, the node's id by default) whose default export is the drawn source as a function of `state`; returns its local name. */
  javascript(source: string, file?: string): string;
  /** Code pausing for an answer (LangGraph `interrupt`) with the request literal given; evaluates to the answer. */
  interrupt(request: string): string;
  /** Code writing the keys of an answer object that are channels of the flow. */
  channelUpdate(value: string): string;
  /** Code turning a code function's result into an update: an object (of the listed channels, when given), or nothing. */
  codeUpdate(value: string, writes?: readonly string[]): string;
  /** Adds a package a module of the project's own imports to its dependencies. */
  depend(from: RuntimeDependency): void;
  /** Imports a name from a package the project depends on (or a subpath of it, like `/messages`); returns the name. */
  use(name: string, from: RuntimeDependency, subpath?: string): string;
  /** Code reading an environment variable, which .env.example lists with the description given. */
  environment(variable: string, description: string): string;
  /** Adds a TypeScript module of the project (`src/<file>.ts`, written once) that other modules import. */
  module(file: string, source: string): void;
  /** Adds a module as `module` does and imports a name it exports into the node functions; returns the name. */
  local(name: string, file: string, source: string): string;
  /** Adds a section to the project's README.md (once). */
  readme(section: string): void;
  /** The TypeScript type of a channel's values. */
  typeOf(channel: string): string;
  /** The name of the reducer function a channel combines writes with (exported by state.ts). */
  reducer(channel: string): string;
  /**
   * The LangGraph names the node's outgoing edges lead to (`__end__` after a last node), for a node
   * that leaves by a `Command` only (`NodeSource.leavesByCommand`); undefined when a condition or
   * a join decides where it goes.
   */
  exits(): readonly string[] | undefined;
  /**
   * Writes the flow a sub-flow node runs into the project (`src/flows/<flow id>/`, once) and
   * returns the local name of its compiled graph and the channels it outputs; refuses the node
   * when the flow was not found or would contain itself.
   */
  subflow(flowId: string): { readonly graph: string; readonly outputs: readonly string[]; readonly recursionLimit: number };
}

export interface NodeSource {
  readonly body: string;
  readonly async?: boolean;
  /** The function takes the run's config (LangGraphRunnableConfig) as `config`, to hand it to a graph it runs. */
  readonly config?: boolean;
  /** The body may return a LangGraph `Command` (go to a node other than by the edges). */
  readonly command?: boolean;
  /** Every return is a `Command` naming where it goes (its `exits()` too): the graph adds no edges from it. */
  readonly leavesByCommand?: boolean;
  /**
   * The function is one instance of a multi-instance activity: it takes `(state, instance)`, the
   * instance's scope and which instance it is, and returns the instance's variables, or null when
   * another instance's answer closed it (multi-instance.ts writes the nodes around it).
   */
  readonly instance?: boolean;
}

export type NodeGenerator = (context: GeneratorContext) => NodeSource;
