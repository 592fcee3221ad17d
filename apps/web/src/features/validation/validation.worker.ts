// The validation worker's script (validator.ts starts it): one answer per request, in order.
import { createDefaultRegistry } from '@loomflow/graph-schema';
import { answerValidation, type ValidationRequest } from './validation-protocol';

const registry = createDefaultRegistry();
// The DOM library types `self` as a Window, whose postMessage needs a target origin; a worker's does not.
const scope = globalThis as unknown as { postMessage(message: unknown): void; addEventListener(type: 'message', listener: (event: MessageEvent<ValidationRequest>) => void): void };
scope.addEventListener('message', (event) => scope.postMessage(answerValidation(event.data, registry)));
