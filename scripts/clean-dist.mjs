// `npm run build` starts from an empty dist/, so a file whose source was renamed or deleted
// cannot linger there and ship in the package. Plain JavaScript: it runs before anything is built.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
