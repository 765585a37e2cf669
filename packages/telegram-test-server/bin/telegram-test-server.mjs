#!/usr/bin/env node
// The `telegram-test-server` executable (`npm run telegram:local` in the project). The package ships
// TypeScript only, so the CLI runs through tsx's loader, registered here, like the job's own bin.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
