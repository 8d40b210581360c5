// Pictures of counterexamples: the diagram model of known counterexamples (lanes, arrows, lock windows, the
// violating step), the SVG (well-formed, deterministic, escaped), the HTML page, the Mermaid text, the CLI's
// --svg/--html/--mermaid, and the pictures in docs/images being what the renderer draws today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, diagramModel, renderHtml, renderMermaid, renderSvg, replay, type Diagram, type TimelineStep } from '../src/index.ts';
import { runCliAsync } from './cli-harness.ts';
import { describeEvent } from '../src/report/describe.ts';
import { readStep } from '../src/report/step-reading.ts';
import { headerLine } from '../src/report/text.ts';
import type { RunEvent } from '../src/sim/events.ts';
import { DOC_DIAGRAMS, docDiagramPath, renderDocDiagram } from './doc-diagrams.ts';
import { assertWellFormedXml } from './xml-well-formed.ts';

const diagramOf = (scenario: string, variant: string, property?: string) => {
  const result = check(scenario, { variant, property });
  return { result, diagram: diagramModel(result.violation!) };
};
/** The index of the first row matching, failing the test when there is none. */
const rowOf = (d: Diagram, node: string, text: string | RegExp, from = 0) => {
  const index = d.rows.findIndex((r, i) => i >= from && r.node === node && (typeof text === 'string' ? r.text.startsWith(text) : text.test(r.text)));
  if (index < 0) throw new Error(`no row of ${node} matching ${text}`);
  return index;
};
const steps = (...rows: [string, string, number?][]): TimelineStep[] => rows.map(([node, text, t = 0]) => ({ t, node, clock: t, text }));
const report = (s: TimelineStep[]) => ({ property: 'p', description: 'd', message: 'm', steps: s, replay: null });
const processes = (d: Diagram) => d.lanes.filter((l) => l.role === 'process').map((l) => l.name);

