/**
 * `npm run build` emits the registration package next to the app:
 * - `smart/client-metadata.json`: the registration document (config/client-metadata.ts), for APP_PUBLIC_URL;
 * - `config/registrations.json`: the deployment's EHR registrations (MOVO_REGISTRATIONS, or the example file),
 *   validated here so that a broken file fails the build with the field named, instead of failing at launch.
 *
 * Build only: the dev server answers /config/registrations.json itself (config/vite-dev-registrations.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { parseRegistrations, ConfigurationError } from '../src/config/registrations.ts';
import { appIdentityFromEnv, clientMetadata, CLIENT_METADATA_PATH } from './client-metadata.ts';
import { HASHED_ASSETS_PREFIX } from './security-headers.ts';

export const EXAMPLE_REGISTRATIONS_FILE = 'config/registrations.example.json';

export interface RegistrationPackageInput {
  /** Text of the registrations file (JSON). */
  readonly registrationsText: string;
  /** Where it came from, for error messages. */
  readonly registrationsSource: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
}

/** Output file name (relative to dist/) → content. Throws ConfigurationError or AppIdentityError. */
export function registrationPackageFiles(input: RegistrationPackageInput): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(input.registrationsText);
  } catch (error) {
    throw new ConfigurationError(
      `The EHR registration file ${input.registrationsSource} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    parseRegistrations(json);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(`${input.registrationsSource}: ${error.message}`);
    }
    throw error;
  }
  const metadata = clientMetadata(appIdentityFromEnv(input.env, input.version));
  return {
    [CLIENT_METADATA_PATH.slice(1)]: `${JSON.stringify(metadata, null, 2)}\n`,
    // Copied as written (validated above): the administrator's file, not a re-serialisation with defaults.
    'config/registrations.json': input.registrationsText,
  };
}

export interface RegistrationPackagePluginOptions {
  /** Defaults to process.env (APP_PUBLIC_URL, APP_CONTACTS, APP_POLICY_URL, APP_TOS_URL, MOVO_REGISTRATIONS). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function registrationPackagePlugin(options: RegistrationPackagePluginOptions = {}): Plugin {
  const env = options.env ?? process.env;
  let root = process.cwd();
  let publicDir: string | false = false;
  let files: Record<string, string> = {};
  return {
    name: 'movo-registration-package',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      publicDir = config.publicDir || false;
    },
    buildStart() {
      // Files in public/assets/ would be copied unhashed into the directory every host caches for a year.
      if (publicDir && existsSync(join(publicDir, HASHED_ASSETS_PREFIX))) {
        this.error(
          `${join(publicDir, HASHED_ASSETS_PREFIX)} must not exist: ${HASHED_ASSETS_PREFIX} is cached as immutable`,
        );
      }
      const configured = env.MOVO_REGISTRATIONS;
      const source = configured
        ? isAbsolute(configured)
          ? configured
          : resolve(process.cwd(), configured)
        : resolve(root, EXAMPLE_REGISTRATIONS_FILE);
      let registrationsText: string;
      try {
        registrationsText = readFileSync(source, 'utf8');
      } catch (error) {
        this.error(
          `Cannot read the EHR registration file ${source}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const packageJson: unknown = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
      const version =
        typeof packageJson === 'object' && packageJson !== null && 'version' in packageJson
          ? String(packageJson.version)
          : '0.0.0';
      try {
        files = registrationPackageFiles({ registrationsText, registrationsSource: source, env, version });
      } catch (error) {
        this.error(error instanceof Error ? error.message : String(error));
      }
    },
    generateBundle() {
      for (const [fileName, source] of Object.entries(files)) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
  };
}
