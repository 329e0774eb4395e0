// Runs Azurite as a dependent of the process that started this script (tests/Shared/PrivateAzurite.cs): when that
// process ends for any reason — including a test host killed without running its exit handlers — its end of our stdin
// pipe closes, and Azurite is stopped with SIGTERM (so an on-disk store flushes). SIGTERM/SIGINT sent here are
// forwarded. Usage: node scripts/azurite-child.mjs <azurite.js> [azurite args...]
import { spawn } from 'node:child_process';

const [script, ...args] = process.argv.slice(2);
const azurite = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => { if (azurite.exitCode === null && azurite.signalCode === null) azurite.kill('SIGTERM'); };

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
azurite.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
