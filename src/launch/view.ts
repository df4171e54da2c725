/**
 * launch.html's few screens, drawn with the DOM API (no UI framework on the launch page: it must stay under
 * 20 KB gzip). Text only ever goes through `textContent`: the `iss` and error messages come from the URL.
 */
import type { Registration } from '../config/registrations.ts';

type Child = Node | string;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function show(...children: Child[]): void {
  const main = document.querySelector('main') ?? document.body.appendChild(element('main'));
  main.replaceChildren(...children);
  main.setAttribute('aria-busy', 'false');
}

export function showConnecting(registration: Registration): void {
  show(
    element('h1', {}, 'Opening MOVO-X'),
    element('p', { role: 'status' }, `Connecting to ${registration.displayName}…`),
  );
}

export function showPicker(registrations: readonly Registration[]): void {
  if (registrations.length === 0) {
    show(
      element('h1', {}, 'Open MOVO-X from your EHR'),
      element(
        'p',
        {},
        'MOVO-X opens from a patient’s chart in your EHR. No EHR is set up here for choosing one yourself.',
      ),
    );
    return;
  }
  const list = element('ul', { class: 'ehr-list' });
  for (const registration of registrations) {
    const href = `launch.html?${new URLSearchParams({ iss: registration.issuer }).toString()}`;
    list.append(element('li', {}, element('a', { href }, registration.displayName)));
  }
  show(
    element('h1', {}, 'Open MOVO-X'),
    element('p', {}, 'Choose your EHR. You will sign in there and pick the patient.'),
    list,
  );
}

export function showUnknownIssuer(iss: string): void {
  show(
    element('h1', {}, 'MOVO-X cannot open from this EHR'),
    element(
      'p',
      {},
      'The EHR asked MOVO-X to connect to a FHIR server that is not in MOVO-X’s list of trusted EHRs, so MOVO-X did not contact it.',
    ),
    element('p', {}, 'FHIR server received (iss): ', element('code', { 'data-testid': 'received-iss' }, iss)),
    element(
      'p',
      {},
      'For an administrator: add a registration whose issuer is this FHIR server (with its client_id) to ',
      element('code', {}, '/config/registrations.json'),
      ' (see docs/deployment.md), then relaunch. If you did not expect this, do not proceed: the link may be forged.',
    ),
  );
}

export function showRefusedOverride(parameter: string): void {
  show(
    element('h1', {}, 'MOVO-X cannot open this link'),
    element(
      'p',
      {},
      `The launch link carries “${parameter}”, which would bypass the EHR’s sign-in. It is only accepted in development. Reopen MOVO-X from the patient’s chart.`,
    ),
  );
}

export function showStorageBlocked(registration: Registration, openInNewWindow: () => void): void {
  const button = element('button', { type: 'button', class: 'primary' }, 'Open MOVO-X in a new window');
  button.addEventListener('click', openInNewWindow);
  show(
    element('h1', {}, 'Open MOVO-X in a new window'),
    element(
      'p',
      {},
      `This browser does not let MOVO-X keep its sign-in while it is shown inside ${registration.displayName}’s page (storage is blocked for embedded apps). MOVO-X can open in its own window for the same patient.`,
    ),
    button,
  );
  button.focus();
}

export function showLaunchError(registration: Registration | undefined, message: string): void {
  show(
    element('h1', {}, 'MOVO-X could not connect to the EHR'),
    element('p', {}, registration ? `${registration.displayName}: ${message}` : message),
    element(
      'p',
      {},
      'Reopen MOVO-X from the patient’s chart. If this keeps happening, tell your EHR administrator.',
    ),
  );
}
