// /api/flows: drafts with optimistic concurrency, published versions, validation. Drafts are saved
// even with validation issues (as n8n and Dify do: a half-drawn flow must survive a reload), but a
// body that is not a flow document at all is refused with 400; publishing needs an error-free flow.
import { CodegenRefusedError, generateProject } from '@loomflow/codegen';
import { flowDocumentSchema, hasErrors, validateFlow, type FlowDocument, type NodeTypeRegistry } from '@loomflow/graph-schema';
import { strToU8, zipSync } from 'fflate';
import { Hono } from 'hono';
import { apiError } from '../errors';
import { validate } from '../validation';
import type { FlowStore } from './flow-store';
import {
  debugSettingsBodySchema,
  duplicateFlowBodySchema,
  flowIdParamSchema,
  listFlowsQuerySchema,
  publishFlowBodySchema,
  updateFlowBodySchema,
  versionParamSchema,
} from './schemas';

export interface FlowRouteDependencies {
  readonly flows: FlowStore;
  readonly registry: NodeTypeRegistry;
}

export function flowRoutes({ flows, registry }: FlowRouteDependencies) {
  const issuesOf = (flow: FlowDocument) => validateFlow(flow, { registry });
  const noFlow = (c: Parameters<typeof apiError>[0], id: string) => apiError(c, 404, 'flow_not_found', `No flow with id "${id}".`, { id });

  return new Hono()
    .get('/flows', validate('query', listFlowsQuerySchema), async (c) => c.json(await flows.list(c.req.valid('query')), 200))
    .post('/flows/validate', validate('json', flowDocumentSchema), (c) => {
      const issues = issuesOf(c.req.valid('json'));
      return c.json({ ok: !hasErrors(issues), issues }, 200);
    })
    // The designer's "Export code": the web app cannot run the generator (it lowers through the
    // runtime, which needs Node), so the server writes the project and sends it as one zip.
    .post('/flows/codegen', validate('json', flowDocumentSchema), async (c) => {
      const flow = c.req.valid('json');
      const issues = issuesOf(flow);
      if (hasErrors(issues)) return apiError(c, 422, 'flow_invalid', `Flow "${flow.id}" has validation errors; fix them before exporting code.`, { issues });
      let files: Readonly<Record<string, string>>;
      try {
        // A sub-flow node's flow is written into the project: the stored draft, or the version it names.
        const loadFlow = async (flowId: string, version?: number) => (version === undefined ? await flows.get(flowId) : await flows.getVersion(flowId, version))?.flow;
        files = await generateProject(flow, { registry, loadFlow });
      } catch (error) {
        if (!(error instanceof CodegenRefusedError)) throw error;
        return apiError(c, 422, 'codegen_refused', error.message, { nodeId: error.nodeId, reason: error.reason, ...(error.localized ? { localizedReason: error.localized } : {}) });
      }
      // Inside a folder named after the flow, as a person unpacking it expects.
      const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [`${flow.id}/${path}`, strToU8(text)])));
      return c.body(zip, 200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${flow.id}.zip"` });
    })
    .post('/flows', validate('json', flowDocumentSchema), async (c) => {
      const flow = c.req.valid('json');
      if (!(await flows.create(flow))) return apiError(c, 409, 'flow_exists', `A flow with id "${flow.id}" exists already.`, { id: flow.id });
      return c.json({ id: flow.id, revision: 1, issues: issuesOf(flow) }, 201);
    })
    .get('/flows/:id', validate('param', flowIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const stored = await flows.get(id);
      if (!stored) return noFlow(c, id);
      return c.json({ flow: stored.flow, revision: stored.revision, updatedAt: stored.updatedAt, issues: issuesOf(stored.flow) }, 200);
    })
    .get('/flows/:id/debug', validate('param', flowIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      const [settings, stored] = await Promise.all([flows.debugSettings(id), flows.get(id)]);
      if (!settings || !stored) return noFlow(c, id);
      return c.json({ ...settings, revision: stored.revision }, 200);
    })
    .put('/flows/:id/debug', validate('param', flowIdParamSchema), validate('json', debugSettingsBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const stored = await flows.get(id);
      if (!stored) return noFlow(c, id);
      const { breakpoints } = c.req.valid('json');
      const nodes = new Set(stored.flow.nodes.map((node) => node.id));
      const unknown = [...new Set([...breakpoints.before, ...breakpoints.after])].filter((nodeId) => !nodes.has(nodeId));
      if (unknown.length > 0) {
        return apiError(c, 422, 'unknown_node', `Flow "${id}" has no node ${unknown.map((nodeId) => `"${nodeId}"`).join(', ')} to pause at.`, { nodes: unknown });
      }
      await flows.setDebugSettings(id, { breakpoints });
      // The revision is the document's: debug settings never change it.
      return c.json({ breakpoints, revision: stored.revision }, 200);
    })
    .put('/flows/:id', validate('param', flowIdParamSchema), validate('json', updateFlowBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { flow, revision } = c.req.valid('json');
      if (flow.id !== id) {
        return apiError(c, 400, 'flow_id_mismatch', `The document's id "${flow.id}" is not the flow "${id}" being saved; duplicate the flow to change its id.`, { id, documentId: flow.id });
      }
      const outcome = await flows.update(flow, revision);
      if (outcome.status === 'missing') return noFlow(c, id);
      if (outcome.status === 'stale') {
        return apiError(c, 409, 'stale_revision', `The flow changed since revision ${revision} (now ${outcome.revision}); reload it before saving.`, {
          expected: revision,
          current: outcome.revision,
        });
      }
      return c.json({ id, revision: outcome.revision, issues: issuesOf(flow) }, 200);
    })
    .delete('/flows/:id', validate('param', flowIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await flows.delete(id))) return noFlow(c, id);
      return c.body(null, 204);
    })
    .post('/flows/:id/duplicate', validate('param', flowIdParamSchema), validate('json', duplicateFlowBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const stored = await flows.get(id);
      if (!stored) return noFlow(c, id);
      const name = body.name ?? `${stored.flow.name} (copy)`;
      const candidates = body.id ? [body.id] : copyIds(id);
      for (const copyId of candidates) {
        const copy = { ...stored.flow, id: copyId, name };
        if (await flows.create(copy)) return c.json({ id: copyId, revision: 1, issues: issuesOf(copy) }, 201);
      }
      return apiError(c, 409, 'flow_exists', `A flow with id "${body.id ?? `${id}-copy`}" exists already.`, { id: body.id ?? `${id}-copy` });
    })
    .get('/flows/:id/versions', validate('param', flowIdParamSchema), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await flows.get(id))) return noFlow(c, id);
      return c.json({ items: await flows.listVersions(id) }, 200);
    })
    .post('/flows/:id/versions', validate('param', flowIdParamSchema), validate('json', publishFlowBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const draft = await flows.get(id);
      if (!draft) return noFlow(c, id);
      const issues = issuesOf(draft.flow);
      if (hasErrors(issues)) {
        return apiError(c, 422, 'flow_invalid', `Flow "${id}" has validation errors; fix them before publishing.`, { issues });
      }
      const version = await flows.publish(id, c.req.valid('json').message, draft);
      if (version === undefined) return noFlow(c, id);
      return c.json({ version, revision: draft.revision }, 201);
    })
    .get('/flows/:id/versions/:version', validate('param', versionParamSchema), async (c) => {
      const { id, version } = c.req.valid('param');
      const stored = await flows.getVersion(id, version);
      if (!stored) return apiError(c, 404, 'version_not_found', `Flow "${id}" has no version ${version}.`, { id, version });
      return c.json(stored, 200);
    })
    .post('/flows/:id/versions/:version/restore', validate('param', versionParamSchema), async (c) => {
      const { id, version } = c.req.valid('param');
      const stored = await flows.getVersion(id, version);
      if (!stored) return apiError(c, 404, 'version_not_found', `Flow "${id}" has no version ${version}.`, { id, version });
      const revision = await flows.restore(id, stored);
      if (revision === undefined) return noFlow(c, id);
      return c.json({ id, revision }, 200);
    });
}

/** `x-copy`, `x-copy-2`, … : a few tries before asking the client to choose an id. */
function copyIds(id: string): string[] {
  return [`${id}-copy`, ...Array.from({ length: 9 }, (_, index) => `${id}-copy-${index + 2}`)];
}
