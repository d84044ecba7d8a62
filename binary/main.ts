/**
 * The single-file executable's entry. It is `apoxy-emulator` (every command of the npm bin), and
 * `apoxy-emulator contracts <args>` is `apoxy-contracts <args>`: one file carries both, since
 * Node.js itself is ~99 % of its size and a second file would repeat it. binary/build.ts bundles
 * this into one CommonJS script (no top-level await there) that Node's single executable
 * applications run; the shipped files are its assets (shipped/files.ts reads them).
 */
const args = process.argv.slice(2);

if (args[0] === 'contracts') {
  process.argv.splice(2, 1); // the suite reads its own arguments from process.argv
  void import('../contracts/cli.js');
} else {
  if (args.length === 0 || ['-h', '--help', 'help'].includes(args[0])) {
    process.stdout.write('apoxy-emulator, single-file executable: `apoxy-emulator contracts --help` for the contract suite.\n\n');
  }
  void import('../emulator/cli.js');
}

export {};
