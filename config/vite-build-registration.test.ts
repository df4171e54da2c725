import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistrations } from '../src/config/registrations.ts';
import { registrationScopes } from './client-metadata.ts';
import { registrationPackageFiles, registrationPackagePlugin } from './vite-build-registration.ts';

const example = readFileSync('config/registrations.example.json', 'utf8');

describe('registrationPackageFiles', () => {
  it('writes the registration document and copies the registrations file as written', () => {
    const files = registrationPackageFiles({
      registrationsText: example,
      registrationsSource: 'example',
      env: { APP_PUBLIC_URL: 'https://movo-x.example-hospital.org' },
      version: '2.0.0',
    });
    expect(Object.keys(files).sort()).toEqual(['config/registrations.json', 'smart/client-metadata.json']);
    expect(files['config/registrations.json']).toBe(example);
    const metadata: unknown = JSON.parse(files['smart/client-metadata.json'] ?? '');
    expect(metadata).toMatchObject({
      redirect_uris: ['https://movo-x.example-hospital.org/index.html'],
      software_version: '2.0.0',
      scope: registrationScopes('v2'),
    });
  });

  it.each([
    ['not JSON', '{ "registrations": [', /registrations\.json is not JSON/],
    [
      'a missing client id',
      JSON.stringify({ registrations: [{ id: 'a', displayName: 'A', issuer: 'https://a.example/fhir' }] }),
      /registrations\.0\.clientId/,
    ],
    [
      'a relative issuer',
      JSON.stringify({ registrations: [{ id: 'a', displayName: 'A', issuer: '/fhir', clientId: 'x' }] }),
      /registrations\.0\.issuer: must be an absolute http\(s\) URL/,
    ],
    [
      'an unknown scope version',
      JSON.stringify({
        registrations: [
          { id: 'a', displayName: 'A', issuer: 'https://a.example/fhir', clientId: 'x', scopeVersion: 'v3' },
        ],
      }),
      /registrations\.0\.scopeVersion/,
    ],
    [
      'a duplicate id',
      JSON.stringify({
        registrations: [
          { id: 'a', displayName: 'A', issuer: 'https://a.example/fhir', clientId: 'x' },
          { id: 'a', displayName: 'B', issuer: 'https://b.example/fhir', clientId: 'y' },
        ],
      }),
      /registrations\.1\.id: "a" is used twice/,
    ],
    [
      'a non-array frameOrigins',
      JSON.stringify({
        registrations: [
          {
            id: 'a',
            displayName: 'A',
            issuer: 'https://a.example/fhir',
            clientId: 'x',
            frameOrigins: 'https://a.example',
          },
        ],
      }),
      /registrations\.0\.frameOrigins/,
    ],
  ])('refuses a registrations file with %s, naming the field', (_case, registrationsText, message) => {
    expect(() =>
      registrationPackageFiles({
        registrationsText,
        registrationsSource: '/srv/registrations.json',
        env: {},
        version: '1',
      }),
    ).toThrow(message);
  });

  it('refuses a public URL that is not https', () => {
    expect(() =>
      registrationPackageFiles({
        registrationsText: example,
        registrationsSource: 'example',
        env: { APP_PUBLIC_URL: 'http://movo-x.example-hospital.org' },
        version: '1',
      }),
    ).toThrow(/APP_PUBLIC_URL/);
  });
});

describe('registrationPackagePlugin in a real vite build', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'movo-build-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', version: '3.1.4' }));
    writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>');
    writeFileSync(join(root, 'main.js'), 'document.title = "fixture";\n');
    writeFileSync(join(root, 'registrations.json'), example);
    writeFileSync(join(root, 'broken.json'), JSON.stringify({ registrations: [{ id: 'Bad Id' }] }));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const runBuild = (env: Record<string, string>, outDir: string): ReturnType<typeof build> =>
    build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [registrationPackagePlugin({ env })],
      build: { outDir, emptyOutDir: true },
    });

  it('emits smart/client-metadata.json and config/registrations.json into dist/', async () => {
    await runBuild(
      {
        APP_PUBLIC_URL: 'https://movo-x.example-hospital.org',
        MOVO_REGISTRATIONS: join(root, 'registrations.json'),
      },
      join(root, 'dist'),
    );
    const metadata: unknown = JSON.parse(readFileSync(join(root, 'dist/smart/client-metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      launch_url: 'https://movo-x.example-hospital.org/launch.html',
      software_version: '3.1.4',
    });
    const copied = readFileSync(join(root, 'dist/config/registrations.json'), 'utf8');
    expect(parseRegistrations(JSON.parse(copied)).registrations).toHaveLength(4);
  });

  it('fails the build on an invalid registrations file, naming the broken fields', async () => {
    await expect(
      runBuild({ MOVO_REGISTRATIONS: join(root, 'broken.json') }, join(root, 'dist-broken')),
    ).rejects.toThrow(
      /broken\.json: The EHR registration file is invalid\. registrations\.0\.id: must be lower-case/,
    );
  });

  it('fails the build when public/assets/ exists (it would be cached as immutable without a hash)', async () => {
    mkdirSync(join(root, 'public/assets'), { recursive: true });
    try {
      await expect(
        runBuild({ MOVO_REGISTRATIONS: join(root, 'registrations.json') }, join(root, 'dist-public')),
      ).rejects.toThrow(/public\/assets\/ must not exist/);
    } finally {
      rmSync(join(root, 'public'), { recursive: true, force: true });
    }
  });
});
