import { useEffect, useState, type KeyboardEvent } from 'react';
import { LaunchHeader, useClinicianName } from '../features/patient/index.ts';
import { ObservationsPanel, useClinicalSnippets } from '../features/observations/index.ts';
import { NotesPanel } from '../features/notes/index.ts';
import { useSession } from '../session/session.ts';
import { useProactiveRefresh } from '../session/refresh.ts';
import { applyEhrStyle } from '../session/style.ts';
import { SessionEndedDialog } from './SessionEndedDialog.tsx';

type Tab = 'observations' | 'notes';
const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'observations', label: 'Observations' },
  { id: 'notes', label: 'Notes' },
];

function GrantNotice() {
  const { capabilities } = useSession();
  if (capabilities.readOnly) {
    return (
      <p className="grant-notice" role="note">
        This EHR granted MOVO-X read-only access.
      </p>
    );
  }
  return null;
}

/** The app once launched: header, what the EHR granted, and the features side by side as tabs. */
export function Shell() {
  const session = useSession();
  const [tab, setTab] = useState<Tab>('observations');
  const snippets = useClinicalSnippets();
  const clinicianName = useClinicianName();
  useProactiveRefresh(session.client, session.capabilities.canRefresh);
  useEffect(() => {
    if (session.styleUrl) void applyEhrStyle(session.styleUrl);
  }, [session.styleUrl]);

  // WAI-ARIA tabs: arrow keys move between tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/).
  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };

  return (
    <div className="shell">
      <LaunchHeader />
      <GrantNotice />
      {/* Both panels stay mounted: switching tabs never loses a half-written note or refetches. */}
      <main>
        <div role="tablist" aria-label="MOVO-X" className="tabs">
          {TABS.map(({ id, label }) => (
            <button
              key={id}
              id={`tab-${id}`}
              type="button"
              role="tab"
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              onClick={() => {
                setTab(id);
              }}
              onKeyDown={onTabKeyDown}
            >
              {label}
            </button>
          ))}
        </div>
        <section
          id="panel-observations"
          role="tabpanel"
          aria-labelledby="tab-observations"
          hidden={tab !== 'observations'}
        >
          <ObservationsPanel />
        </section>
        <section id="panel-notes" role="tabpanel" aria-labelledby="tab-notes" hidden={tab !== 'notes'}>
          <NotesPanel snippets={snippets} authorName={clinicianName} />
        </section>
      </main>
      <SessionEndedDialog />
    </div>
  );
}
