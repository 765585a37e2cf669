#!/usr/bin/env node
// The `tg-dialog-sync` executable. The generated Prisma 7 client imports .ts files, so the whole
// program runs through tsx's loader (registered here) rather than a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
