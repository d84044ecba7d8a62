/** The apoxy-contracts executable: see main.ts. */
import { main } from './main.js';

// Not a top-level await: the single-file executable's CommonJS bundle includes this module too.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
