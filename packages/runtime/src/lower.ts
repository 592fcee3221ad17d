// Lowering: a validated flow document becomes the plain-data IR. All decisions about how a drawing
// runs (routes, joins, fan-outs, limits) are made here, once, so the LangGraph builder and the code
// generator only translate.
import {
  analyzeFlow,
  createDefaultRegistry,
  hasErrors,
  migrateFlow,
  resolvePort,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type NodeTypeRegistry,
  type RetryPolicy,
  type ToolConfig,
} from '@loomflow/graph-schema';
import { FlowInvalidError } from './errors';
import { CAUGHT_EVENT_EXECUTOR, IR_VERSION, routeTargets, type BranchIR, type EdgeIR, type ErrorBoundaryIR, type EscalationIR, type EventIR, type FanOutIR, type FlowIR, type ForkIR, type NodeIR, type RouteIR } from './ir';
import { recursionLimitFor } from './recursion-limit';

/** A flow lowered but for its chains, which are found from the rest. */
type LoweredFlow = Omit<FlowIR, 'chains' | 'forkedChains' | 'chainTails'>;

export interface LowerOptions {
  readonly registry?: NodeTypeRegistry;
}

const ERROR_PORT = 'error';

interface ExecutionPolicy {
  join?: 'any' | 'all';
  retry?: RetryPolicy;
  nodeTimeoutMs?: number;
}

/** Migrates and validates the flow and lowers it to the IR; throws FlowInvalidError with the issues if invalid. */
export function lowerFlow(input: unknown, options: LowerOptions = {}): FlowIR {
  const registry = options.registry ?? createDefaultRegistry();
  // Every host compiles through here (FlowRuntime.compile: the server's compile cache, the CLI's
  // run, resume and state, sub-flows), so this one call brings any stored flow's nodes up to their
  // types' current versions before anything reads a config.
  const { flow: current } = migrateFlow(input, { registry });
  const { issues, flow, configs } = analyzeFlow(current, { registry });
  if (hasErrors(issues) || !flow) throw new FlowInvalidError(issues);
  // A flow without errors has every node's config parsed by the validator.
  return lowerValidFlow(flow, registry, configs as ReadonlyMap<string, Record<string, unknown>>);
}

