// How the server embeds a knowledge base's passages: a base's `embedding` names an
// OpenAI-compatible embedding model and, like an LLM step, either a provider of the settings, whose
// key and address are read at each use, or a baseUrl of its own, which reaches only public addresses.
import type { Embedder, KnowledgeBase } from '@loomflow/knowledge';
import { providerEmbedders, readEmbeddingSettings, type ProviderEmbeddersOptions } from '@loomflow/runtime';
import { plainHttpUrlSchema, providerAddressOnly, providerBaseUrlIssue } from '@loomflow/graph-schema';
import { z } from 'zod';
import { providerIdSchema } from '../settings/schemas';
import type { ProviderStore } from '../settings/provider-store';

export const embeddingSettingsSchema = z
  .strictObject({
    /** The embedding model's name at the provider (text-embedding-3-small, bge-m3, …). */
    model: z.string().trim().min(1).max(200),
    /** A provider of /api/settings/providers: its key and its address. */
    credential: providerIdSchema.optional(),
    /** Only without a provider: the provider's key goes to no other address. */
    baseUrl: plainHttpUrlSchema().optional(),
  })
  .refine(providerAddressOnly, providerBaseUrlIssue);

export function knowledgeEmbedder(providers: ProviderStore, options: ProviderEmbeddersOptions = {}): (base: KnowledgeBase) => Embedder | undefined {
  const embedderOf = providerEmbedders((id) => providers.resolveCredentials(id), options);
  return (base) => {
    const settings = readEmbeddingSettings(base.embedding);
    return settings && embedderOf(settings);
  };
}
