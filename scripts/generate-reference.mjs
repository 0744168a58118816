// Writes docs/reference.md from the docs catalogue (run `npm run docs` after changing
// compiler/src/catalogue/; compiler/test/reference.test.ts checks the file is current).
import { writeFileSync } from 'node:fs';
import { CATALOGUE, renderReference } from '@regnet/compiler';

const target = new URL('../docs/reference.md', import.meta.url);
writeFileSync(target, renderReference(CATALOGUE));
console.log(`wrote ${target.pathname}`);
