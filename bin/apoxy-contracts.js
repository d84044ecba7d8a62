#!/usr/bin/env node
// The compiled contract runner (npm ci builds dist/ through the prepare script).
await import('../dist/contracts/cli.js');
