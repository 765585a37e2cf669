import { readFileSync } from 'node:fs';

/** The version in package.json (the image and a checkout both carry it): `--version` and tgsync_build_info. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
