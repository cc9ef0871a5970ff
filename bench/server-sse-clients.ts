/**
 * The SSE clients of bench/server-sse-fanout.ts, in their own process so
 * their parsing does not share a thread with the server they measure.
 * Told { url, clients, events } over IPC, it connects every client (plain
 * node:http, the cheapest reader, so the clients are not the bottleneck),
 * says `ready`, and says `done` once every client has received `events`.
 */
import { type ClientRequest, get } from 'node:http';

interface Job {
  url: string;
  clients: number;
  events: number;
}

const MARK = Buffer.from('\ndata: ');

process.on('message', (job: Job) => {
  void run(job);
});

async function run(job: Job): Promise<void> {
  const requests: ClientRequest[] = [];
  const counts = new Array<number>(job.clients).fill(0);
  let finished = 0;
  await Promise.all(
    Array.from(
      { length: job.clients },
      (_, i) =>
        new Promise<void>((connected, fail) => {
          const req = get(job.url, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
            if (res.statusCode !== 200) fail(new Error(`client ${i}: HTTP ${res.statusCode}`));
            let carry: Buffer = Buffer.alloc(0);
            let complete = false;
            res.on('data', (chunk: Buffer) => {
              if (complete) return;
              const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
              let at = data.indexOf(MARK);
              while (at >= 0) {
                counts[i]!++;
                at = data.indexOf(MARK, at + MARK.length);
              }
              carry = data.subarray(Math.max(0, data.length - (MARK.length - 1)));
              if (counts[i]! >= job.events) {
                complete = true;
                finished++;
                if (finished === job.clients) {
                  process.send?.({ type: 'done', counts });
                  for (const r of requests) r.destroy();
                }
              }
            });
            connected();
          });
          req.on('error', (error) => {
            if (finished < job.clients) fail(error);
          });
          requests.push(req);
        }),
    ),
  );
  process.send?.({ type: 'ready' });
}
