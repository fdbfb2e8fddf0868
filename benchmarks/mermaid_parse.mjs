// Times Mermaid's own parser on journey diagrams: `node mermaid_parse.mjs ROUNDS FILE...`.
// Prints JSON {tasks, seconds}: the tasks in the files and the best CPU seconds (user + system)
// of one round of mermaid.parse over every file, after one warm-up round. Run from a folder
// whose node_modules holds mermaid and jsdom (bench_parse.py installs them into tests/.node).
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const fs = await import('fs');
const rounds = Number(process.argv[2]);
const texts = process.argv.slice(3).map(f => fs.readFileSync(f, 'utf8'));
let tasks = 0;
for (const text of texts) {
  await mermaid.parse(text);  // warm-up: loads the journey diagram's parser
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  tasks += diagram.db.getTasks().length;
}
let best = Infinity;
for (let r = 0; r < rounds; r++) {
  const start = process.cpuUsage();
  for (const text of texts) await mermaid.parse(text);
  const spent = process.cpuUsage(start);
  best = Math.min(best, (spent.user + spent.system) / 1e6);
}
console.log(JSON.stringify({ tasks, seconds: best }));
