/**
 * Search indexes over the repository's resources, so that the searches an app makes on the heavy patient
 * (`Observation?patient=X&category=vital-signs&_sort=-date&_count=1000`) cost milliseconds: Medplum's
 * MemoryRepository evaluates FHIRPath on every resource for every search (about 0.7 s per search over 2,600
 * observations, and seconds for `_sort`).
 *
 * Each resource's search values are extracted once, when it is written (patient, subject, encounter, tokens,
 * identifiers, date range, lastUpdated). Indexed parameters narrow and filter the candidates; any other parameter
 * is then matched by Medplum's FHIRPath matcher on what is left. The sorted list of matches is cached (keyed by the
 * query without paging), so every page through to the last is equally cheap. A sort the index does not know
 * (or `_include`) returns `undefined`, and the caller falls back to Medplum's own search.
 *
 * Semantics follow FHIR R4 search (http://hl7.org/fhir/R4/search.html): comma = OR within a parameter, repeated
 * parameters = AND; token `code`, `system|code`, `|code`, `system|`; date prefixes eq ne gt lt ge le sa eb ap against
 * the implicit range of the value's precision.
 */
import type { Filter, SearchRequest, SortRule } from '@medplum/core';
import { matchesSearchRequest } from '@medplum/core';
import type { CodeableConcept, Coding, Identifier, Period, Reference, Resource } from '@medplum/fhirtypes';

/** A half-open time range [start, end) in epoch milliseconds; unbounded ends are ±Infinity. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

type TokenCoding = readonly [system: string | undefined, code: string];

interface IndexEntry {
  readonly resource: Resource & { id: string };
  readonly patientId: string | undefined;
  readonly subject: string | undefined;
  readonly encounter: string | undefined;
  readonly tokens: ReadonlyMap<string, readonly TokenCoding[]>;
  readonly identifiers: readonly TokenCoding[];
  readonly date: TimeRange | undefined;
  readonly lastUpdated: number;
}

/** Token parameters answered from the index, per resource type, and the element each one reads. */
const TOKEN_PARAMETERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Observation: { category: 'category', code: 'code', status: 'status' },
  Encounter: { status: 'status', type: 'type', class: 'class' },
  DocumentReference: { category: 'category', type: 'type', status: 'status' },
  Condition: { category: 'category', code: 'code' },
};

/** Types whose `patient` / `subject` / `encounter` parameters the index answers. */
const PATIENT_LINKED_TYPES = new Set(['Observation', 'Encounter', 'DocumentReference', 'Condition']);
const ENCOUNTER_LINKED_TYPES = new Set(['Observation', 'DocumentReference', 'Condition']);
/** Types with a `date` search parameter the index answers (R4: Observation.effective, Encounter.period, DocumentReference.date). */
const DATED_TYPES = new Set(['Observation', 'Encounter', 'DocumentReference']);

const DATE_OPERATORS = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);
const SORTABLE = new Set(['date', '_lastUpdated', '_id']);
const CACHE_SIZE = 64;

/** The implicit range of a FHIR date/dateTime/instant by its precision; a time without zone is read as UTC. */
export function parseTimeRange(value: string): TimeRange | undefined {
  const match =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
      value,
    );
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (hour === undefined) {
    const y = Number(year);
    if (month === undefined) return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
    const m = Number(month) - 1;
    if (day === undefined) return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    const start = Date.UTC(y, m, Number(day));
    return { start, end: start + 86_400_000 };
  }
  const iso = `${year ?? ''}-${month ?? ''}-${day ?? ''}T${hour}:${minute ?? '00'}:${second ?? '00'}${
    fraction ? `.${fraction.slice(0, 3)}` : ''
  }${zone ?? 'Z'}`;
  const start = Date.parse(iso);
  if (Number.isNaN(start)) return undefined;
  const width = fraction ? 1 : second !== undefined ? 1000 : 60_000;
  return { start, end: start + width };
}

function periodRange(period: Period | undefined): TimeRange | undefined {
  if (!period) return undefined;
  const start = period.start ? parseTimeRange(period.start)?.start : -Infinity;
  const end = period.end ? parseTimeRange(period.end)?.end : Infinity;
  if (start === undefined || end === undefined) return undefined;
  return { start, end };
}

/** The value of the type's `date` search parameter (R4: Observation.effective, Encounter.period, DocumentReference.date). */
function dateOf(resource: Resource): TimeRange | undefined {
  if (resource.resourceType === 'Observation') {
    if (resource.effectiveDateTime) return parseTimeRange(resource.effectiveDateTime);
    if (resource.effectiveInstant) return parseTimeRange(resource.effectiveInstant);
    return periodRange(resource.effectivePeriod);
  }
  if (resource.resourceType === 'Encounter') return periodRange(resource.period);
  if (resource.resourceType === 'DocumentReference')
    return resource.date ? parseTimeRange(resource.date) : undefined;
  return undefined;
}

