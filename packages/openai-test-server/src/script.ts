// What a test scripts: the replies both protocols' endpoints answer with, in turn.

export interface ScriptedToolCall {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly id?: string;
}

export type ScriptedReply =
  /** An assistant message, streamed word by word when the request asks for a stream. */
  | { readonly text: string; readonly toolCalls?: readonly ScriptedToolCall[]; readonly usage?: { readonly prompt: number; readonly completion: number } }
  /** An assistant message calling tools. */
  | { readonly toolCalls: readonly ScriptedToolCall[] }
  /** An error answer: 401, 429 (with Retry-After seconds), 500, … */
  | { readonly status: number; readonly message?: string; readonly retryAfterSeconds?: number }
  /** A tool call whose `arguments` are not JSON. */
  | { readonly malformedToolCall: string }
  /** Accepts the request and never answers, as a hung provider does. */
  | { readonly hang: true };
