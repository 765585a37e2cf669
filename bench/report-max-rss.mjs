// Preloaded into a CLI child by bench/memory.ts (`node --import ./bench/report-max-rss.mjs …`):
// prints the process's peak resident set size when it exits, as the last line on stderr.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
