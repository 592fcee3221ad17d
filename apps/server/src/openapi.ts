// GET /api/openapi.json, generated from the zod schemas the routes validate with, so the
// description cannot drift from what the server accepts. Each operation names its schemas here.
import { flowDocumentSchema } from '@loomflow/graph-schema';
import { Hono } from 'hono';
import { z, type ZodType } from 'zod';
import {
  debugSettingsBodySchema,
  debugSettingsSchema,
  duplicateFlowBodySchema,
  flowIdParamSchema,
  flowResponseSchema,
  listFlowsQuerySchema,
  listFlowsResponseSchema,
  publishFlowBodySchema,
  revisionResponseSchema,
  updateFlowBodySchema,
  validateResponseSchema,
  versionParamSchema,
  versionResponseSchema,
} from './flows/schemas';
import {
  flowRunParamSchema,
  historyQuerySchema,
  listRunsQuerySchema,
  replayBodySchema,
  resumeBodySchema,
  resumeResponseSchema,
  runIdParamSchema,
  startRunBodySchema,
  startRunResponseSchema,
  stateQuerySchema,
  threadIdParamSchema,
  updateStateBodySchema,
} from './runs/schemas';
import {
  addDocumentBodySchema,
  createKnowledgeBaseBodySchema,
  documentParamSchema,
  documentViewSchema,
  knowledgeBaseParamSchema,
  knowledgeBaseViewSchema,
  listDocumentsResponseSchema,
  listKnowledgeBasesResponseSchema,
  searchBodySchema,
  searchResponseSchema,
} from './knowledge/schemas';
import { connectionTestResultSchema, listProvidersResponseSchema, providerIdParamSchema, providerViewSchema, putProviderBodySchema } from './settings/schemas';
import { listMcpServersResponseSchema, mcpServerNameParamSchema, mcpServerViewSchema, putMcpServerBodySchema } from './settings/mcp-server-schemas';
import { broadcastSignalBodySchema, broadcastSignalResponseSchema, deliverMessageBodySchema, deliverMessageResponseSchema } from './messages/routes';
import { claimTaskBodySchema, completeTaskBodySchema, listTasksQuerySchema, taskIdParamSchema } from './tasks/routes';

interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Hono's path syntax (`:id`); converted to OpenAPI's `{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: ZodType;
  readonly status: number;
  readonly response?: ZodType;
  /** Not JSON: the run's event stream. */
  readonly eventStream?: true;
  /** Not JSON: a zip archive (a generated project). */
  readonly zip?: true;
}

const operations: readonly Operation[] = [
  { method: 'get', path: '/health', summary: 'Server and database health', status: 200 },
  { method: 'get', path: '/flows', summary: 'List flows (paged, search by name)', query: listFlowsQuerySchema, status: 200, response: listFlowsResponseSchema },
  { method: 'post', path: '/flows', summary: 'Create a flow (saved even with validation issues)', body: flowDocumentSchema, status: 201, response: revisionResponseSchema },
  { method: 'post', path: '/flows/codegen', summary: 'Write a flow document as a standalone LangGraph.js project (zip)', body: flowDocumentSchema, status: 200, zip: true },
  { method: 'post', path: '/flows/validate', summary: 'Validate a flow document without saving it', body: flowDocumentSchema, status: 200, response: validateResponseSchema },
  { method: 'get', path: '/flows/:id', summary: 'Get a flow draft', params: flowIdParamSchema, status: 200, response: flowResponseSchema },
  { method: 'put', path: '/flows/:id', summary: 'Save a flow draft (409 on a stale revision)', params: flowIdParamSchema, body: updateFlowBodySchema, status: 200, response: revisionResponseSchema },
  { method: 'delete', path: '/flows/:id', summary: 'Delete a flow and its versions', params: flowIdParamSchema, status: 204 },
  { method: 'post', path: '/flows/:id/duplicate', summary: 'Copy a flow under a new id', params: flowIdParamSchema, body: duplicateFlowBodySchema, status: 201, response: revisionResponseSchema },
  { method: 'get', path: '/flows/:id/debug', summary: "A flow's debug settings (breakpoints)", params: flowIdParamSchema, status: 200, response: debugSettingsSchema },
  {
    method: 'put',
    path: '/flows/:id/debug',
    summary: "Replace a flow's debug settings; they never change its revision (422 unknown_node)",
    params: flowIdParamSchema,
    body: debugSettingsBodySchema,
    status: 200,
    response: debugSettingsSchema,
  },
  { method: 'get', path: '/flows/:id/versions', summary: 'List published versions', params: flowIdParamSchema, status: 200 },
  { method: 'post', path: '/flows/:id/versions', summary: 'Publish the draft as the next version (422 with validation errors)', params: flowIdParamSchema, body: publishFlowBodySchema, status: 201 },
  { method: 'get', path: '/flows/:id/versions/:version', summary: 'Get a published version', params: versionParamSchema, status: 200, response: versionResponseSchema },
  { method: 'post', path: '/flows/:id/versions/:version/restore', summary: 'Make a published version the draft again', params: versionParamSchema, status: 200 },
  { method: 'post', path: '/flows/:id/runs', summary: 'Start a run', params: flowRunParamSchema, body: startRunBodySchema, status: 202, response: startRunResponseSchema },
  { method: 'get', path: '/runs', summary: 'List runs by flow, thread and status', query: listRunsQuerySchema, status: 200 },
  { method: 'get', path: '/runs/:id', summary: 'Get a run', params: runIdParamSchema, status: 200 },
  { method: 'get', path: '/runs/:id/document', summary: 'The flow document a run ran (its thread keeps it)', params: runIdParamSchema, status: 200 },
  { method: 'get', path: '/runs/:id/events', summary: 'Run events as SSE (id = seq; resumes after Last-Event-ID)', params: runIdParamSchema, status: 200, eventStream: true },
  { method: 'post', path: '/runs/:id/cancel', summary: 'Cancel a running run', params: runIdParamSchema, status: 202 },
  {
    method: 'post',
    path: '/runs/:id/replay',
    summary: "Run a recorded run again on a new thread, its model, HTTP, MCP and search calls answered from the run's record (replay.diverged where the flow now asks otherwise)",
    params: runIdParamSchema,
    body: replayBodySchema,
    status: 202,
    response: startRunResponseSchema,
  },
  { method: 'get', path: '/threads/:id/state', summary: "A thread's state", params: threadIdParamSchema, query: stateQuerySchema, status: 200 },
  { method: 'get', path: '/threads/:id/history', summary: "A thread's checkpoints, newest first", params: threadIdParamSchema, query: historyQuerySchema, status: 200 },
  { method: 'post', path: '/threads/:id/state', summary: 'Update a thread, or fork it from a checkpoint', params: threadIdParamSchema, body: updateStateBodySchema, status: 200 },
  { method: 'post', path: '/threads/:id/resume', summary: 'Answer what a thread waits on (422 when refused)', params: threadIdParamSchema, body: resumeBodySchema, status: 202, response: resumeResponseSchema },
  { method: 'get', path: '/tasks', summary: 'List human tasks', query: listTasksQuerySchema, status: 200 },
  { method: 'get', path: '/tasks/events', summary: 'Changes of human tasks as SSE (ready, then task.created, task.claimed, task.completed, task.reopened)', status: 200, eventStream: true },
  { method: 'get', path: '/tasks/:id', summary: 'Get a human task', params: taskIdParamSchema, status: 200 },
  { method: 'post', path: '/tasks/:id/claim', summary: 'Claim a human task', params: taskIdParamSchema, body: claimTaskBodySchema, status: 200 },
  { method: 'post', path: '/tasks/:id/complete', summary: 'Complete a human task (409 when completed already)', params: taskIdParamSchema, body: completeTaskBodySchema, status: 200, response: resumeResponseSchema },
  {
    method: 'post',
    path: '/messages',
    summary: 'Deliver a BPMN message to the process instance waiting for its name and correlation key (404 when none waits)',
    body: deliverMessageBodySchema,
    status: 202,
    response: deliverMessageResponseSchema,
  },
  {
    method: 'post',
    path: '/signals',
    summary: 'Broadcast a BPMN signal to every process instance waiting for it and start the processes whose signal start event names it',
    body: broadcastSignalBodySchema,
    status: 202,
    response: broadcastSignalResponseSchema,
  },
  { method: 'get', path: '/settings/providers', summary: 'List model providers (never their API keys)', status: 200, response: listProvidersResponseSchema },
  { method: 'get', path: '/settings/providers/:id', summary: 'Get a model provider (never its API key)', params: providerIdParamSchema, status: 200, response: providerViewSchema },
  { method: 'put', path: '/settings/providers/:id', summary: 'Create or replace a model provider; a literal apiKey needs LOOMFLOW_SECRET_KEY (422)', params: providerIdParamSchema, body: putProviderBodySchema, status: 200, response: providerViewSchema },
  { method: 'delete', path: '/settings/providers/:id', summary: 'Delete a model provider', params: providerIdParamSchema, status: 204 },
  { method: 'get', path: '/knowledge-bases', summary: 'List knowledge bases with their document and passage counts', status: 200, response: listKnowledgeBasesResponseSchema },
  { method: 'post', path: '/knowledge-bases', summary: 'Create a knowledge base (409 when the id is taken)', body: createKnowledgeBaseBodySchema, status: 201, response: knowledgeBaseViewSchema },
  { method: 'get', path: '/knowledge-bases/:id', summary: 'Get a knowledge base', params: knowledgeBaseParamSchema, status: 200, response: knowledgeBaseViewSchema },
  { method: 'delete', path: '/knowledge-bases/:id', summary: 'Delete a knowledge base with its documents', params: knowledgeBaseParamSchema, status: 204 },
  { method: 'get', path: '/knowledge-bases/:id/documents', summary: "List a knowledge base's documents", params: knowledgeBaseParamSchema, status: 200, response: listDocumentsResponseSchema },
  {
    method: 'post',
    path: '/knowledge-bases/:id/documents',
    summary: 'Add a document (text, Markdown, HTML, or PDF in base64); over LOOMFLOW_MAX_DOCUMENT_BYTES is 413, unreadable is 422, an embedding model that fails is 502',
    params: knowledgeBaseParamSchema,
    body: addDocumentBodySchema,
    status: 201,
    response: documentViewSchema,
  },
  { method: 'delete', path: '/knowledge-bases/:id/documents/:documentId', summary: 'Delete a document and its passages', params: documentParamSchema, status: 204 },
  { method: 'post', path: '/knowledge-bases/:id/search', summary: 'Search a knowledge base by keyword, vector or both', params: knowledgeBaseParamSchema, body: searchBodySchema, status: 200, response: searchResponseSchema },
  { method: 'post', path: '/settings/providers/:id/test', summary: "List the provider's models with its key (GET {baseUrl}/models; anthropic: GET {baseUrl}/v1/models) and report the outcome", params: providerIdParamSchema, status: 200, response: connectionTestResultSchema },
  { method: 'get', path: '/settings/mcp-servers', summary: 'List registered stdio MCP servers (env names, never values)', status: 200, response: listMcpServersResponseSchema },
  { method: 'get', path: '/settings/mcp-servers/:name', summary: 'Get a registered MCP server (env names, never values)', params: mcpServerNameParamSchema, status: 200, response: mcpServerViewSchema },
  { method: 'put', path: '/settings/mcp-servers/:name', summary: 'Register or replace a stdio MCP server flows may name; env needs LOOMFLOW_SECRET_KEY (422)', params: mcpServerNameParamSchema, body: putMcpServerBodySchema, status: 200, response: mcpServerViewSchema },
  { method: 'delete', path: '/settings/mcp-servers/:name', summary: 'Delete a registered MCP server', params: mcpServerNameParamSchema, status: 204 },
];

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) });

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
}

function parameters(schema: z.ZodObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === 'path' || !(field as ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as ZodType, 'input'),
  }));
}

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = `/api${operation.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const success = operation.eventStream
      ? { description: 'Server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } }
      : operation.zip
        ? { description: 'A zip archive', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } }
        : { description: 'Success', ...(operation.response ? { content: { 'application/json': { schema: jsonSchema(operation.response, 'output') } } } : {}) };
    paths[path] = {
      ...paths[path],
      [operation.method]: {
        summary: operation.summary,
        parameters: [...parameters(operation.params, 'path'), ...parameters(operation.query, 'query')],
        ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } } } : {}),
        responses: {
          [String(operation.status)]: success,
          default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Loomflow API', version },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}

export function openApiRoutes(version: string) {
  let document: Record<string, unknown> | undefined;
  return new Hono().get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument(version);
    return c.json(document, 200);
  });
}
