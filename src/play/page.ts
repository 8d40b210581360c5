/**
 * The play page: one self-contained HTML document (inline style and script, no external resources) that asks
 * the server for the session's view (`GET /api/state`), renders it, and sends the student's moves
 * (`POST /api/choose {index}`, `/api/undo`, `/api/reset`). All the logic is on the server; the script only
 * draws what the view says, text through `textContent` and the server's own SVG diagrams as markup.
 */
import { escapeXml } from '../report/markup.ts';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:20px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 2px}h2{font-size:15px;margin:16px 0 6px}
.summary,.goal{color:#555;margin:2px 0}.goal{font-weight:bold}
.columns{display:grid;grid-template-columns:minmax(300px,1fr) minmax(300px,1fr);gap:0 24px}
table{border-collapse:collapse;font-size:13px;margin-bottom:6px}caption{text-align:left;font-weight:bold;padding:2px 0}
td,th{border-bottom:1px solid #e4e4e4;padding:3px 8px;text-align:left;vertical-align:top}
code,pre,td.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{background:#f7f7f7;padding:10px;overflow-x:auto}code{word-break:break-all}
.inside{color:#b71c1c;font-weight:bold}
.choices button{display:block;width:100%;text-align:left;margin:3px 0;padding:5px 8px;border:1px solid #90a4ae;border-radius:4px;background:#eef4f8;cursor:pointer;font:inherit;font-size:13px}
.choices button.fault{background:#fff3e0;border-color:#ffb74d}
.choices button:hover{filter:brightness(.95)}
.controls button{margin-right:6px}
.verdicts li{margin:2px 0;list-style:none}.verdicts ul{padding-left:0}
.holds{color:#2e7d32}.violated{color:#b71c1c;font-weight:bold}.pending{color:#777}
#banner{background:#fdecea;border:2px solid #b71c1c;color:#b71c1c;font-weight:bold;padding:10px 14px;margin:12px 0;border-radius:4px}
.over{background:#e8f5e9;border:1px solid #2e7d32;padding:10px 14px;margin:12px 0}
#error{color:#b71c1c}
figure{margin:0 0 10px;overflow-x:auto}
`;

/** The client: fetches the view, draws it, sends moves. No template literals in it: it lives inside one. */
const SCRIPT = `
"use strict";
var busy = false;
function el(tag, attrs) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  for (var i = 2; i < arguments.length; i++) if (arguments[i] !== null) node.append(arguments[i]);
  return node;
}
function table(caption, head, rows) {
  var t = el('table', {}, el('caption', {}, caption));
  t.append(el('tr', {}, ...head.map(function (h) { return el('th', {}, h); })));
  rows.forEach(function (r) { t.append(el('tr', {}, ...r.map(function (c) { return el('td', { class: 'mono' }, String(c)); }))); });
  return t;
}
function svg(markup) { var f = el('figure', {}); f.innerHTML = markup; return f; }
function picture(title, p) {
  return el('section', {}, el('h2', {}, title), el('p', {}, p.property + ' violated in ' + p.decisions + ' decisions: ' + p.message),
    svg(p.svg), p.replay ? el('p', {}, 'replay: ', el('code', {}, p.replay)) : null);
}
function move(path, body) {
  if (busy) return;
  busy = true;
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
    .then(function (r) { return r.json().then(function (data) { if (!r.ok) throw new Error(data.error); render(data); }); })
    .catch(function (e) { document.getElementById('error').textContent = e.message; })
    .finally(function () { busy = false; });
}
function render(v) {
  var root = document.getElementById('play');
  root.replaceChildren();
  document.getElementById('error').textContent = '';
  root.append(el('h1', {}, v.scenario + ' / ' + v.variant), el('p', { class: 'summary' }, v.summary),
    el('p', { class: 'goal' }, v.expected === 'violates'
      ? 'You are the scheduler: choose what runs next, when time passes and where a pause or crash lands. Make a property fail.'
      : 'This variant is a fix: the checker finds no schedule that breaks it. Try anyway.'));
  if (v.violation) root.append(el('div', { id: 'banner', role: 'alert' }, '\\u2717 ' + v.violation.property + ' violated: ' + v.violation.message));
  else if (v.over) root.append(el('div', { class: 'over' }, 'The run is over: nothing more can happen, and every property held. Undo or reset to try another schedule.'));
  var state = el('div', {}, el('h2', {}, 'The world at t = ' + v.now + ' ms (step ' + v.step + ')'),
    table('Processes', ['process', 'status', 'next', 'clock'], v.processes.map(function (p) {
      return [p.name, p.status + (p.inCritical ? ' \\u2014 inside' : ''), p.next || '\\u2014', p.clock];
    })));
  v.redis.forEach(function (s) {
    state.append(table(s.name + ' (clock ' + s.clock + ')', ['key', 'value', 'TTL ms'], s.keys.map(function (k) { return [k.key, k.value, k.ttlMs === null ? '\\u2014' : k.ttlMs]; })));
  });
  if (v.broker) {
    state.append(table('broker queues', ['queue', 'ready'], v.broker.queues.map(function (q) { return [q.name, q.ready.join(', ') || '\\u2014']; })));
    state.append(table('broker channels', ['channel', 'unacked'], v.broker.unacked.map(function (c) { return [c.channel, c.messages.join(', ') || '\\u2014']; })));
  }
  if (v.orders.length > 0) state.append(table('the shop', ['order', 'created', 'charges', 'e-mails'], v.orders.map(function (o) { return [o.order, o.created ? 'yes' : 'no', o.charges, o.confirmations]; })));
  var side = el('div', {}, el('h2', {}, v.over ? 'The game is over' : 'What happens next?'));
  var choices = el('div', { class: 'choices' });
  v.choices.forEach(function (c) {
    var b = el('button', { type: 'button', class: c.fault ? 'fault' : 'progress', 'data-index': c.index, 'data-action': c.code }, c.label);
    b.addEventListener('click', function () { move('/api/choose', { index: c.index }); });
    choices.append(b);
  });
  var undo = el('button', { type: 'button', id: 'undo' }, 'Undo');
  undo.disabled = v.step === 0;
  undo.addEventListener('click', function () { move('/api/undo'); });
  var reset = el('button', { type: 'button', id: 'reset' }, 'Reset');
  reset.addEventListener('click', function () { move('/api/reset'); });
  var verdicts = el('ul', {});
  v.properties.forEach(function (p) {
    var mark = p.status === 'holds' ? '\\u2713' : p.status === 'violated' ? '\\u2717' : '\\u2026';
    verdicts.append(el('li', { class: p.status }, mark + ' ' + p.name + ' (' + p.kind + '): ' + (p.explanation || p.description)));
  });
  side.append(choices, el('p', { class: 'controls' }, undo, reset), el('section', { class: 'verdicts' }, el('h2', {}, 'Properties'), verdicts));
  root.append(el('div', { class: 'columns' }, state, side));
  if (v.violation) {
    var x = v.violation;
    root.append(picture('Your run', x.yours));
    root.append(x.checker ? picture('The minimal counterexample the checker finds', x.checker) : el('p', {}, 'The checker finds no counterexample.'));
    var fixes = el('ul', {});
    x.fixes.forEach(function (f) { fixes.append(el('li', {}, el('code', {}, 'interleave check ' + v.scenario + ' --variant ' + f.name), ' \\u2014 ' + f.summary)); });
    root.append(el('section', {}, el('h2', {}, 'The fix'), x.fixes.length > 0 ? fixes : el('p', {}, 'This scenario has no fixed variant.')));
  }
  // Once the game ends on a violation, "Your run" tells the whole story.
  if (v.timeline.length > 0 && !(v.over && v.violation)) root.append(el('h2', {}, 'The run so far'), el('pre', {}, v.timeline.join('\\n')));
  root.setAttribute('data-step', String(v.step));
}
fetch('/api/state').then(function (r) { return r.json(); }).then(render)
  .catch(function (e) { document.getElementById('error').textContent = e.message; });
`;

/**
 * The page, titled `title`.
 * @example playPage('inventory / naive-lock').startsWith('<!DOCTYPE html>') // true
 */
export function playPage(title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No favicon request: the page loads nothing but itself and its API.
    '<link rel="icon" href="data:,">',
    `<title>${escapeXml(`interleave play — ${title}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main id="play" data-step="">loading…</main>',
    '<p id="error" role="status"></p>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