describe('the diagram model of known counterexamples', () => {
  it('inventory naive-lock: the first buyer believes past the expiry, the second takes the key, both write', () => {
    const { diagram: d } = diagramOf('inventory', 'naive-lock');
    const [first, second] = processes(d);
    expect(d.lanes).toEqual([{ name: first, role: 'process' }, { name: second, role: 'process' }, { name: 'redis', role: 'redis' }]);
    const set1 = rowOf(d, first, 'SET lock:stock');
    const set2 = rowOf(d, second, 'SET lock:stock');
    const expiry = rowOf(d, 'redis', '⌛ lock:stock expires');
    const pause = rowOf(d, first, '‖ pauses');
    expect(d.rows[set1].shape).toMatchObject({ kind: 'message', message: 'command', from: first, to: 'redis', command: { name: 'SET', reply: 'OK' } });
    expect(d.rows[expiry].shape).toMatchObject({ kind: 'mark', mark: 'expire', expired: { key: 'lock:stock' } });
    expect(d.locks).toEqual([
      expect.objectContaining({ view: 'server', lane: 'redis', holder: first, from: set1, to: expiry, end: 'expired', lost: null }),
      expect.objectContaining({ view: 'holder', lane: first, holder: first, from: set1, to: null, end: 'open', lost: expiry }),
      expect.objectContaining({ view: 'server', lane: 'redis', holder: second, from: set2, to: null, end: 'open' }),
      expect.objectContaining({ view: 'holder', lane: second, holder: second, from: set2, to: null, lost: null }),
    ]);
    expect(d.pauses).toEqual([{ lane: first, from: pause, to: rowOf(d, first, '▶ resumes') }]);
    expect(d.violation).toMatchObject({ property: 'no-oversell', row: d.rows.length - 1 });
    expect(d.rows[d.violation.row]).toMatchObject({ node: first, text: 'INCR sold → 2' });
  });

  it('inventory naive-lock, no-foreign-release: the DEL ends one belief and deletes the other holder\'s key', () => {
    const { diagram: d } = diagramOf('inventory', 'naive-lock', 'no-foreign-release');
    const [first, second] = processes(d);
    const del = rowOf(d, first, 'DEL lock:stock');
    expect(d.locks.filter((w) => w.view === 'holder')).toEqual([
      expect.objectContaining({ holder: first, to: del, end: 'released', lost: rowOf(d, 'redis', '⌛') }),
      expect.objectContaining({ holder: second, to: null, lost: del }),
    ]);
    expect(d.locks.find((w) => w.view === 'server' && w.holder === second)).toMatchObject({ to: del, end: 'deleted' });
    // The DEL is the breaking step; the `finishes` after it belongs to the same scheduler step.
    expect(d.violation.row).toBe(del);
    expect(d.rows.at(-1)!.text).toBe('finishes');
  });

  it('payment ack-after: deliveries from the broker, charges to the gateway, a crash and a redelivery', () => {
    const { diagram: d } = diagramOf('payment', 'ack-after');
    const [crashed, next] = processes(d);
    expect(d.lanes.map((l) => l.role)).toEqual(['process', 'process', 'broker', 'gateway']);
    const arrows = (message: string) => d.rows.filter((r) => r.shape.kind === 'message' && r.shape.message === message).map((r) => r.shape);
    expect(arrows('delivery')).toEqual([
      { kind: 'message', message: 'delivery', from: 'broker', to: crashed },
      { kind: 'message', message: 'delivery', from: 'broker', to: next },
    ]);
    expect(d.rows[rowOf(d, next, '⇐ delivery')].text).toContain('(redelivered)');
    const charges = d.rows.filter((r) => r.shape.kind === 'message' && r.shape.to === 'gateway');
    expect(charges.map((r) => r.node)).toEqual([crashed, next]);
    expect(d.rows[rowOf(d, crashed, '✗ crashes')].shape).toEqual({ kind: 'mark', mark: 'crash' });
    expect(d.rows[rowOf(d, 'broker', '↩')].shape).toEqual({ kind: 'mark', mark: 'settle' });
    expect(d.locks).toEqual([]);
    expect(d.rows[d.violation.row]).toMatchObject({ node: next, text: expect.stringMatching(/^PAY\.CHARGE /) });
  });

  it('redlock: a lane per instance; every copy of the first lock expires, the second holder takes all five', () => {
    const { diagram: d } = diagramOf('redlock', 'redlock');
    const [first, second] = processes(d);
    expect(d.lanes.map((l) => l.name)).toEqual([first, second, 'redis', 'redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5']);
    const copies = (holder: string) => d.locks.filter((w) => w.view === 'server' && w.holder === holder);
    expect(copies(first).map((w) => [w.lane, w.end])).toEqual([1, 2, 3, 4, 5].map((n) => [`redis-${n}`, 'expired']));
    expect(copies(second).map((w) => [w.lane, w.end])).toEqual([1, 2, 3, 4, 5].map((n) => [`redis-${n}`, 'open']));
    const lastExpiry = rowOf(d, 'redis-5', '⌛');
    expect(d.locks.find((w) => w.view === 'holder' && w.holder === first)).toMatchObject({ lane: first, to: null, lost: lastExpiry });
    expect(d.rows[rowOf(d, first, '@3 SET')].shape).toMatchObject({ kind: 'message', to: 'redis-3' });
    expect(d.rows[d.violation.row].text).toBe('INCR sold → 2');
  });

  it('an empty timeline (a sometimes never reached) has no diagram', () => {
    expect(() => diagramModel(report([]))).toThrow(/empty timeline/);
  });
});

