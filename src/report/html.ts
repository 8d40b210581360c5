/**
 * A diagram as a self-contained HTML page: the header line, the SVG inline, the verdict, the replay command and
 * the text timeline. No scripts and no external resources, so it opens from disk, in a mail or a CI artifact.
 */
import type { Diagram } from './diagram-model.ts';
import { element, escapeXml } from './markup.ts';
import { renderSvg } from './svg.ts';
import { renderTimeline } from './timeline.ts';

/** Options of `renderHtml`. */
export interface HtmlOptions {
  /** The line naming what was checked, e.g. the header `check` prints (`inventory / naive-lock  (buyers=3 …)`). */
  readonly header?: string;
}

const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}',
  'h1{font-size:20px;margin:0 0 4px;color:#b71c1c}',
  '.checked,pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}',
  '.checked{color:#555;margin:0 0 16px}',
  'figure{margin:0 0 16px;overflow-x:auto}',
  '.verdict p{margin:4px 0}.violation{color:#b71c1c;font-weight:bold}',
  'code{word-break:break-all;background:#f5f5f5;padding:1px 4px}',
  'pre{background:#f7f7f7;padding:12px;overflow-x:auto}',
].join('');

/**
 * The diagram as one HTML page.
 * @example
 * const result = check('inventory', { variant: 'naive-lock' });
 * writeFileSync('naive-lock.html', renderHtml(diagramModel(result.violation!), { header: 'inventory / naive-lock' }));
 */
export function renderHtml(diagram: Diagram, options: HtmlOptions = {}): string {
  const { violation } = diagram;
  const verdict = `✗ ${violation.property} violated: ${violation.message}`;
  const p = (text: string, cls?: string) => element('p', { class: cls }, escapeXml(text));
  const body = [
    element('header', {}, [
      element('h1', {}, escapeXml(`✗ ${violation.property} violated`)),
      options.header === undefined ? '' : p(options.header, 'checked'),
    ].join('')),
    element('figure', {}, renderSvg(diagram).trimEnd()),
    element('section', { class: 'verdict' }, [
      p(verdict, 'violation'),
      p(`property: ${violation.description}`),
      violation.replay === null ? '' : element('p', {}, `replay: ${element('code', {}, escapeXml(`interleave replay ${violation.replay}`))}`),
    ].join('\n')),
    element('details', {}, element('summary', {}, 'The timeline as text') + element('pre', {}, escapeXml(renderTimeline(diagram.rows).join('\n')))),
  ];
  const title = `${verdict}${options.header === undefined ? '' : ` — ${options.header}`}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    element('title', {}, escapeXml(title)),
    element('style', {}, STYLE),
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
