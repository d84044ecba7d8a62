/**
 * Prints openapi.yaml as one profile holds it, as JSON: `documented` is the document itself;
 * `apoxy` has its schemas reduced to the decode view (no enum, pattern, required, ... : what the
 * real server enforces). For outside tools that read the document, such as Schemathesis
 * (harness/python/tests/test_schemathesis.py).
 *
 * Both views write `format: duration` (a Go time.ParseDuration string, such as the "5s" the
 * documented dnsCacheConfig defaults store) as the pattern of that grammar: JSON Schema's own
 * `duration` format is ISO 8601 ("PT5S"), which tools that validate formats would hold it to.
 *
 *   node --import tsx scripts/openapi-view.ts apoxy > openapi-apoxy.json
 */
import { loadDocument } from '../emulator/openapi/document.js';
import { stripContract } from '../emulator/openapi/validators.js';

const profile = process.argv[2];
if (profile !== 'apoxy' && profile !== 'documented') {
  process.stderr.write('usage: openapi-view.ts apoxy|documented\n');
  process.exit(2);
}
/** time.ParseDuration's grammar: "0", or signed decimal numbers each with a unit (µs in both spellings). */
const GO_DURATION_PATTERN = '^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$';

function goDurationsAsPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(goDurationsAsPatterns);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = goDurationsAsPatterns(v);
  if (out.format === 'duration' && out.type === 'string') {
    delete out.format;
    out.pattern = GO_DURATION_PATTERN;
  }
  return out;
}

const raw = loadDocument().raw;
const schemas = raw.components?.schemas ?? {};
const view = profile === 'documented' ? raw : { ...raw, components: { ...raw.components, schemas: Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, stripContract(s)])) } };
process.stdout.write(JSON.stringify(goDurationsAsPatterns(view), null, 2) + '\n');
