import { ensureSeeded } from '../seed.js';
const r = await ensureSeeded('/work/main/bench/.data/t10k.db', Number(process.argv[2] ?? 10000), { log: console.log, force: process.argv[3]==='f' });
console.log(r);
