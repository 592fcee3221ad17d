// How the server embeds a knowledge base's passages: a base's `embedding` names an
// OpenAI-compatible embedding model and, like an LLM step, a provider of the settings whose key
// (and address, unless the base gives one) is read at each use.
import type { Embedder, KnowledgeBase } from '@loomflow/knowledge';
import { providerEmbedder, readEmbeddingSettings } from '@loomflow/runtime';
import { z } from 'zod';
import { providerIdSchema } from '../settings/schemas';
import type { ProviderStore } from '../settings/provider-store';

export const embeddingSettingsSchema = z.strictObject({
  /** The embedding model's name at the provider (text-embedding-3-small, bge-m3, …). */
  model: z.string().trim().min(1).max(200),
  /** A provider of /api/settings/providers: its key, and its address unless baseUrl is given. */
  credential: providerIdSchema.optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export function knowledgeEmbedder(providers: ProviderStore): (base: KnowledgeBase) => Embedder | undefined {
  return (base) => {
    const settings = readEmbeddingSettings(base.embedding);
    return settings && providerEmbedder(settings, (id) => providers.resolveCredentials(id));
  };
}
