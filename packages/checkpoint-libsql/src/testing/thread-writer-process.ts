// Run as a separate process: `node --import tsx thread-writer-process.ts <url> <threadId> <steps>`.
// Writes a thread (see writeThread), then exits without closing the database, as a killed process would.
import { LibsqlSaver } from '../libsql-saver';
import { writeThread } from './thread-writer';

const [url, threadId, steps] = process.argv.slice(2);
if (url === undefined || threadId === undefined || steps === undefined) {
  console.error('usage: thread-writer-process.ts <url> <threadId> <steps>');
  process.exit(2);
}
await writeThread(await LibsqlSaver.open(url), threadId, Number(steps));
process.exit(0);
