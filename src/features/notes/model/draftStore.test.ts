import { describe, expect, it } from 'vitest';
import {
  createDraftStore,
  DRAFT_TTL_MS,
  draftStorageKey,
  type DraftKey,
  type NoteDraft,
} from './draftStore.ts';

const key: DraftKey = {
  serverUrl: 'https://ehr.test/fhir',
  patientId: 'patient-1',
  fhirUser: 'Practitioner/1',
};
const T0 = Date.parse('2026-12-03T08:00:00Z');

function draft(overrides: Partial<NoteDraft> = {}): NoteDraft {
  return {
    id: 'urn:uuid:11111111-1111-4111-8111-111111111111',
    noteType: { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' },
    title: 'Follow-up',
    text: 'Ödem — 37.5 °C — 患者',
    docStatus: 'final',
    encounterId: 'encounter-1',
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    lastSave: 'unsent',
    ...overrides,
  };
}

/** A Storage that can be told to fail like a full quota. */
class FakeStorage implements Storage {
  readonly items = new Map<string, string>();
  quotaExceeded = false;
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(name: string): string | null {
    return this.items.get(name) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(name: string): void {
    this.items.delete(name);
  }
  setItem(name: string, value: string): void {
    if (this.quotaExceeded && name !== 'movo-x.storage-probe') {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.items.set(name, value);
  }
}

describe('draft store', () => {
  it('keeps a draft across a reload and a relaunch (a new store over the same storage)', () => {
    const storage = new FakeStorage();
    const now = T0 + 60_000;
    expect(createDraftStore({ storage: () => storage, now: () => now }).save(key, draft())).toBe('local');
    const afterReload = createDraftStore({ storage: () => storage, now: () => now });
    expect(afterReload.load(key)).toEqual(draft());
    expect(afterReload.persistence()).toBe('local');
  });

  it('keys drafts by EHR, patient and clinician', () => {
    const store = createDraftStore({ storage: () => new FakeStorage(), now: () => T0 });
    store.save(key, draft());
    expect(store.load({ ...key, patientId: 'patient-2' })).toBeUndefined();
    expect(store.load({ ...key, fhirUser: 'Practitioner/2' })).toBeUndefined();
    expect(store.load({ ...key, serverUrl: 'https://other-ehr.test/fhir' })).toBeUndefined();
    expect(store.load(key)?.text).toBe('Ödem — 37.5 °C — 患者');
  });

  it('purges drafts older than 12 hours, of any patient, on first use', () => {
    const storage = new FakeStorage();
    const writer = createDraftStore({ storage: () => storage, now: () => T0 });
    writer.save(key, draft());
    writer.save(
      { ...key, patientId: 'patient-2' },
      draft({ updatedAt: new Date(T0 + 60 * 60_000).toISOString() }),
    );
    storage.setItem(draftStorageKey({ ...key, patientId: 'patient-3' }), '{not json');

    const later = createDraftStore({ storage: () => storage, now: () => T0 + DRAFT_TTL_MS + 1 });
    expect(later.load({ ...key, patientId: 'patient-2' })).toBeDefined();
    expect([...storage.items.keys()]).toEqual([draftStorageKey({ ...key, patientId: 'patient-2' })]);
    expect(later.load(key)).toBeUndefined();
  });

  it('removes only the draft that was filed', () => {
    const store = createDraftStore({ storage: () => new FakeStorage(), now: () => T0 });
    store.save(key, draft({ id: 'urn:uuid:22222222-2222-4222-8222-222222222222' }));
    store.remove(key, 'urn:uuid:11111111-1111-4111-8111-111111111111');
    expect(store.load(key)).toBeDefined();
    store.remove(key, 'urn:uuid:22222222-2222-4222-8222-222222222222');
    expect(store.load(key)).toBeUndefined();
  });

  it('falls back to memory when the browser blocks storage (SecurityError in a cross-site iframe)', () => {
    const store = createDraftStore({
      storage: () => {
        throw new DOMException("Failed to read the 'localStorage' property from 'Window'", 'SecurityError');
      },
      now: () => T0,
    });
    expect(store.persistence()).toBe('memory');
    expect(store.save(key, draft())).toBe('memory');
    expect(store.load(key)).toEqual(draft());
    store.remove(key);
    expect(store.load(key)).toBeUndefined();
  });

  it('falls back to memory when the quota is full, and keeps the newest text', () => {
    const storage = new FakeStorage();
    const store = createDraftStore({ storage: () => storage, now: () => T0 });
    expect(store.save(key, draft({ text: 'first' }))).toBe('local');
    storage.quotaExceeded = true;
    expect(store.save(key, draft({ text: 'second' }))).toBe('memory');
    expect(store.persistence()).toBe('memory');
    expect(store.load(key)?.text).toBe('second');
  });

  it('ignores what it cannot read', () => {
    const storage = new FakeStorage();
    storage.setItem(draftStorageKey(key), JSON.stringify({ ...draft(), lastSave: 'maybe' }));
    expect(createDraftStore({ storage: () => storage, now: () => T0 }).load(key)).toBeUndefined();
  });
});
