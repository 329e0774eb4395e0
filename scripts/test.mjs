// `npm test`: installs the pinned Azurite if needed, starts it in memory unless one already listens,
// runs every test project, stops what it started, and prints one "N passed, N failed" summary line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ports = [10000, 10001, 10002];

const listening = (port) => new Promise((resolve) => {
  const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
  socket.on('error', () => resolve(false));
});
const allListening = async () => (await Promise.all(ports.map(listening))).every(Boolean);

let azurite;
if (!(await allListening())) {
  const script = path.join(root, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  if (!existsSync(script)) {
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (npm.status !== 0) process.exit(npm.status ?? 1);
  }
  azurite = spawn(process.execPath, [script, '--silent', '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'], { cwd: root, stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!(await allListening())) {
    if (Date.now() > deadline || azurite.exitCode !== null) {
      console.error('Azurite did not start listening on 10000-10002.');
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// A hung test host is dumped and killed after 8 minutes instead of holding CI until its deadline.
const args = ['test', path.join(root, 'Serverless.sln'), '-warnaserror', '-warnnotaserror:NU1603', '--blame-hang-timeout', '8m', ...process.argv.slice(2)];
const test = spawn('dotnet', args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0, failed = 0, skipped = 0, buffer = '';
test.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffer += chunk.toString();
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const m = /Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)/.exec(line);
    if (m) { failed += +m[1]; passed += +m[2]; skipped += +m[3]; }
  }
});
const code = await new Promise((resolve) => test.on('close', resolve));
azurite?.kill();
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code ?? 1);