function lowerValidFlow(flow: FlowDocument, registry: NodeTypeRegistry, configs: ReadonlyMap<string, Record<string, unknown>>): FlowIR {
  const nodeTypes = new Map(flow.nodes.map((node) => [node.id, registry.get(node.type)]));
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  /** The containers a node is drawn in, innermost first (a cycle of parents, which the validator reports, ends the walk). */
  const ancestors = (node: FlowNode): FlowNode[] => {
    const found: FlowNode[] = [];
    for (let parent = byId.get(node.parent ?? ''); parent !== undefined && !found.includes(parent); parent = byId.get(parent.parent ?? '')) found.push(parent);
    return found;
  };
  const isScope = (nodeId: string) => {
    const nodeType = nodeTypes.get(nodeId);
    return nodeType?.container === 'scope' && nodeType.role !== 'artifact';
  };
  // A sub-process runs its own content; pools and lanes only partition the process they hold.
  const scopeOf = (node: FlowNode): string | undefined => ancestors(node).find((ancestor) => isScope(ancestor.id))?.id;
  const laneOf = (node: FlowNode): string | undefined => {
    const lane = ancestors(node).find((ancestor) => nodeTypes.get(ancestor.id)?.container === 'partition');
    return lane && (lane.name?.trim() || lane.id);
  };
  const outgoing = new Map<string, FlowEdge[]>();
  for (const edge of flow.edges) {
    const list = outgoing.get(edge.source);
    if (list) list.push(edge);
    else outgoing.set(edge.source, [edge]);
  }
  const channelNames = new Set(flow.state.channels.map((channel) => channel.name));

  // Escalation boundary events by the sub-process they sit on, in drawing order.
  const escalationCatchers = new Map<string, { boundary: string; escalationCode?: string | undefined; interrupting: boolean }[]>();
  for (const node of flow.nodes) {
    const caught = nodeTypes.get(node.id)?.traits.catches?.(configs.get(node.id));
    if (caught?.event !== 'escalation') continue;
    escalationCatchers.set(caught.attachedTo, [...(escalationCatchers.get(caught.attachedTo) ?? []), { boundary: node.id, escalationCode: caught.escalationCode, interrupting: caught.interrupting }]);
  }
  /** Where the node's escalation goes: the first boundary event catching its code on the nearest sub-process around it that has one. */
  const escalationOf = (node: FlowNode): EscalationIR | undefined => {
    const thrown = nodeTypes.get(node.id)?.traits.escalates?.(configs.get(node.id));
    if (!thrown) return undefined;
    const code = thrown.escalationCode;
    for (const scope of ancestors(node).filter((ancestor) => isScope(ancestor.id))) {
      const catcher = escalationCatchers.get(scope.id)?.find((candidate) => candidate.escalationCode === undefined || candidate.escalationCode === code);
      if (catcher) return { ...(code ? { escalationCode: code } : {}), caughtBy: catcher.boundary, interrupting: catcher.interrupting };
    }
    return { ...(code ? { escalationCode: code } : {}), interrupting: false };
  };

  /** The IR of the process (scope undefined) or of one sub-process's content, which runs as its own graph. */
  const lowerScope = (scope: string | undefined): FlowIR => {
    const flowNodes = flow.nodes.filter((node) => nodeTypes.get(node.id)?.role !== 'artifact' && scopeOf(node) === scope);
    const edges: EdgeIR[] = [];
    const routes: RouteIR[] = [];
    const routedTargets = new Set<string>();
    for (const node of flowNodes) {
      const nodeType = nodeTypes.get(node.id);
      const config = configs.get(node.id) ?? {};
      const leaving = (outgoing.get(node.id) ?? []).filter((edge) => edge.sourcePort !== ERROR_PORT);
      const ports = (nodeType?.outputPorts(config) ?? []).filter((port) => port.id !== ERROR_PORT);
      const isConditional = nodeType?.branching === 'conditional' || leaving.some((edge) => edge.condition !== undefined || edge.isDefault);

      const toolCallsIn = nodeType?.traits.routesByToolCalls?.(config);
      if (nodeType?.branching === 'event') {
        // An event-based gateway leaves towards the event that came first only (its `events`).
        leaving.forEach((edge) => routedTargets.add(edge.target));
      } else if (ports.length > 1 && toolCallsIn !== undefined) {
        const byPort: Record<string, string[]> = {};
        for (const edge of leaving) {
          const port = resolvePort(ports, 'source', edge.sourcePort)?.id ?? String(edge.sourcePort);
          byPort[port] = [...(byPort[port] ?? []), edge.target];
        }
        routes.push({ kind: 'port', source: node.id, channel: toolCallsIn, select: 'tool-calls', ports: byPort, fallbackPort: 'out' });
        leaving.forEach((edge) => routedTargets.add(edge.target));
      } else if (ports.length > 1) {
        const routesBy = nodeType?.traits.routesBy;
        if (!routesBy) throw new Error(`node type ${node.type} has several output ports but no routesBy trait naming the channel that chooses one`);
        const byPort: Record<string, string[]> = {};
        for (const edge of leaving) {
          // The validator's port rule: every edge reaching here resolves (unknown-port is an error).
          const port = resolvePort(ports, 'source', edge.sourcePort)?.id ?? String(edge.sourcePort);
          byPort[port] = [...(byPort[port] ?? []), edge.target];
        }
        routes.push({ kind: 'port', source: node.id, channel: routesBy(config), ports: byPort, fallbackPort: 'fallback' });
        leaving.forEach((edge) => routedTargets.add(edge.target));
      } else if (isConditional) {
        const toBranch = (edge: FlowEdge): BranchIR => ({
          edgeId: edge.id,
          target: edge.target,
          ...(edge.condition?.trim() ? { condition: edge.condition } : {}),
        });
        const fallback = leaving.find((edge) => edge.isDefault);
        routes.push({
          kind: 'conditions',
          source: node.id,
          match: nodeType?.traits.takesEveryTrueCondition ? 'all' : 'first',
          branches: leaving.filter((edge) => !edge.isDefault).map(toBranch),
          ...(fallback ? { fallback: toBranch(fallback) } : {}),
        });
        leaving.forEach((edge) => routedTargets.add(edge.target));
      } else {
        for (const edge of leaving) edges.push({ sources: [node.id], target: edge.target });
      }
    }

    /** The tools of the tool runners a model's `tools` port leads to (the validator checked they are runners). */
    const toolsBehindPort = (nodeId: string): ToolConfig[] => {
      const ports = nodeTypes.get(nodeId)?.outputPorts(configs.get(nodeId) ?? {}) ?? [];
      const runners = (outgoing.get(nodeId) ?? []).filter((edge) => resolvePort(ports, 'source', edge.sourcePort)?.id === 'tools').map((edge) => edge.target);
      return [...new Set(runners)].flatMap((runner) => ((configs.get(runner) ?? {}) as { tools?: ToolConfig[] }).tools ?? []);
    };

    // Error boundary events continue the flow where their node's failure leaves it; boundary
    // events of other kinds stay nodes of their own (the builder refuses those it cannot run).
    const errorBoundaries = new Map<string, ErrorBoundaryIR[]>();
    for (const node of flowNodes) {
      const caught = nodeTypes.get(node.id)?.traits.catches?.(configs.get(node.id));
      // An interrupting escalation boundary ends its sub-process as an error boundary does; a non-interrupting one the builder refuses.
      const escalation = caught?.event === 'escalation' && caught.interrupting ? { escalation: caught.escalationCode ? { escalationCode: caught.escalationCode } : {} } : undefined;
      if (!caught || (caught.event !== 'error' && !escalation)) continue;
      const boundary: ErrorBoundaryIR = { target: node.id, ...(caught.errorCode ? { errorCode: caught.errorCode } : {}), ...escalation };
      errorBoundaries.set(caught.attachedTo, [...(errorBoundaries.get(caught.attachedTo) ?? []), boundary]);
    }

    // Timer, message and signal boundary events are events their node waits for beside its work;
    // an event-based gateway waits for the events after it instead. Either continues at the node
    // that catches the event.
    const awaited = (nodeId: string) => nodeTypes.get(nodeId)?.traits.awaitsEvent?.(configs.get(nodeId));
    const waitedEvents = new Map<string, EventIR[]>();
    const addEvent = (waiter: string, event: EventIR) => waitedEvents.set(waiter, [...(waitedEvents.get(waiter) ?? []), event]);
    const caughtByGateway = new Set<string>();
    for (const node of flowNodes) {
      const caught = nodeTypes.get(node.id)?.traits.catches?.(configs.get(node.id));
      const event = awaited(node.id);
      if (caught && event) addEvent(caught.attachedTo, { target: node.id, event, interrupting: caught.interrupting });
      if (nodeTypes.get(node.id)?.branching !== 'event') continue;
      for (const edge of outgoing.get(node.id) ?? []) {
        const after = awaited(edge.target);
        if (!after) continue;
        addEvent(node.id, { target: edge.target, event: after, interrupting: true });
        caughtByGateway.add(edge.target);
      }
    }

    // A join with one way in is no join: as one, it would wait for unrelated branches.
    const incoming = new Map<string, number>();
    for (const node of flowNodes) for (const edge of outgoing.get(node.id) ?? []) incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
    const nodes: NodeIR[] = flowNodes.map((node) => {
      const config = configs.get(node.id) ?? {};
      const policy = config as ExecutionPolicy;
      const traits = nodeTypes.get(node.id)?.traits;
      const joinsAll = (policy.join === 'all' || traits?.joinsAll === true) && (incoming.get(node.id) ?? 0) > 1;
      const onErrorGoto = (outgoing.get(node.id) ?? []).filter((edge) => edge.sourcePort === ERROR_PORT).map((edge) => edge.target);
      const lane = laneOf(node);
      const caughtBy = errorBoundaries.get(node.id);
      const events = waitedEvents.get(node.id);
      const escalation = escalationOf(node);
      return {
        id: node.id,
        type: node.type,
        ...(node.name ? { name: node.name } : {}),
        executor: caughtByGateway.has(node.id) ? CAUGHT_EVENT_EXECUTOR : node.type,
        config,
        join: joinsAll ? (traits?.joinsTakenOnly ? 'taken' : 'all') : 'any',
        // A looping activity is several graph nodes (loop-activity.ts), never part of a fused chain.
        pure: traits?.pure === true && config.loop === undefined,
        ...(traits?.pure !== true && traits?.headsChain?.(config) === true && config.loop === undefined ? { headsChain: true } : {}),
        ...(policy.retry && policy.retry.maxAttempts > 1 ? { retry: policy.retry } : {}),
        ...(policy.nodeTimeoutMs ? { timeoutMs: policy.nodeTimeoutMs } : {}),
        ...(onErrorGoto.length > 0 ? { onErrorGoto } : {}),
        ...(caughtBy ? { errorBoundaries: caughtBy } : {}),
        ...(events ? { events } : {}),
        ...(escalation ? { escalation } : {}),
        ...(lane ? { lane } : {}),
        ...(isScope(node.id) ? { body: lowerScope(node.id) } : {}),
        ...(traits?.routesByToolCalls?.(config) !== undefined ? { tools: toolsBehindPort(node.id) } : {}),
      };
    });

    const fanOuts: FanOutIR[] = flowNodes.flatMap((node) => {
      const spec = nodeTypes.get(node.id)?.traits.fansOut?.(configs.get(node.id));
      if (!spec) return [];
      // Only the channels the worker reads cross into each of its runs, when its type can tell.
      const reads = nodeTypes.get(spec.worker)?.traits.reads?.(configs.get(spec.worker))?.filter((name) => channelNames.has(name) && name !== spec.as);
      return [
        {
          mapNode: node.id,
          worker: spec.worker,
          items: spec.items,
          as: spec.as,
          collect: spec.collect,
          ...(spec.maxConcurrency ? { maxConcurrency: spec.maxConcurrency } : {}),
          ...(reads ? { reads: [...new Set(reads)] } : {}),
        },
      ];
    });

    // The scope's own start. At the process level a collaboration of several processes has one
    // start per pool and no single entry.
    const entries = flowNodes.filter((node) => nodeTypes.get(node.id)?.role === 'start');
    const entry = entries.length === 1 ? entries[0] : undefined;
    const startMessage = entry && nodeTypes.get(entry.id)?.traits.startsOnMessage?.(configs.get(entry.id));
    const startSignal = entry && nodeTypes.get(entry.id)?.traits.startsOnSignal?.(configs.get(entry.id));
    const startTimer = entry && nodeTypes.get(entry.id)?.traits.startsOnTimer?.(configs.get(entry.id));
    const lowered: LoweredFlow = {
      irVersion: IR_VERSION,
      flowId: flow.id,
      kind: flow.kind,
      channels: flow.state.channels.map((channel) => ({
        name: channel.name,
        type: channel.type,
        reducer: channel.reducer,
        ...(channel.default === undefined ? {} : { default: channel.default }),
      })),
      ...(scope === undefined && flow.state.input ? { input: flow.state.input } : {}),
      ...(scope === undefined && flow.state.output ? { output: flow.state.output } : {}),
      entry: entry?.id as string,
      ...(startMessage ? { startMessage } : {}),
      ...(startSignal ? { startSignal } : {}),
      ...(startTimer ? { startTimer } : {}),
      nodes,
      edges: joinWaitingEdges(edges, nodes, routedTargets),
      routes,
      fanOuts,
      finishes: flowNodes.filter((node) => nodeTypes.get(node.id)?.role === 'end').map((node) => node.id),
      recursionLimit: recursionLimitFor(flow),
      ...(scope === undefined && flow.runTimeoutMs !== undefined ? { runTimeoutMs: flow.runTimeoutMs } : {}),
    };
    // A terminate end event ends the scope in its step. A chain does not see what runs beside it in
    // its step, so beside one it would run its nodes after the first, and a fused fork its branches
    // and what follows, after the scope ended: where one may end a scope that runs nodes at once,
    // nothing is fused.
    const terminates = flowNodes.some((node) => nodeTypes.get(node.id)?.traits.terminates?.(configs.get(node.id)) === true);
    const oneAtATime = runsOneAtATime(lowered);
    const { chains } = terminates && !oneAtATime ? { chains: [] } : findChains(lowered, false);
    // A fork ends in a waiting edge: without one there is none to find.
    const forked = !terminates && lowered.edges.some((edge) => edge.sources.length > 1) ? findChains(lowered, true) : undefined;
    // Tails are taken only where nothing runs beside the chain (findChainTails).
    const chainTails = oneAtATime ? findChainTails(lowered, chains) : {};
    return {
      ...lowered,
      chains,
      ...(forked && Object.keys(forked.forks).length > 0 ? { forkedChains: forked } : {}),
      ...(Object.keys(chainTails).length > 0 ? { chainTails } : {}),
    };
  };
  return lowerScope(undefined);
}

