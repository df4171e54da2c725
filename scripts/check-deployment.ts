/**
 * `npm run check-deployment -- <url> [--discover]`: checks a running deployment of MOVO-X (headers, runtime
 * configuration, registration document) and prints one PASS/FAIL/WARN line per check. Exits 1 on any failure.
 * `--discover` also reads every configured EHR's /.well-known/smart-configuration (needs network access to them).
 */
import { checkDeployment, formatResults } from './deployment-checks.ts';

async function main(argv: readonly string[]): Promise<number> {
  const discover = argv.includes('--discover');
  const urls = argv.filter((argument) => argument !== '--discover');
  const [url] = urls;
  if (url === undefined || urls.length !== 1 || url.startsWith('-')) {
    console.error('Usage: npm run check-deployment -- <deployment URL> [--discover]');
    return 2;
  }
  const { text, ok } = formatResults(await checkDeployment(url, { discover }));
  console.log(text);
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
