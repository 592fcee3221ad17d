// What `run`, `resume` and `state` share: the database (checkpoints and the CLI's thread table),
// a runtime whose sub-flows come from the documents stored with the thread, and the compile step
// with its two ways to fail before anything runs.
import { LibsqlSaver } from '@loomflow/checkpoint-libsql';
import type { KnowledgeStore } from '@loomflow/knowledge';
import { dirname, resolve } from 'node:path';
import { FlowInvalidError, FlowRuntime, NodeExecutionError, SandboxPool, SdkMcpClientPool, type CompiledFlow, type Retriever } from '@loomflow/runtime';
import { ExitCode } from './command';
import { checkFlow, reportInvalidFlow } from './flow-check';
import { readFlowFile } from './flow-file';
import type { CliIo } from './io';
import { describeFailure } from './run-report';
import { knowledgeEmbedders, providerServices } from './providers';
import { loadSubflows } from './subflows';
import { ThreadStore, type ThreadRecord } from './thread-store';

export interface ThreadFlow extends ThreadRecord {
  /** How messages name the flow: its file, when known. */
  readonly source: string;
}

type Compiled = { readonly ok: true; readonly flow: CompiledFlow } | { readonly ok: false; readonly exitCode: number };

export class RunSession {
  readonly threads: ThreadStore;
  // One sandbox for the session, so that closing it ends its worker thread and watchdog timers:
  // a run stopped by Ctrl-C must not keep the process alive until abandoned user code times out.
  // One worker is enough for one run; the pool queues the code nodes of parallel branches.
  readonly #sandbox = new SandboxPool(1);
  /** Opened when a retrieval step first searches, so that flows without one leave the database as it was. */
  #knowledge: Promise<KnowledgeStore> | undefined;
  /** agent.retriever steps search the knowledge bases `loomflow kb` keeps in the same database. */
  readonly #retriever: Retriever = {
    retrieve: async (request, options) => {
      // Loaded on first use: its PDF and HTML readers are large, and most runs retrieve nothing.
      this.#knowledge ??= import('@loomflow/knowledge').then(({ KnowledgeStore }) => KnowledgeStore.open(this.saver.client, this.embedders));
      return (await this.#knowledge).retrieve(request, options);
    },
  };
  // The machine's own user runs the CLI, so a flow may start MCP servers from its command line.
  // Registered names are the server's settings, which the CLI does not read.
  readonly #mcp = new SdkMcpClientPool({ allowInlineStdio: true });

  private constructor(
    readonly saver: LibsqlSaver,
    readonly dbUrl: string,
    /** The models and credentials of --provider, for LLM steps. */
    private readonly modelServices: ReturnType<typeof providerServices>,
    /** The same providers' embedding models, for knowledge bases that name one. */
    private readonly embedders: ReturnType<typeof knowledgeEmbedders>,
  ) {
    this.threads = new ThreadStore(saver.client);
  }

  /** Opens the database at `dbUrl`; resolves to undefined after saying why it cannot be opened. */
  static async open(dbUrl: string, io: CliIo, providers: ReadonlyMap<string, string> = new Map()): Promise<RunSession | undefined> {
    try {
      return new RunSession(await LibsqlSaver.open(dbUrl), dbUrl, providerServices(providers, io.env), knowledgeEmbedders(providers, io.env));
    } catch (error) {
      io.stderr(`loomflow: cannot open the database ${dbUrl}: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    }
  }

  /**
   * Compiles a flow whose sub-flows are the given documents. When the flow cannot run it says why
   * and gives the exit code: invalid (1), or using a node type this runtime cannot execute (4).
   */
  compile(io: CliIo, source: string, flow: unknown, subflows: Readonly<Record<string, unknown>>): Compiled {
    const runtime = new FlowRuntime({
      checkpointer: this.saver,
      hostServices: { retriever: this.#retriever, mcp: this.#mcp, ...this.modelServices },
      services: {
        sandbox: this.#sandbox,
        loadFlow: async (flowId) => {
          if (flowId in subflows) return subflows[flowId];
          throw new Error(`sub-flow "${flowId}" was not found when the run started`);
        },
      },
    });
    try {
      return { ok: true, flow: runtime.compile(flow) };
    } catch (error) {
      if (error instanceof FlowInvalidError) {
        reportInvalidFlow(io, source, error.issues);
        return { ok: false, exitCode: ExitCode.invalidInput };
      }
      if (error instanceof NodeExecutionError) {
        io.stderr(`loomflow: ${describeFailure({ code: error.code, message: error.message }, error.nodeId)}\n`);
        return { ok: false, exitCode: ExitCode.runFailed };
      }
      throw error;
    }
  }

  /**
   * The flow a thread runs: the one given with `--flow` (its sub-flows read from its folder), or
   * else the one stored when `loomflow run` started the thread. Resolves to undefined after
   * saying what is wrong.
   */
  async threadFlow(io: CliIo, threadId: string, flowPath: string | undefined): Promise<ThreadFlow | undefined> {
    if (flowPath !== undefined) {
      const file = await readFlowFile(flowPath, io);
      if (!file.ok) {
        io.stderr(`loomflow: ${file.message}\n`);
        return undefined;
      }
      if (!checkFlow(io, flowPath, file.document)) return undefined;
      const subflows = await loadSubflows(file.document, resolve(dirname(flowPath)), io);
      if (!subflows) return undefined;
      return { threadId, flow: file.document, flowPath, subflows, source: flowPath };
    }
    const record = await this.threads.recall(threadId);
    if (!record) {
      io.stderr(
        `loomflow: unknown thread "${threadId}": no \`loomflow run\` started it in ${this.dbUrl} (give the database it ran in with --db, or its flow with --flow)\n`,
      );
      return undefined;
    }
    return { ...record, source: record.flowPath ?? `the flow of thread ${threadId}` };
  }

  async close(): Promise<void> {
    // Ends the MCP servers this session started, or they would keep the process alive.
    await Promise.all([this.#sandbox.close(), this.#mcp.close()]);
    this.saver.close();
  }
}