describe('reading steps', () => {
  // Every kind of event, in the words describe.ts gives it, is read back as what it was: the two stay in step.
  const delivery = { consumerTag: 'c', channel: 'ch', queue: 'q', deliveryTag: 3, messageId: 'm1', payload: 'o1', redelivered: true };
  const events: [string, RunEvent, object][] = [
    ['A', { kind: 'arrive', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'arrive' }],
    ['A', { kind: 'done', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'finish' }],
    ['A', { kind: 'pause', t: 0, proc: 0, clock: 0, ms: 10 }, { kind: 'mark', mark: 'pause' }],
    ['A', { kind: 'resume', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'resume' }],
    ['A', { kind: 'crash', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'crash' }],
    ['A', { kind: 'restart', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'restart' }],
    ['A', { kind: 'close', t: 0, proc: 0, clock: 0 }, { kind: 'mark', mark: 'close' }],
    ['A', { kind: 'closed', t: 0, proc: 0, clock: 0 }, { kind: 'message', message: 'closed', from: 'broker', to: 'A' }],
    ['A', { kind: 'deliver', t: 0, proc: 0, clock: 0, delivery }, { kind: 'message', message: 'delivery', from: 'broker', to: 'A' }],
    ['redis', { kind: 'jump', t: 0, clock: 0, by: -5 }, { kind: 'mark', mark: 'jump' }],
    ['redis', { kind: 'expire', t: 0, clock: 0, key: 'k', value: 'say "hi"' }, { kind: 'mark', mark: 'expire', expired: { key: 'k', value: 'say "hi"' } }],
    ['broker', { kind: 'settle', t: 0, clock: 0, settlement: { messageId: 'm1', queue: 'q', deliveryTag: 3, outcome: 'requeued' } }, { kind: 'mark', mark: 'settle' }],
    ['broker', { kind: 'settle', t: 0, clock: 0, settlement: { messageId: 'm1', queue: 'q', deliveryTag: 3, outcome: 'acked' } }, { kind: 'mark', mark: 'settle' }],
    ['broker', { kind: 'lost', t: 0, clock: 0, messageId: 'm1', queue: 'q', what: 'confirm' }, { kind: 'mark', mark: 'lost' }],
    ['A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['NOW'], reply: 5, changes: [] }, { kind: 'mark', mark: 'clock' }],
    ['A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['SLEEP', 5], reply: null, changes: [], until: 5 }, { kind: 'mark', mark: 'clock' }],
    ['A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['AMQP.ACK', 3], reply: 'OK', changes: [] }, { kind: 'message', message: 'ack', from: 'A', to: 'broker' }],
    ['A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['MAIL.SEND', 'o1'], reply: 'sent', changes: [] }, { kind: 'message', message: 'command', to: 'mailer' }],
    ['A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['DB.CONFIRM', 'o1'], reply: 'OK', changes: [] }, { kind: 'message', to: 'db' }],
    [
      'A', { kind: 'command', t: 0, proc: 0, clock: 0, command: ['@2', 'DEL', 'a', 'b'], reply: 2, changes: [{ key: 'a', from: 'x, y', to: null }, { key: 'b', from: 'z', to: null }] },
      { kind: 'message', from: 'A', to: 'redis-2', command: { name: 'DEL', args: ['a', 'b'], reply: '2', removed: ['x, y', 'z'] } },
    ],
  ];
  it.each(events.map(([node, event, reading]) => [event.kind, describeEvent(event), node, reading] as const))('%s: %s', (_kind, text, node, reading) => {
    expect(readStep({ t: 0, node, clock: 0, text })).toMatchObject(reading);
  });

  it('a text it does not know is a note, shown as it is', () => {
    expect(readStep({ t: 0, node: 'A', clock: 0, text: 'something new' })).toEqual({ kind: 'mark', mark: 'note' });
  });
});

describe('lock windows from hand-written timelines', () => {
  it('a compare-and-delete releases the belief and deletes the key; a crash ends a belief', () => {
    const d = diagramModel(report(steps(
      ['A', 'SET lock k-a NX PX 100 → OK'],
      ['A', 'EVAL compare-and-delete 1 lock k-a → 1  (removed "k-a")'],
      ['B', 'SET lock k-b NX PX 100 → OK'],
      ['B', '✗ crashes'],
    )));
    expect(d.locks.map((w) => [w.view, w.holder, w.to, w.end, w.lost])).toEqual([
      ['server', 'A', 1, 'deleted', null], ['holder', 'A', 1, 'released', null],
      ['server', 'B', null, 'open', null], ['holder', 'B', 3, 'crashed', null],
    ]);
  });

  it('GETSET takes a key over: the old copy is overwritten, the old holder has lost it', () => {
    const d = diagramModel(report(steps(['A', 'SET lock 100 NX → OK'], ['B', 'GETSET lock 200 → "100"'], ['A', 'GET stock → "1"'])));
    expect(d.locks.map((w) => [w.view, w.holder, w.from, w.to, w.end, w.lost])).toEqual([
      ['server', 'A', 0, 1, 'overwritten', null], ['holder', 'A', 0, null, 'open', 1],
      ['server', 'B', 1, null, 'open', null], ['holder', 'B', 1, null, 'open', null],
    ]);
  });

  it('a SET NX answered nil takes nothing, and a plain SET is no lock', () => {
    const d = diagramModel(report(steps(['A', 'SET lock a NX PX 100 → nil'], ['A', 'SET stock 0 → OK'])));
    expect(d.locks).toEqual([]);
  });
});

describe('the SVG', () => {
  let naive: ReturnType<typeof diagramOf>;
  beforeAll(() => {
    naive = diagramOf('inventory', 'naive-lock');
  });

  it('is well-formed XML, for every known counterexample', () => {
    for (const [scenario, variant] of [['inventory', 'naive-lock'], ['payment', 'ack-after'], ['redlock', 'redlock']]) {
      const { result, diagram } = scenario === 'inventory' ? naive : diagramOf(scenario, variant);
      expect(() => assertWellFormedXml(renderSvg(diagram, { title: headerLine(result) })), `${scenario} / ${variant}`).not.toThrow();
    }
  });

  it('is the same bytes for the same counterexample, also when rebuilt by replay', () => {
    const svg = renderSvg(naive.diagram, { title: 'x' });
    expect(renderSvg(naive.diagram, { title: 'x' })).toBe(svg);
    expect(renderSvg(diagramModel(replay(naive.result.violation!.replay!).violation), { title: 'x' })).toBe(svg);
  });

  it('has a lane header per lane, a bar per lock window and the violating step marked, about 1000 px wide', () => {
    const svg = renderSvg(naive.diagram);
    const width = Number(/^<svg [^>]*width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeGreaterThan(900);
    expect(width).toBeLessThanOrEqual(1000);
    expect(svg.match(/class="il-lane-name"[^>]*>[^<]*</g)).toEqual(naive.diagram.lanes.map((l) => expect.stringContaining(`>${l.name}<`)));
    expect(svg.match(/class="il-bar il-holder"/g)!.length).toBe(3); // one belief split where it is lost, one whole
    expect(svg.match(/class="il-bar il-server"/g)!.length).toBe(2);
    const violating = svg.slice(svg.indexOf('id="il-violating-step"'));
    expect(violating.slice(0, violating.indexOf('</g>'))).toContain('INCR sold → 2');
    expect(svg.match(/id="il-violating-step"/g)).toHaveLength(1);
    expect(svg).toContain('✗ no-oversell violated: 2 sold with an initial stock of 1');
  });

  it('escapes every text it draws', () => {
    const nasty = diagramModel({ ...report(steps(['<A&B>', 'GET "k" → "</text><script>alert(1)</script>"'])), message: "it's <bad> & \u0001" });
    const svg = renderSvg(nasty, { title: '"quoted" & <tagged>' });
    expect(() => assertWellFormedXml(svg)).not.toThrow();
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;A&amp;B&gt;');
  });

  it('shows a clock reading that differs from true time in its own colour', () => {
    const svg = renderSvg(diagramModel(report([{ t: 0, node: 'A', clock: -3000, text: 'GET stock → "1"' }])));
    expect(svg).toContain('class="il-clock il-skewed"');
    expect(svg).toMatch(/class="il-clock il-skewed"[^>]*>-3000</);
  });
});

describe('the HTML page', () => {
  it('holds the header, the SVG, the verdict and the replay command, with no script and nothing external', () => {
    const { result, diagram } = diagramOf('inventory', 'naive-lock');
    const html = renderHtml(diagram, { header: headerLine(result) });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(renderSvg(diagram).trimEnd());
    expect(html).toContain(`<p class="checked">${headerLine(result)}</p>`);
    expect(html).toContain(`<code>interleave replay ${result.violation!.replay}</code>`);
    expect(html).toContain('✗ no-oversell violated: 2 sold with an initial stock of 1');
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(http/i);
    const body = html.slice(html.indexOf('<body>'), html.indexOf('</body>') + '</body>'.length);
    expect(() => assertWellFormedXml(body)).not.toThrow();
  });
});

describe('the Mermaid text', () => {
  it('payment ack-after', () => {
    const { diagram } = diagramOf('payment', 'ack-after');
    expect(renderMermaid(diagram)).toMatchInlineSnapshot(`
      "sequenceDiagram
          participant L1 as W2
          participant L2 as W1
          participant L3 as broker
          participant L4 as gateway
          Note over L1,L4: t = 0 ms
          Note over L1: arrives
          L1->>L3: AMQP.CONSUME payments 1 0 → "ctag-1"
          L3-)L1: ⇐ delivery #35;1 of paid-1 "order-1" from payments
          L1->>L4: PAY.CHARGE order-1 → "ch_1"
          Note over L1: ✗ crashes
          Note over L3: ↩ paid-1 requeued to payments
          Note over L2: arrives
          L2->>L3: AMQP.CONSUME payments 1 0 → "ctag-2"
          L3-)L2: ⇐ delivery #35;1 of paid-1 "order-1" from payments (redelivered)
          rect rgb(253, 226, 226)
              L2->>L4: PAY.CHARGE order-1 → "ch_2"
              Note over L1,L4: ✗ no-duplicate-charge violated: order-1 charged 2 times
          end
      "
    `);
  });

  it('lock windows become activations that balance, time passing a note, skewed clocks a label', () => {
    const d = diagramModel(report([
      { t: 0, node: 'A', clock: 7, text: 'SET lock a NX PX 100 → OK' },
      { t: 101, node: 'redis', clock: 101, text: '⌛ lock expires (was "a")' },
      { t: 101, node: 'A', clock: 108, text: 'DEL lock → 0' },
    ]));
    expect(renderMermaid(d).split('\n').slice(3)).toEqual([
      '    Note over L1,L2: t = 0 ms',
      "    L1->>L2: SET lock a NX PX 100 → OK  [A's clock: 7]",
      '    activate L2',
      '    activate L1',
      '    Note over L1,L2: t = 101 ms (+101 ms)',
      '    Note over L2: ⌛ lock expires (was "a")',
      '    deactivate L2',
      '    rect rgb(253, 226, 226)',
      "        L1->>L2: DEL lock → 0  [A's clock: 108]",
      '        deactivate L1',
      '        Note over L1,L2: ✗ p violated: m',
      '    end',
      '',
    ]);
  });

  it('codes the characters Mermaid would read as syntax', () => {
    const d = diagramModel(report(steps(['A', 'EVAL x; y #1 50% <b> → OK'])));
    expect(renderMermaid(d)).toContain('L1->>L2: EVAL x#59; y #35;1 50#37; #lt;b#gt; → OK');
  });
});

describe('interleave --svg, --html, --mermaid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-test-diagram-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...argv: string[]) => {
    const r = await runCliAsync(...argv);
    return { ...r, out: r.lines };
  };


  it('check writes the SVG the docs show, and says so in one line', async () => {
    const file = join(dir, 'naive.svg');
    const r = await run('check', 'inventory', '--variant', 'naive-lock', '--svg', file);
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toBe(`diagram: ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(renderDocDiagram(DOC_DIAGRAMS[0]));
  });

  it('replay writes the HTML page and the Mermaid text; --json keeps stdout one JSON document', async () => {
    const token = check('payment', { variant: 'ack-after' }).violation!.replay!;
    const [html, mermaid] = [join(dir, 'p.html'), join(dir, 'p.mmd')];
    const r = await run('replay', token, '--html', html, '--mermaid', mermaid, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out.join('\n')).violation.replay).toBe(token);
    expect(r.err).toBe(`diagram: ${html}\ndiagram: ${mermaid}\n`);
    expect(readFileSync(html, 'utf8')).toContain('<svg ');
    expect(readFileSync(mermaid, 'utf8').startsWith('sequenceDiagram\n')).toBe(true);
  });

  it('writes nothing when there is no counterexample, and says so', async () => {
    const file = join(dir, 'none.svg');
    const r = await run('check', 'inventory', '--variant', 'atomic-decr', '--runs', '50', '--svg', file);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe('no counterexample: no diagram written');
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['a missing directory', () => ['--svg', join(dir, 'no', 'such', 'x.svg')], /^interleave: --svg .*x\.svg: no directory .*such\n$/],
    ['a directory', () => ['--html', dir], /^interleave: --html .*: is a directory, not a file\n$/],
    ['an empty path', () => ['--mermaid', ''], /^interleave: --mermaid needs a FILE\n$/],
  ])('%s is a one-line error and exit 2, before any search', async (_name, flags, message) => {
    const r = await run('check', 'inventory', '--variant', 'naive-lock', ...flags());
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toMatch(message);
  });

  it('--all draws nothing: exit 2', async () => {
    const r = await run('check', '--all', '--svg', join(dir, 'all.svg'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^interleave: --svg, --html and --mermaid draw one counterexample/);
  });
});

describe('the pictures in the docs', () => {
  it.each(DOC_DIAGRAMS.map((d) => [d.file, d] as const))('%s is what the renderer draws today (npx tsx scripts/render-diagrams.ts)', (_file, diagram) => {
    expect(readFileSync(docDiagramPath(diagram), 'utf8')).toBe(renderDocDiagram(diagram));
  });
});

describe('the well-formedness check itself', () => {
  it.each([
    ['<a><b></a></b>', /closes nothing open/],
    ['<a>', /never closed/],
    ['<a x="1" x="2"/>', /twice/],
    ['<a x="<"/>', /'<' in an attribute/],
    ['<a>&nbsp;</a>', /unknown reference/],
    ['<a>&</a>', /without ';'|unknown reference/],
    ['<a/><b/>', /second root/],
    ['<a x=1/>', /quoted value/],
  ])('refuses %s', (xml, message) => {
    expect(() => assertWellFormedXml(xml)).toThrow(message);
  });

  it('accepts references, comments and self-closed elements', () => {
    expect(() => assertWellFormedXml('<a t="&quot;&#39;&#x41;">x &amp; y<!-- c --><b/></a>\n')).not.toThrow();
  });
});
