#!/usr/bin/env node
// The flowlight command. Sources are TypeScript: tsx loads them (and the user's flow files).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
