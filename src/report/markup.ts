/**
 * XML and HTML as plain strings: escaping and one element builder, so that the SVG and HTML renderers need no
 * DOM library and produce the same bytes for the same input (attributes in the order given, numbers rounded).
 */

/** Attribute values; `undefined` leaves the attribute out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

/** Characters XML 1.0 forbids (control characters other than tab, newline and carriage return). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for XML and HTML content and attribute values; characters XML cannot hold become U+FFFD.
 * @example escapeXml('GET "stock" → <1>') // 'GET &quot;stock&quot; → &lt;1&gt;'
 */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A number as an attribute value: integers as they are, others to one decimal. */
const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * One element: `content` is markup already (escape text with `escapeXml`); without content it closes itself.
 * @example element('text', { x: 4, y: 12.25 }, escapeXml('a < b')) // '<text x="4" y="12.3">a &lt; b</text>'
 */
export function element(name: string, attributes: Attributes = {}, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? formatNumber(value) : escapeXml(value)}"`)
    .join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}
