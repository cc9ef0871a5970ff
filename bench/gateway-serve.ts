/**
 * The servers of the gateway benchmarks, each run in its own process so the
 * load generator does not share their event loop:
 *
 *   tsx bench/gateway-serve.ts sim '<scenario json>' [count]   count simulators in this process
 *   tsx bench/gateway-serve.ts proxy <upstream base URL>       the minimal node:http pass-through
 *   tsx bench/gateway-serve.ts gateway '<config json>'         swarm gateway
 *
 * Prints one JSON line, {"urls": [...]}, once listening; exits when stdin closes.
 * A line "memory" on stdin collects garbage (the process runs with
 * --expose-gc) and answers with the heap and resident sizes in MiB, which is
 * how the scale benchmark tells growth from memory V8 has not given back;
 * "cpu" answers with the CPU time the process has used, in microseconds,
 * which on a shared machine is steadier than any wall-clock figure.
 */
import { createServer, Agent as HttpAgent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { startGateway } from '../src/gateway/index.js';
import { startSim } from '../src/sim/index.js';

const [role = '', arg = '', count = '1'] = process.argv.slice(2);

async function main(): Promise<{ urls: string[]; close: () => Promise<unknown> }> {
  if (role === 'sim') {
    const sims = await Promise.all(
      Array.from({ length: Number(count) }, () => startSim({ scenario: JSON.parse(arg) as object })),
    );
    return { urls: sims.map((s) => s.baseURL), close: () => Promise.all(sims.map((s) => s.close())) };
  }
  if (role === 'gateway') {
    const gw = await startGateway({ config: JSON.parse(arg) });
    return { urls: [gw.baseURL], close: () => gw.close() };
  }
  if (role === 'proxy') return proxy(new URL(arg));
  throw new Error(`unknown role "${role}": use sim, proxy or gateway`);
}

/**
 * The floor every proxy pays: accept, forward headers and body over a
 * keep-alive socket, stream the answer back. No parsing, no decisions.
 */
async function proxy(upstream: URL) {
  const agent = new HttpAgent({ keepAlive: true });
  const server = createServer((req, res) => {
    const out = request(
      {
        agent,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: upstream.pathname.replace(/\/v1$/, '') + (req.url ?? '/'),
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: [`http://127.0.0.1:${port}/v1`],
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const running = await main();
process.stdout.write(`${JSON.stringify({ urls: running.urls })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ userMicros: user, systemMicros: system })}\n`);
  } else if (command === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20 })}\n`);
  }
});
process.stdin.on('end', () => {
  void running.close().then(() => process.exit(0));
});