function codingsOf(value: unknown): TokenCoding[] {
  if (typeof value === 'string') return [[undefined, value]];
  if (Array.isArray(value)) return value.flatMap((item) => codingsOf(item));
  if (typeof value !== 'object' || value === null) return [];
  const concept = value as CodeableConcept & Coding;
  if (Array.isArray(concept.coding)) {
    return concept.coding.flatMap((coding) => (coding.code ? [[coding.system, coding.code] as const] : []));
  }
  // A bare Coding (Encounter.class).
  return concept.code ? [[concept.system, concept.code]] : [];
}

function referenceOf(value: unknown): string | undefined {
  const reference = (value as Reference | undefined)?.reference;
  return typeof reference === 'string' ? reference : undefined;
}

function subjectOf(resource: Resource): string | undefined {
  const record = resource as unknown as Record<string, unknown>;
  return referenceOf(record.subject) ?? referenceOf(record.patient);
}

/** The patient whose compartment a resource is in: the Patient itself, or its `subject` / `patient` Patient. */
export function patientIdOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const subject = subjectOf(resource);
  return subject?.startsWith('Patient/') ? subject.slice('Patient/'.length) : undefined;
}

function extract(resource: Resource & { id: string }): IndexEntry {
  const record = resource as unknown as Record<string, unknown>;
  const subject = subjectOf(resource);
  const tokens = new Map<string, TokenCoding[]>();
  for (const [parameter, element] of Object.entries(TOKEN_PARAMETERS[resource.resourceType] ?? {})) {
    tokens.set(parameter, codingsOf(record[element]));
  }
  const identifiers = Array.isArray(record.identifier)
    ? (record.identifier as Identifier[]).flatMap((identifier) =>
        identifier.value ? [[identifier.system, identifier.value] as const] : [],
      )
    : [];
  let encounter: string | undefined;
  if (resource.resourceType === 'DocumentReference')
    encounter = referenceOf(resource.context?.encounter?.[0]);
  else encounter = referenceOf(record.encounter);
  return {
    resource,
    patientId: patientIdOf(resource),
    subject,
    encounter,
    tokens,
    identifiers,
    date: dateOf(resource),
    lastUpdated: resource.meta?.lastUpdated ? Date.parse(resource.meta.lastUpdated) : 0,
  };
}

/** Splits a parameter value on unescaped commas (FHIR search: `\,` is a literal comma). */
function splitValues(value: string): string[] {
  return value.split(/(?<!\\),/).map((part) => part.replace(/\\,/g, ','));
}

function parseToken(value: string): { system: string | undefined; code: string | undefined } {
  const bar = value.indexOf('|');
  if (bar < 0) return { system: undefined, code: value };
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  // `|code`: no system at all; `system|`: any code in that system.
  return { system, code: code === '' ? undefined : code };
}

type TokenQuery = ReturnType<typeof parseToken>;

function tokenMatches(codings: readonly TokenCoding[], { system, code }: TokenQuery): boolean {
  return codings.some(([codingSystem, codingCode]) => {
    if (code !== undefined && codingCode !== code) return false;
    if (system === undefined) return true;
    if (system === '') return codingSystem === undefined;
    return codingSystem === system;
  });
}

function dateMatches(range: TimeRange | undefined, operator: string, value: TimeRange): boolean {
  if (!range) return false;
  switch (operator) {
    case 'eq':
      return range.start >= value.start && range.end <= value.end;
    case 'ne':
      return !(range.start >= value.start && range.end <= value.end);
    case 'gt':
      return range.end > value.end;
    case 'lt':
      return range.start < value.start;
    case 'ge':
      return range.end > value.start;
    case 'le':
      return range.start < value.end;
    case 'sa':
      return range.start >= value.end;
    case 'eb':
      return range.end <= value.start;
    case 'ap':
      return range.start < value.end && range.end > value.start;
    default:
      return false;
  }
}

type Predicate = (entry: IndexEntry) => boolean;

interface CompiledSearch {
  readonly key: string;
  /** Narrows the candidates to one patient's resources before any predicate runs. */
  readonly patientIds: readonly string[] | undefined;
  readonly predicates: readonly Predicate[];
  readonly sortRules: readonly SortRule[];
}

