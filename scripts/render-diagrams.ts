// Redraws the pictures in docs/images from fresh counterexamples, for when the checker or the renderers changed
// on purpose: npx tsx scripts/render-diagrams.ts — then look at them. test/diagram.test.ts fails while a picture
// is stale; the list is test/doc-diagrams.ts.
import { writeFileSync } from 'node:fs';
import { DOC_DIAGRAMS, docDiagramPath, renderDocDiagram } from '../test/doc-diagrams.ts';

for (const diagram of DOC_DIAGRAMS) {
  writeFileSync(docDiagramPath(diagram), renderDocDiagram(diagram));
  console.log(`wrote ${diagram.file}`);
}
