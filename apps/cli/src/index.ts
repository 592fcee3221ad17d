// The `loomflow` executable: binds the command line to the real process.
import { runCli } from './cli';
import { processIo } from './io';

process.exitCode = await runCli(process.argv.slice(2), processIo);