/** `x` → `<defaultType>/x`; `Type/x` and `https://host/fhir/Type/x` → `Type/x`. */
function normaliseReference(value: string, defaultType: string): string {
  if (!value.includes('/')) return `${defaultType}/${value}`;
  return value.split('/').slice(-2).join('/');
}

function referencePredicate(
  filter: Filter,
  read: (entry: IndexEntry) => string | undefined,
  defaultType: string,
): Predicate | undefined {
  if (filter.operator !== 'eq') return undefined;
  const wanted = new Set(splitValues(filter.value).map((value) => normaliseReference(value, defaultType)));
  return (entry) => {
    const reference = read(entry);
    return reference !== undefined && wanted.has(reference);
  };
}

function compileFilter(resourceType: string, filter: Filter): Predicate | undefined {
  const { code, operator, value } = filter;
  if (code === '_id') {
    if (operator !== 'eq') return undefined;
    const ids = new Set(splitValues(value));
    return (entry) => ids.has(entry.resource.id);
  }
  if (code === 'identifier') {
    if (operator !== 'eq') return undefined;
    const values = splitValues(value).map(parseToken);
    return (entry) => values.some((wanted) => tokenMatches(entry.identifiers, wanted));
  }
  if (code === '_lastUpdated' || (code === 'date' && DATED_TYPES.has(resourceType))) {
    if (!DATE_OPERATORS.has(operator)) return undefined;
    const range = parseTimeRange(value);
    if (!range) return () => false;
    return code === '_lastUpdated'
      ? (entry) => dateMatches({ start: entry.lastUpdated, end: entry.lastUpdated + 1 }, operator, range)
      : (entry) => dateMatches(entry.date, operator, range);
  }
  if (PATIENT_LINKED_TYPES.has(resourceType)) {
    // `patient=<bare id>` must work (Medplum's search needs `Patient/<id>`); a bare id in `subject` is read as a
    // Patient id too, the only subject type the sandbox holds.
    if (code === 'patient' || code === 'subject') {
      return referencePredicate(filter, (entry) => entry.subject, 'Patient');
    }
  }
  if (code === 'encounter' && ENCOUNTER_LINKED_TYPES.has(resourceType)) {
    return referencePredicate(filter, (entry) => entry.encounter, 'Encounter');
  }
  if (TOKEN_PARAMETERS[resourceType]?.[code] !== undefined) {
    if (operator !== 'eq' && operator !== 'not') return undefined;
    const values = splitValues(value).map(parseToken);
    const matches: Predicate = (entry) => {
      const codings = entry.tokens.get(code) ?? [];
      return values.some((wanted) => tokenMatches(codings, wanted));
    };
    return operator === 'eq' ? matches : (entry) => !matches(entry);
  }
  return undefined;
}

function compile(request: SearchRequest): CompiledSearch | undefined {
  const predicates: Predicate[] = [];
  const others: Filter[] = [];
  let patientIds: string[] | undefined;
  for (const filter of request.filters ?? []) {
    const predicate = compileFilter(request.resourceType, filter);
    if (predicate) predicates.push(predicate);
    else others.push(filter);
    if ((filter.code === 'patient' || filter.code === 'subject') && patientIds === undefined) {
      const references = splitValues(filter.value).map((value) => normaliseReference(value, 'Patient'));
      // Narrow only when every value is a Patient: `subject=Group/x` must still see non-patient subjects.
      if (references.every((reference) => reference.startsWith('Patient/'))) {
        patientIds = references.map((reference) => reference.slice('Patient/'.length));
      }
    }
  }
  if (others.length > 0) {
    // Parameters the index does not cover are matched by Medplum's FHIRPath matcher, on the candidates the
    // indexed parameters left (one patient's resources rather than every resource of the type).
    const rest: SearchRequest = { resourceType: request.resourceType, filters: others };
    predicates.push((entry) => matchesSearchRequest(entry.resource, rest));
  }
  const sortRules = request.sortRules ?? [];
  for (const rule of sortRules) {
    if (!SORTABLE.has(rule.code)) return undefined;
    if (rule.code === 'date' && !DATED_TYPES.has(request.resourceType)) return undefined;
  }
  if (request.include?.length || request.revInclude?.length) return undefined;
  const key = JSON.stringify([
    request.resourceType,
    (request.filters ?? []).map((filter) => [filter.code, filter.operator, filter.value]).sort(),
    sortRules,
  ]);
  return { key, patientIds, predicates, sortRules };
}

