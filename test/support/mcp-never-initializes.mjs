// A deliberately broken peer: reads requests and never answers, like a wrong binary that waits on stdin.
import { writeFileSync } from 'node:fs';

if (process.argv[2]) writeFileSync(process.argv[2], String(process.pid));
process.stdin.resume();
setInterval(() => {}, 60_000);
