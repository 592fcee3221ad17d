// What the server holds for flows to use, through the typed client (so the API token and its 401
// prompt apply here too): model providers, registered MCP servers, knowledge bases. Errors
// arrive as ApiError with the server's code and message. No answer carries a key or an MCP
// server's environment value: the server never sends them back.
import { inject, type InjectionKey } from 'vue';
import { apiErrorOf, type ApiClient } from '../../api/api-client';

export type ProviderKind = 'openai-compatible' | 'anthropic';

/** Where a provider's key comes from; the key itself never leaves the server. */
export type ApiKeySource = { readonly source: 'env'; readonly name: string } | { readonly source: 'stored' } | { readonly source: 'none' };

export interface ProviderView {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly baseUrl: string;
  readonly defaultModel: string | null;
  readonly apiKey: ApiKeySource;
  readonly updatedAt: number;
}

interface ProviderBodyFields {
  readonly defaultModel?: string;
  readonly apiKey?: string;
  readonly apiKeyEnv?: string;
}

/** The body of PUT /api/settings/providers/:id (at most one of `apiKey` and `apiKeyEnv`); Anthropic's address has a default. */
export type ProviderBody = ({ readonly kind: 'openai-compatible'; readonly baseUrl: string } | { readonly kind: 'anthropic'; readonly baseUrl?: string }) & ProviderBodyFields;

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** The provider's HTTP status; null when it did not answer. */
  readonly status: number | null;
  readonly models: number | null;
  /** The ids of the models the provider listed, for a model picker. */
  readonly modelIds: readonly string[];
  readonly latencyMs: number;
  readonly message: string;
}

export interface McpServerView {
  readonly name: string;
  readonly transport: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** Its environment variables' names; their values are never answered. */
  readonly envNames: readonly string[];
  readonly updatedAt: number;
}

export interface McpServerBody {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface KnowledgeBaseView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly chunkSize: number;
  readonly chunkOverlap: number;
  readonly embedding: Readonly<Record<string, unknown>> | null;
  readonly documentCount: number;
  readonly chunkCount: number;
  readonly createdAt: number;
}

export interface NewKnowledgeBase {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly chunkSize?: number;
  readonly chunkOverlap?: number;
  readonly embedding?: { readonly model: string; readonly credential?: string };
}

export type DocumentMediaType = 'text/plain' | 'text/markdown' | 'text/html' | 'application/pdf';

export interface DocumentView {
  readonly id: string;
  readonly knowledgeBaseId: string;
  readonly source: string;
  readonly mediaType: DocumentMediaType;
  readonly bytes: number;
  readonly chunkCount: number;
  readonly createdAt: number;
}

/** A document as text, or as a file's bytes in base64 (a PDF); the server reads the type from `source` when none is given. */
export type NewDocument = { readonly source: string; readonly mediaType?: DocumentMediaType } & ({ readonly text: string } | { readonly contentBase64: string });

export type SearchMode = 'keyword' | 'vector' | 'hybrid';

export interface SearchHit {
  readonly content: string;
  readonly score: number;
  readonly source: string;
  readonly documentId: string;
  readonly position: number;
  readonly chunkId: number;
}

export interface SettingsApi {
  listProviders(): Promise<ProviderView[]>;
  /** Creates or replaces provider `id` whole: a stored key is not kept unless sent again. */
  putProvider(id: string, body: ProviderBody): Promise<ProviderView>;
  removeProvider(id: string): Promise<void>;
  testProvider(id: string): Promise<ConnectionTestResult>;
  listMcpServers(): Promise<McpServerView[]>;
  /** Creates or replaces the registration whole: environment values are not kept unless sent again. */
  putMcpServer(name: string, body: McpServerBody): Promise<McpServerView>;
  removeMcpServer(name: string): Promise<void>;
  listKnowledgeBases(): Promise<KnowledgeBaseView[]>;
  getKnowledgeBase(id: string): Promise<KnowledgeBaseView>;
  createKnowledgeBase(base: NewKnowledgeBase): Promise<KnowledgeBaseView>;
  removeKnowledgeBase(id: string): Promise<void>;
  listDocuments(knowledgeBaseId: string): Promise<DocumentView[]>;
  addDocument(knowledgeBaseId: string, document: NewDocument): Promise<DocumentView>;
  removeDocument(knowledgeBaseId: string, documentId: string): Promise<void>;
  search(knowledgeBaseId: string, query: { query: string; mode?: SearchMode; topK?: number }): Promise<SearchHit[]>;
}

export function createServerSettingsApi(client: ApiClient): SettingsApi {
  const { providers } = client.api.settings;
  const mcpServers = client.api.settings['mcp-servers'];
  const bases = client.api['knowledge-bases'];
  return {
    async listProviders() {
      const response = await providers.$get();
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async putProvider(id, body) {
      const response = await providers[':id'].$put({ param: { id }, json: body });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async removeProvider(id) {
      const response = await providers[':id'].$delete({ param: { id } });
      if (response.status !== 204) throw await apiErrorOf(response);
    },
    async testProvider(id) {
      const response = await providers[':id'].test.$post({ param: { id } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async listMcpServers() {
      const response = await mcpServers.$get();
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async putMcpServer(name, body) {
      const response = await mcpServers[':name'].$put({ param: { name }, json: { command: body.command, args: [...body.args], env: { ...body.env } } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async removeMcpServer(name) {
      const response = await mcpServers[':name'].$delete({ param: { name } });
      if (response.status !== 204) throw await apiErrorOf(response);
    },
    async listKnowledgeBases() {
      const response = await bases.$get();
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async getKnowledgeBase(id) {
      const response = await bases[':id'].$get({ param: { id } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return response.json();
    },
    async createKnowledgeBase(base) {
      const response = await bases.$post({ json: base });
      if (response.status !== 201) throw await apiErrorOf(response);
      return response.json();
    },
    async removeKnowledgeBase(id) {
      const response = await bases[':id'].$delete({ param: { id } });
      if (response.status !== 204) throw await apiErrorOf(response);
    },
    async listDocuments(knowledgeBaseId) {
      const response = await bases[':id'].documents.$get({ param: { id: knowledgeBaseId } });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
    async addDocument(knowledgeBaseId, document) {
      const response = await bases[':id'].documents.$post({ param: { id: knowledgeBaseId }, json: document });
      if (response.status !== 201) throw await apiErrorOf(response);
      return response.json();
    },
    async removeDocument(knowledgeBaseId, documentId) {
      const response = await bases[':id'].documents[':documentId'].$delete({ param: { id: knowledgeBaseId, documentId } });
      if (response.status !== 204) throw await apiErrorOf(response);
    },
    async search(knowledgeBaseId, query) {
      const response = await bases[':id'].search.$post({ param: { id: knowledgeBaseId }, json: query });
      if (response.status !== 200) throw await apiErrorOf(response);
      return (await response.json()).items;
    },
  };
}

export const settingsApiKey: InjectionKey<SettingsApi> = Symbol('SettingsApi');

export function useSettingsApi(): SettingsApi {
  const api = inject(settingsApiKey);
  if (!api) throw new Error('No settings API was provided to this app (app.provide(settingsApiKey, ...)).');
  return api;
}