function compareEntries(rules: readonly SortRule[]): (a: IndexEntry, b: IndexEntry) => number {
  return (a, b) => {
    for (const rule of rules) {
      let left: number | string | undefined;
      let right: number | string | undefined;
      if (rule.code === 'date') {
        left = a.date?.start;
        right = b.date?.start;
      } else if (rule.code === '_lastUpdated') {
        left = a.lastUpdated;
        right = b.lastUpdated;
      } else {
        left = a.resource.id;
        right = b.resource.id;
      }
      if (left === right) continue;
      // Resources without the value sort last in either direction.
      if (left === undefined) return 1;
      if (right === undefined) return -1;
      const order = left < right ? -1 : 1;
      return rule.descending ? -order : order;
    }
    return a.resource.id < b.resource.id ? -1 : a.resource.id > b.resource.id ? 1 : 0;
  };
}

export interface IndexedSearchResult {
  readonly total: number;
  readonly resources: readonly (Resource & { id: string })[];
}

/** Most-recently-used cache of bounded size (Map keeps insertion order). */
class RecentCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
}

interface TypeIndex {
  readonly entries: Map<string, IndexEntry>;
  /** patient id → resource id → entry */
  readonly byPatient: Map<string, Map<string, IndexEntry>>;
  /** Candidates (one patient's or all) already in sort order, keyed by patients and sort rules. */
  sorted: RecentCache<IndexEntry[]>;
  /** Complete answers, keyed by the query without paging: paging through a result costs a slice. */
  results: RecentCache<IndexEntry[]>;
}

export class SearchIndex {
  private readonly types = new Map<string, TypeIndex>();

  private typeIndex(resourceType: string): TypeIndex {
    let index = this.types.get(resourceType);
    if (!index) {
      index = {
        entries: new Map(),
        byPatient: new Map(),
        sorted: new RecentCache(CACHE_SIZE),
        results: new RecentCache(CACHE_SIZE),
      };
      this.types.set(resourceType, index);
    }
    return index;
  }

  /** Indexes a resource the caller will not change again (the index serves this very object to searches). */
  put(resource: Resource & { id: string }): void {
    const index = this.typeIndex(resource.resourceType);
    this.removeFrom(index, resource.id);
    const entry = extract(resource);
    index.entries.set(resource.id, entry);
    if (entry.patientId !== undefined) {
      let ofPatient = index.byPatient.get(entry.patientId);
      if (!ofPatient) {
        ofPatient = new Map();
        index.byPatient.set(entry.patientId, ofPatient);
      }
      ofPatient.set(resource.id, entry);
    }
    // Only this type's answers can have changed.
    index.sorted = new RecentCache(CACHE_SIZE);
    index.results = new RecentCache(CACHE_SIZE);
  }

  remove(resourceType: string, id: string): void {
    const index = this.types.get(resourceType);
    if (!index?.entries.has(id)) return;
    this.removeFrom(index, id);
    index.sorted = new RecentCache(CACHE_SIZE);
    index.results = new RecentCache(CACHE_SIZE);
  }

  private removeFrom(index: TypeIndex, id: string): void {
    const existing = index.entries.get(id);
    if (!existing) return;
    index.entries.delete(id);
    if (existing.patientId !== undefined) index.byPatient.get(existing.patientId)?.delete(id);
  }

  /** Answers a search from the indexes, or `undefined` when it uses anything the indexes do not cover. */
  search(request: SearchRequest): IndexedSearchResult | undefined {
    const compiled = compile(request);
    if (!compiled) return undefined;
    const index = this.typeIndex(request.resourceType);
    let matches = index.results.get(compiled.key);
    if (!matches) {
      const candidates = this.sortedCandidates(index, compiled);
      matches =
        compiled.predicates.length === 0
          ? candidates
          : candidates.filter((entry) => compiled.predicates.every((predicate) => predicate(entry)));
      index.results.set(compiled.key, matches);
    }
    const offset = Math.max(0, request.offset ?? 0);
    const count = Math.max(0, request.count ?? matches.length);
    return {
      total: matches.length,
      resources: matches.slice(offset, offset + count).map((entry) => entry.resource),
    };
  }

  /** The candidates in sort order; filtering keeps the order, so each patient's list is sorted once. */
  private sortedCandidates(index: TypeIndex, compiled: CompiledSearch): IndexEntry[] {
    const key = JSON.stringify([compiled.patientIds ?? null, compiled.sortRules]);
    const cached = index.sorted.get(key);
    if (cached) return cached;
    const candidates = compiled.patientIds
      ? compiled.patientIds.flatMap((id) => [...(index.byPatient.get(id)?.values() ?? [])])
      : [...index.entries.values()];
    const sorted = candidates.sort(compareEntries(compiled.sortRules));
    index.sorted.set(key, sorted);
    return sorted;
  }
}
