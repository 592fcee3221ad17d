// The `loomflow` executable: binds the command line to the real process.
import { setMaxListeners } from 'node:events';
import { runCli } from './cli';
import { processIo } from './io';

// LangGraph adds one abort listener per task of a superstep to a shared signal, so a map over
// more than ten items would print a false "memory leak" warning; the bound still catches real leaks.
setMaxListeners(1000);

process.exitCode = await runCli(process.argv.slice(2), processIo);
