/**
 * Prints openapi.yaml as one profile holds it, as JSON: `documented` is the document itself;
 * `apoxy` has its schemas reduced to the decode view (no enum, pattern, required, ... : what the
 * real server enforces). For outside tools that read the document, such as Schemathesis
 * (harness/python/tests/test_schemathesis.py).
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
const raw = loadDocument().raw;
const schemas = raw.components?.schemas ?? {};
const view = profile === 'documented' ? raw : { ...raw, components: { ...raw.components, schemas: Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, stripContract(s)])) } };
process.stdout.write(JSON.stringify(view, null, 2) + '\n');
