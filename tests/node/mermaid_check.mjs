// Parses Mermaid files with Mermaid itself (in jsdom) and prints what it understood, as JSON:
// {file: {ok, title, sections, tasks: [{task, score, people, section}]}} or {ok: false, error}.
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const fs = await import('fs');
const out = {};
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    out[file] = { ok: true, title: db.getDiagramTitle(), sections: db.getSections(),
                  tasks: db.getTasks().map(t => ({ task: t.task, score: t.score, people: t.people, section: t.section })) };
  } catch (e) {
    out[file] = { ok: false, error: String(e.message || e).split('\n').slice(0, 3).join(' | ') };
  }
}
console.log(JSON.stringify(out));
