// Flows and their published versions in the server's tables. Every write is one statement or one
// batch (never an interactive transaction; see packages/checkpoint-libsql ARCHITECTURE.md), and
// every check that guards a write is part of that write's WHERE clause, so concurrent requests
// cannot slip between a read and a write.
import type { FlowDocument } from '@loomflow/graph-schema';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { flowVersions, flows } from '../db/schema';

export interface StoredFlow {
  readonly flow: FlowDocument;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface FlowSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: 'agent' | 'bpmn';
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredVersion {
  readonly version: number;
  readonly message: string;
  readonly revision: number;
  readonly createdAt: number;
  readonly flow: FlowDocument;
}

export type UpdateOutcome = { readonly status: 'updated'; readonly revision: number } | { readonly status: 'missing' } | { readonly status: 'stale'; readonly revision: number };

/** Where a debug run of the flow pauses, saved apart from its logic. */
export interface DebugSettings {
  readonly breakpoints: { readonly before: readonly string[]; readonly after: readonly string[] };
}

export class FlowStore {
  // Every run start reads its flow's document. Built once rather than per call, since drizzle takes
  // about as long to build a query's SQL as SQLite takes to run this one.
  readonly #draftDocument;
  readonly #versionDocument;

  constructor(private readonly db: Database) {
    // The column's text as stored, not drizzle's parse of it (sql<string> has no decoder).
    this.#draftDocument = db.select({ json: sql<string>`${flows.document}` }).from(flows).where(eq(flows.id, sql.placeholder('id'))).limit(1).prepare();
    this.#versionDocument = db
      .select({ json: sql<string>`${flowVersions.document}` })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, sql.placeholder('id')), eq(flowVersions.version, sql.placeholder('version'))))
      .limit(1)
      .prepare();
  }

  /**
   * The document a run executes, as the JSON text stored: the draft, or a published version;
   * undefined when there is none. Only that column is read: the driver describes and converts
   * every column of a result per call. Text, because a run start needs no parse of it: the
   * compiled flow is cached by the text, the run row stores it as it is, and a run worker parses
   * it only to compile it (a 2,000-node document is 400 kB: 3 ms to parse, 2.5 to stringify).
   */
  async documentJson(id: string, version: number | undefined): Promise<string | undefined> {
    const row = version === undefined ? await this.#draftDocument.get({ id }) : await this.#versionDocument.get({ id, version });
    return row?.json;
  }

  async list(options: { q?: string | undefined; limit: number; offset: number }): Promise<{ items: FlowSummary[]; total: number }> {
    // LIKE wildcards typed by the user are matched literally.
    const pattern = options.q === undefined ? undefined : `%${options.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const condition = pattern === undefined ? undefined : sql`${flows.name} like ${pattern} escape '\\'`;
    const [items, totals] = await Promise.all([
      this.db
        .select({ id: flows.id, name: flows.name, kind: flows.kind, revision: flows.revision, createdAt: flows.createdAt, updatedAt: flows.updatedAt })
        .from(flows)
        .where(condition)
        .orderBy(desc(flows.updatedAt), flows.id)
        .limit(options.limit)
        .offset(options.offset),
      this.db.select({ total: count() }).from(flows).where(condition),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  /** Every stored BPMN process: where a message that no instance waits for may start one. */
  async bpmnDocuments(): Promise<{ id: string; flow: FlowDocument }[]> {
    const rows = await this.db.select({ id: flows.id, document: flows.document }).from(flows).where(eq(flows.kind, 'bpmn')).orderBy(flows.id);
    return rows.map((row) => ({ id: row.id, flow: row.document as FlowDocument }));
  }

  /**
   * Which BPMN documents exist and which edit of each, without reading them: the edit is the
   * revision, the creation time and the document's length, so that a process deleted and stored
   * again under its id (its revision back at 1) is told apart from the one before.
   */
  async bpmnEdits(): Promise<{ id: string; edit: string }[]> {
    const rows = await this.db
      .select({ id: flows.id, revision: flows.revision, createdAt: flows.createdAt, length: sql<number>`length(${flows.document})` })
      .from(flows)
      .where(eq(flows.kind, 'bpmn'))
      .orderBy(flows.id);
    return rows.map((row) => ({ id: row.id, edit: `${row.revision}:${row.createdAt}:${row.length}` }));
  }

  async get(id: string): Promise<StoredFlow | undefined> {
    const row = (await this.db.select().from(flows).where(eq(flows.id, id)).limit(1))[0];
    return row && { flow: row.document as FlowDocument, revision: row.revision, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }

  /** The flow's debug settings, or undefined when there is no such flow. */
  async debugSettings(id: string): Promise<DebugSettings | undefined> {
    const row = (await this.db.select({ debug: flows.debug }).from(flows).where(eq(flows.id, id)).limit(1))[0];
    return row && ((row.debug as DebugSettings | null) ?? { breakpoints: { before: [], after: [] } });
  }

  /** Replaces the flow's debug settings, leaving its document and revision alone; false when there is no such flow. */
  async setDebugSettings(id: string, settings: DebugSettings): Promise<boolean> {
    const updated = await this.db.update(flows).set({ debug: settings }).where(eq(flows.id, id)).returning({ id: flows.id });
    return updated.length === 1;
  }

  /** False when a flow with this id exists already. */
  async create(flow: FlowDocument): Promise<boolean> {
    const inserted = await this.db
      .insert(flows)
      .values({ id: flow.id, name: flow.name, kind: flow.kind, document: flow, revision: 1, updatedAt: Date.now(), createdAt: Date.now() })
      .onConflictDoNothing()
      .returning({ id: flows.id });
    return inserted.length === 1;
  }

  /** Saves a new draft when `expectedRevision` is still the stored one. */
  async update(flow: FlowDocument, expectedRevision: number): Promise<UpdateOutcome> {
    const updated = await this.db
      .update(flows)
      .set({ name: flow.name, kind: flow.kind, document: flow, revision: sql`${flows.revision} + 1`, updatedAt: Date.now() })
      .where(and(eq(flows.id, flow.id), eq(flows.revision, expectedRevision)))
      .returning({ revision: flows.revision });
    if (updated[0]) return { status: 'updated', revision: updated[0].revision };
    const current = await this.get(flow.id);
    return current ? { status: 'stale', revision: current.revision } : { status: 'missing' };
  }

  async delete(id: string): Promise<boolean> {
    // SQLite enforces foreign keys only when asked per connection, so the versions go explicitly.
    const [, deleted] = await this.db.batch([
      this.db.delete(flowVersions).where(eq(flowVersions.flowId, id)),
      this.db.delete(flows).where(eq(flows.id, id)).returning({ id: flows.id }),
    ]);
    return deleted.length === 1;
  }

  /** Publishes the current draft as the next version number; undefined when the flow is gone. */
  async publish(id: string, message: string, draft: StoredFlow): Promise<number | undefined> {
    // The number is computed inside the INSERT, so two concurrent publishes get two numbers (or
    // one fails on the primary key) instead of sharing one.
    const result = await this.db.run(sql`
      insert into ${flowVersions} (flow_id, version, message, document, revision, created_at)
      select ${id}, coalesce(max(version), 0) + 1, ${message}, ${JSON.stringify(draft.flow)}, ${draft.revision}, ${Date.now()}
      from ${flowVersions} where flow_id = ${id}
      returning version`);
    const version = result.rows[0]?.[0];
    return version === undefined ? undefined : Number(version);
  }

  async listVersions(id: string): Promise<Omit<StoredVersion, 'flow'>[]> {
    return this.db
      .select({ version: flowVersions.version, message: flowVersions.message, revision: flowVersions.revision, createdAt: flowVersions.createdAt })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, id))
      .orderBy(desc(flowVersions.version));
  }

  async getVersion(id: string, version: number): Promise<StoredVersion | undefined> {
    const row = (
      await this.db
        .select()
        .from(flowVersions)
        .where(and(eq(flowVersions.flowId, id), eq(flowVersions.version, version)))
        .limit(1)
    )[0];
    return row && { version: row.version, message: row.message, revision: row.revision, createdAt: row.createdAt, flow: row.document as FlowDocument };
  }

  /** Makes a published version the draft again, as a new revision; undefined when the flow is gone. */
  async restore(id: string, version: StoredVersion): Promise<number | undefined> {
    const updated = await this.db
      .update(flows)
      .set({ name: version.flow.name, kind: version.flow.kind, document: version.flow, revision: sql`${flows.revision} + 1`, updatedAt: Date.now() })
      .where(eq(flows.id, id))
      .returning({ revision: flows.revision });
    return updated[0]?.revision;
  }
}
