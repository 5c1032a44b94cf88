// Starts `callboard serve` on a free loopback port for the benchmarks and
// resolves to the process and the address it printed.
import { spawn } from 'node:child_process';

export function startServe(bin, data) {
  const serve = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data-dir', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ serve, url: m[0] });
    };
    serve.stdout.on('data', onData);
    serve.stderr.on('data', onData);
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}