/**
 * Finds the chains a normal run fuses. A node joins its predecessor's chain when the predecessor's
 * only way on is one unconditional edge to it, that edge is its only way in, and neither has
 * run-time policies (retries, timeouts, error routes) or join semantics that need a node of their
 * own. Routing nodes may only end a chain, since routes are evaluated between LangGraph nodes.
 * One node with side effects that may head a chain (its type's `headsChain` trait) may also be in
 * one, after pure nodes only: running the step again (after a crash) runs nothing with side
 * effects but it, and the pure nodes before it repeat their events exactly.
 *
 * `withForks`: a chain also goes on through a fork of pure branches that meet again (findFork):
 * its branches and their join become members, and the chain runs them as LangGraph would run
 * their steps. Threads started before keep the chains found without.
 */
export function findChains(ir: LoweredFlow, withForks: boolean): { chains: string[][]; forks: Record<string, ForkIR> } {
  const nodes = new Map(ir.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, number>();
  const count = (target: string, by = 1) => incoming.set(target, (incoming.get(target) ?? 0) + by);
  for (const edge of ir.edges) count(edge.target, edge.sources.length);
  for (const route of ir.routes) {
    const targets = routeTargets(route);
    for (const target of targets) count(target, 2);
  }
  for (const node of ir.nodes) for (const target of [...(node.onErrorGoto ?? []), ...(node.errorBoundaries ?? []), ...(node.events ?? [])].map((to) => (typeof to === 'string' ? to : to.target))) count(target, 2);
  for (const fanOut of ir.fanOuts) count(fanOut.worker, 2);

  const routed = new Set(ir.routes.map((route) => route.source));
  const plainSuccessor = new Map<string, string>();
  const outgoingCount = new Map<string, number>();
  const outgoing = new Map<string, EdgeIR[]>();
  for (const edge of ir.edges) {
    for (const source of edge.sources) {
      outgoingCount.set(source, (outgoingCount.get(source) ?? 0) + 1);
      const out = outgoing.get(source);
      if (out) out.push(edge);
      else outgoing.set(source, [edge]);
      if (edge.sources.length === 1) plainSuccessor.set(source, edge.target);
    }
  }
  const waitingTargets = new Set(ir.edges.filter((edge) => edge.sources.length > 1).map((edge) => edge.target));
  const inFanOuts = new Set(ir.fanOuts.flatMap((fanOut) => [fanOut.mapNode, fanOut.worker]));
  // Error routes and awaited events need the node's own graph node (its error handler and ends).
  const alone = (node: NodeIR) => node.onErrorGoto !== undefined || node.errorBoundaries !== undefined || node.events !== undefined;
  // Retries and timeouts are a step's: a node with them may only head a chain.
  const hasPolicies = (node: NodeIR) => Boolean(node.retry) || Boolean(node.timeoutMs);
  const fusible = (node: NodeIR) => node.pure && !hasPolicies(node) && !alone(node);
  // A node with side effects runs in a chain as its own step would: its policies become the chain's.
  const effectful = (node: NodeIR) => node.headsChain === true && node.join === 'any' && !alone(node) && node.body === undefined && !inFanOuts.has(node.id);
  // A join may head a chain when a waiting edge runs it once; a deferred join stays alone.
  const canHead = (node: NodeIR) => (fusible(node) && (node.join === 'any' || waitingTargets.has(node.id))) || effectful(node);
  /** The node `from`'s chain goes on with, if any: a pure one, or one with side effects if the chain has none yet. */
  const links = (from: NodeIR, hasEffects: boolean): NodeIR | undefined => {
    if (routed.has(from.id) || outgoingCount.get(from.id) !== 1) return undefined;
    const next = nodes.get(plainSuccessor.get(from.id) ?? '');
    if (!next || next.join !== 'any' || incoming.get(next.id) !== 1 || next.id === ir.entry) return undefined;
    return fusible(next) || (!hasEffects && effectful(next) && !hasPolicies(next)) ? next : undefined;
  };

  /**
   * The fork a chain may take in after `from`: from each of its unconditional edges (two or more,
   * its only ways on) a line of pure nodes, each the only way on of the one before and reached
   * only from it, the lines ending together in the one waiting edge into a join that nothing
   * else reaches. Every member is a pure node with no policies or join of its own but the join's.
   */
  const findFork = (from: NodeIR): { lines: string[][]; join: NodeIR } | undefined => {
    const out = outgoing.get(from.id) ?? [];
    if (routed.has(from.id) || inFanOuts.has(from.id) || out.length < 2 || out.some((edge) => edge.sources.length !== 1)) return undefined;
    const plain = (node: NodeIR | undefined): node is NodeIR => node !== undefined && fusible(node) && node.id !== ir.entry && node.body === undefined && !inFanOuts.has(node.id) && !routed.has(node.id);
    const lines: string[][] = [];
    for (const edge of out) {
      const line: string[] = [];
      for (let node = nodes.get(edge.target); ; ) {
        // Reached only from the node before, a line never comes back to one of its nodes.
        if (!plain(node) || node.join !== 'any' || incoming.get(node.id) !== 1 || outgoingCount.get(node.id) !== 1) return undefined;
        line.push(node.id);
        const next = plainSuccessor.get(node.id);
        // No plain way on: the node's one way on is a waiting edge.
        if (next === undefined) break;
        node = nodes.get(next);
      }
      lines.push(line);
    }
    const lasts = lines.map((line) => line.at(-1) as string);
    const waiting = outgoing.get(lasts[0] as string)?.[0];
    if (!waiting || waiting.sources.length !== lasts.length || !lasts.every((id) => waiting.sources.includes(id))) return undefined;
    const join = nodes.get(waiting.target);
    if (!plain(join) || join.join !== 'all' || incoming.get(join.id) !== waiting.sources.length) return undefined;
    return { lines, join };
  };

  /** Every fork a chain may take in, by the node that forks. */
  const forkAt = new Map(withForks ? ir.nodes.flatMap((node) => {
    const fork = findFork(node);
    return fork ? [[node.id, fork] as const] : [];
  }) : []);

  const inChain = new Set<string>();
  const chains: string[][] = [];
  const forks: Record<string, ForkIR> = {};
  /** Nodes a chain stopped before because it already had a node with side effects: each may head its own. */
  const stoppedAt: NodeIR[] = [];
  const walk = (node: NodeIR) => {
    const chain = [node.id];
    const chainForks: Record<string, ForkIR> = {};
    let hasEffects = !node.pure;
    for (let last = node; ; ) {
      const next = links(last, hasEffects);
      if (next) {
        if (inChain.has(next.id) || chain.includes(next.id)) break;
        chain.push(next.id);
        hasEffects ||= !next.pure;
        last = next;
        continue;
      }
      const fork = forkAt.get(last.id);
      if (!fork || [...fork.lines.flat(), fork.join.id].some((id) => inChain.has(id) || chain.includes(id))) break;
      chainForks[last.id] = { lines: fork.lines, join: fork.join.id };
      chain.push(...fork.lines.flat(), fork.join.id);
      last = fork.join;
    }
    const last = nodes.get(chain.at(-1) as string) as NodeIR;
    const refused = hasEffects ? links(last, false) : undefined;
    if (refused && !refused.pure) stoppedAt.push(refused);
    if (chain.length < 2) return;
    chain.forEach((id) => inChain.add(id));
    chains.push(chain);
    Object.assign(forks, chainForks);
  };
  // Chains start at a node no chain continues into: walk from every such node. A fork's lines and
  // join wait for the chain before the fork to take them in (a line walked first would keep its
  // nodes from it); those no chain took are walked last.
  const forkMembers = [...forkAt.values()].flatMap((fork) => [...fork.lines.map((line) => nodes.get(line[0] as string) as NodeIR), fork.join]);
  const continued = new Set([
    ...ir.nodes.flatMap((node) => (canHead(node) ? [links(node, false)?.id].filter((id): id is string => id !== undefined) : [])),
    ...forkMembers.map((member) => member.id),
  ]);
  for (const node of ir.nodes) {
    if (canHead(node) && !continued.has(node.id) && !inChain.has(node.id)) walk(node);
  }
  for (let node = stoppedAt.shift(); node; node = stoppedAt.shift()) {
    if (!inChain.has(node.id)) walk(node);
  }
  for (const member of forkMembers) {
    if (canHead(member) && !inChain.has(member.id)) walk(member);
  }
  return { chains, forks };
}

/**
 * Whether a flow (or a sub-process's content) never runs two nodes at once: no fan-out, join,
 * parallel or inclusive split, always-taken branch beside others, awaited event or error route.
 */
function runsOneAtATime(ir: LoweredFlow): boolean {
  const plainOutgoing = new Map<string, number>();
  for (const edge of ir.edges) for (const source of edge.sources) plainOutgoing.set(source, (plainOutgoing.get(source) ?? 0) + 1);
  const routed = new Set(ir.routes.map((route) => route.source));
  return (
    ir.fanOuts.length === 0 &&
    ir.edges.every((edge) => edge.sources.length === 1) &&
    [...plainOutgoing.entries()].every(([source, count]) => count === 1 && !routed.has(source)) &&
    ir.routes.every((route) => (route.kind === 'port' ? Object.values(route.ports).every((targets) => targets.length <= 1) : route.match === 'first' && route.branches.every((branch) => branch.condition !== undefined))) &&
    ir.nodes.every((node) => node.join === 'any' && node.events === undefined && node.errorBoundaries === undefined && node.onErrorGoto === undefined && node.body === undefined)
  );
}

/**
 * Finds the route targets a normal run takes inside the chain that ends at the route's source: a
 * target that only this route reaches and that begins a line of pure nodes (each the only way on
 * of the one before, none with policies, error routes or awaited events) ending the run. A BPMN
 * gateway's branch to a task and an end event then costs no step, checkpoint and writes of its own.
 *
 * Inside the chain the route sees the chain's view of the state; between steps it would see every
 * task's writes of the step. The two agree only when nothing runs beside the chain, so the caller
 * asks for tails only in flows that never run two nodes at once (runsOneAtATime), where every node
 * has at most one plain way on.
 */
function findChainTails(ir: LoweredFlow, chains: readonly (readonly string[])[]): Record<string, Record<string, string[]>> {
  const plainOutgoing = new Map<string, string>();
  for (const edge of ir.edges) for (const source of edge.sources) plainOutgoing.set(source, edge.target);
  const routed = new Set(ir.routes.map((route) => route.source));

  const nodes = new Map(ir.nodes.map((node) => [node.id, node]));
  const waysIn = new Map<string, number>();
  for (const edge of ir.edges) waysIn.set(edge.target, (waysIn.get(edge.target) ?? 0) + 1);
  for (const route of ir.routes) for (const target of routeTargets(route)) waysIn.set(target, (waysIn.get(target) ?? 0) + 1);
  const finishes = new Set(ir.finishes);
  const fusible = (node: NodeIR | undefined): node is NodeIR => node !== undefined && node.pure && !node.retry && !node.timeoutMs && node.id !== ir.entry && waysIn.get(node.id) === 1;
  /** The pure line from `target` to the end of the run, if there is one. */
  const tailFrom = (target: string): string[] | undefined => {
    const tail: string[] = [];
    for (let node = nodes.get(target); fusible(node); node = nodes.get(plainOutgoing.get(node.id) ?? '')) {
      if (tail.includes(node.id)) return undefined;
      tail.push(node.id);
      const next = plainOutgoing.get(node.id);
      if (next === undefined && !routed.has(node.id)) return finishes.has(node.id) ? tail : undefined;
    }
    return undefined;
  };
  const tails: Record<string, Record<string, string[]>> = {};
  for (const chain of chains) {
    const source = chain.at(-1) as string;
    const route = ir.routes.find((each) => each.source === source);
    if (!route) continue;
    const found = Object.fromEntries(routeTargets(route).flatMap((target) => {
      const tail = tailFrom(target);
      return tail ? [[target, tail] as const] : [];
    }));
    if (Object.keys(found).length > 0) tails[source] = found;
  }
  return tails;
}

/**
 * A node that joins all its branches, and that only unconditional edges reach, gets one waiting
 * edge from all its sources: LangGraph then runs it once, after the last branch arrives, however
 * long each branch is. (Joins reached through conditions are deferred by the builder instead.)
 */
function joinWaitingEdges(edges: readonly EdgeIR[], nodes: readonly NodeIR[], routedTargets: ReadonlySet<string>): EdgeIR[] {
  const waiting = new Set(nodes.filter((node) => node.join === 'all' && !routedTargets.has(node.id)).map((node) => node.id));
  const joined = new Map<string, string[]>();
  const result: EdgeIR[] = [];
  for (const edge of edges) {
    if (!waiting.has(edge.target)) {
      result.push(edge);
      continue;
    }
    const sources = joined.get(edge.target) ?? [];
    if (sources.length === 0) joined.set(edge.target, sources);
    for (const source of edge.sources) if (!sources.includes(source)) sources.push(source);
  }
  for (const [target, sources] of joined) result.push({ sources, target });
  return result;
}
