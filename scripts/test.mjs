// `npm test`: installs the pinned Azurite if needed and runs every test project, printing one
// "N passed, N failed" summary line. Each test process starts its own in-memory Azurite on free ports
// (tests/Shared/Azurite.cs), so the tests never touch a developer's Azurite on 10000-10002 or a host using it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// vite builds the console the app layer embeds (a node_modules from before it was pinned lacks it).
if (!existsSync(path.join(root, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js')) || !existsSync(path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'))) {
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
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
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code ?? 1);
