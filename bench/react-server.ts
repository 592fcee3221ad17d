// The ReAct benchmark's servers, in a process of their own (react.ts forks it), so that answering
// the model's requests and the tool's requests costs neither measured side CPU time on its event
// loop: the local OpenAI-protocol server with instant replies, and the endpoint both sides' tool
// fetches. The parent queues each run's replies over IPC right before the run.
import { startOpenAiTestServer, type ScriptedReply } from '@loomflow/openai-test-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** From the parent: queue these replies, and say how many requests came since the last queueing. */
export interface QueueMessage {
  readonly replies: ScriptedReply[];
}

/** To the parent: first the addresses, then an answer to every QueueMessage. */
export type ServerMessage = { readonly type: 'ready'; readonly baseUrl: string; readonly toolUrl: string } | { readonly type: 'queued'; readonly requestsSinceLast: number };

const provider = await startOpenAiTestServer();
const tool = createServer((request, response) => {
  const city = new URL(request.url ?? '/', 'http://x').searchParams.get('city');
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ city, forecast: 'sunny', celsius: 21 }));
});
await new Promise<void>((resolve) => tool.listen(0, '127.0.0.1', resolve));

const send = (message: ServerMessage) => process.send?.(message);
process.on('message', (message: QueueMessage) => {
  const requestsSinceLast = provider.requests.length;
  provider.requests.length = 0;
  provider.reply(...message.replies);
  send({ type: 'queued', requestsSinceLast });
});
// The parent ends this process by closing the channel.
process.on('disconnect', () => {
  tool.close();
  void provider.close();
});
send({ type: 'ready', baseUrl: provider.baseUrl, toolUrl: `http://127.0.0.1:${(tool.address() as AddressInfo).port}/forecast` });
