/**
 * A small XML well-formedness check, for the SVG the report writes (Node has no XML parser and a dependency is
 * not worth it): one root element, every tag closed in order, attributes quoted, unique and free of `<`, and `&`
 * only in the five predefined entities or a character reference. It walks the text character by character;
 * it does not read DTDs or processing instructions, which the renderer never writes.
 */

const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const ENTITIES = ['amp', 'lt', 'gt', 'quot', 'apos'];

/** Throws, naming the offset, unless `xml` is a well-formed XML document (or fragment with one root). */
export function assertWellFormedXml(xml: string): void {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${what} (…${xml.slice(Math.max(0, i - 30), i + 30)}…)`);
  };
  const name = () => {
    if (!isNameStart(xml[i] ?? '')) fail('a name expected');
    const start = i;
    while (i < xml.length && isNameChar(xml[i])) i++;
    return xml.slice(start, i);
  };
  const spaces = () => {
    while (i < xml.length && isSpace(xml[i])) i++;
  };
  const reference = () => {
    const end = xml.indexOf(';', i);
    if (end < 0) fail("'&' without ';'");
    const body = xml.slice(i + 1, end);
    const ok = ENTITIES.includes(body)
      || (body.startsWith('#x') && body.length > 2 && [...body.slice(2)].every(isHex))
      || (body.startsWith('#') && !body.startsWith('#x') && body.length > 1 && [...body.slice(1)].every(isDigit));
    if (!ok) fail(`unknown reference &${body};`);
    i = end + 1;
  };
  const open: string[] = [];
  let roots = 0;
  while (i < xml.length) {
    const c = xml[i];
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      i += 2;
      const closing = name();
      spaces();
      if (xml[i] !== '>') fail("'>' expected");
      i++;
      if (open.pop() !== closing) fail(`</${closing}> closes nothing open`);
    } else if (c === '<') {
      i++;
      if (open.length === 0 && ++roots > 1) fail('a second root element');
      const tag = name();
      const seen = new Set<string>();
      for (;;) {
        const before = i;
        spaces();
        if (xml.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (xml[i] === '>') {
          i++;
          open.push(tag);
          break;
        }
        if (i === before) fail('space before an attribute expected');
        const attribute = name();
        if (seen.has(attribute)) fail(`attribute ${attribute} twice`);
        seen.add(attribute);
        spaces();
        if (xml[i] !== '=') fail("'=' expected");
        i++;
        spaces();
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") fail('a quoted value expected');
        i++;
        while (xml[i] !== quote) {
          if (i >= xml.length) fail('unclosed attribute value');
          if (xml[i] === '<') fail("'<' in an attribute value");
          if (xml[i] === '&') reference();
          else i++;
        }
        i++;
      }
    } else if (c === '&') {
      reference();
    } else {
      if (open.length === 0 && !isSpace(c)) fail('text outside the root element');
      if (xml.startsWith(']]>', i)) fail("']]>' in text");
      i++;
    }
  }
  if (open.length > 0) fail(`<${open[open.length - 1]}> never closed`);
  if (roots === 0) fail('no root element');
}
